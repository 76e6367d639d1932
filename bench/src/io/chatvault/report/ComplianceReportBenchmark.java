package io.chatvault.report;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chatvault.access.AccessFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Done means 4: a month of {@code bench.messages} messages (default 5,000,000) builds
 * within a 256 MB heap. The month is seeded with COPY into the vault index (messages of
 * {@code bench.custodians} custodians, default 10,000, over 31 days and three sources),
 * the registry (accounts, consent), 4 custodian groups' 15-minute sync windows with
 * latencies and quarantined records; then {@code chatvault run compliance-report
 * month=2025-03 to-file=...} runs in a child JVM with {@code -Xmx256m} and a GC log. The
 * figures (wall time, peak heap after GC, workbook size, detail rows, the load average)
 * go to the console and target/bench/report.md.
 *
 * <pre>
 * ./mvnw -B -o -Pbench test -Dtest=ComplianceReportBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class ComplianceReportBenchmark {

	static final long MESSAGES = Long.getLong("bench.messages", 5_000_000);

	static final int CUSTODIANS = Integer.getInteger("bench.custodians", 10_000);

	static final String HEAP = System.getProperty("bench.heap", "256m");

	@TempDir
	static Path home;

	@Test
	void aMonthOfFiveMillionMessagesBuildsWithin256Megabytes() throws Exception {
		try (AccessFixture fixture = AccessFixture.start(home)) {
			long seedStart = System.nanoTime();
			seed(fixture);
			double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
			fixture.jdbc.execute("ANALYZE");

			Path workbook = home.resolve("report-2025-03.xlsx");
			Path gcLog = home.resolve("gc.log");
			Environment environment = fixture.context.getEnvironment();
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.add("-Xmx" + HEAP);
			command.add("-Xlog:gc:file=" + gcLog);
			for (String property : List.of("chatvault.db.url", "chatvault.db.user", "chatvault.db.password",
					"chatvault.home")) {
				command.add("-D" + property + "=" + environment.getProperty(property, ""));
			}
			command.add("-Dspring.datasource.hikari.maximum-pool-size=3");
			command.add("-cp");
			command.add(System.getProperty("java.class.path"));
			command.add("io.chatvault.ChatVaultApplication");
			command.addAll(List.of("run", "compliance-report", "month=2025-03", "to-file=" + workbook));
			double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
			long start = System.nanoTime();
			Process child = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(home.resolve("child.log").toFile())
				.start();
			assertThat(child.waitFor(60, TimeUnit.MINUTES)).isTrue();
			double wall = (System.nanoTime() - start) / 1e9;
			String log = Files.readString(home.resolve("child.log"));
			assertThat(child.exitValue()).as(log).isEqualTo(9);

			long peak = peakAfterGc(Files.readAllLines(gcLog));
			// The figures as the workbook holds them (the workbook itself is too large to
			// open whole in this JVM's heap: its detail sheet is hundreds of MB of XML).
			double counted = fixture.jdbc.queryForObject(
					"SELECT value FROM report_kpi WHERE area = 'capture' AND kpi = 'messages archived'", Double.class);
			assertThat((long) counted).isEqualTo(MESSAGES);
			long detailRows = fixture.jdbc.queryForObject(
					"SELECT count(*) FROM (SELECT DISTINCT (m.sent_at AT TIME ZONE 'UTC')::date, c.source, c.custodian_id "
							+ "FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation) x",
					Long.class);
			String row = String.format(Locale.ROOT,
					"| %s | -Xmx%s | %,d messages, %,d custodians | %.0f s (seed %.0f s) | %,d MB | %,d KB | %,d | %.1f |",
					Instant.now().toString().substring(0, 10), HEAP, MESSAGES, CUSTODIANS, wall, seedSeconds,
					peak / (1024 * 1024), Files.size(workbook) / 1024, detailRows, load);
			System.out.println("| date | heap | month | wall | peak heap after GC | workbook | volume detail rows | load |");
			System.out.println(row);
			Files.createDirectories(Path.of("target/bench"));
			Files.writeString(Path.of("target/bench/report.md"), row + "\n");
		}
	}

	/** The largest heap in use after a collection, from -Xlog:gc ("... 120M->80M(256M) ..."). */
	static long peakAfterGc(List<String> lines) {
		Pattern pattern = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
		long peak = 0;
		for (String line : lines) {
			Matcher matcher = pattern.matcher(line);
			if (matcher.find()) {
				peak = Math.max(peak, Long.parseLong(matcher.group(2)) * 1024 * 1024);
			}
		}
		return peak;
	}

	private static void seed(AccessFixture fixture) throws Exception {
		DataSource dataSource = fixture.context.getBean(DataSource.class);
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
			String[] sources = { "WHATSAPP_EXPORT", "SLACK_EXPORT", "TEAMS_GRAPH" };
			String[] platforms = { "whatsapp", "slack", "teams" };
			StringBuilder custodians = new StringBuilder();
			StringBuilder registry = new StringBuilder();
			StringBuilder accounts = new StringBuilder();
			StringBuilder conversations = new StringBuilder();
			for (int c = 1; c <= CUSTODIANS; c++) {
				custodians.append(c).append('\t').append("cust-").append(c).append('\n');
				registry.append("cust-").append(c).append("\tCustodian ").append(c).append("\tgroup-").append(c % 4)
					.append("\tactive\t")
					.append((c % 50 == 0) ? "\\N\t\\N\t\\N\t\\N" : "dms://consent\t\\\\x" + "ab".repeat(32) + "\tv1\t2024-01-02")
					.append("\t2025-01-01 00:00:00+00\t2025-01-01 00:00:00+00\n");
				accounts.append(platforms[c % 3]).append("\tacct-").append(c).append('\t').append("cust-").append(c)
					.append("\t2025-01-01 00:00:00+00\n");
				conversations.append(c).append('\t').append(sources[c % 3]).append("\tconv-").append(c).append('\t')
					.append(c).append('\n');
			}
			copy.copyIn("COPY vault_custodian (id, name) FROM STDIN", new StringReader(custodians.toString()));
			copy.copyIn("COPY access_custodian (id, name, group_name, status, consent_document, consent_sha256, "
					+ "consent_version, consent_signed_on, created_at, updated_at) FROM STDIN",
					new StringReader(registry.toString()));
			copy.copyIn("COPY access_custodian_account (platform, account_id, custodian_id, added_at) FROM STDIN",
					new StringReader(accounts.toString()));
			copy.copyIn("COPY vault_conversation (id, source, conversation_id, custodian_id) FROM STDIN",
					new StringReader(conversations.toString()));
			// The messages, streamed: never the whole month in memory.
			copy.copyIn("COPY vault_message (block_id, sent_at, conversation, kind, ordinal, message_id) FROM STDIN",
					new MessageRows(MESSAGES, CUSTODIANS));
			StringBuilder windows = new StringBuilder();
			StringBuilder latencies = new StringBuilder();
			fixture.jdbc.update("INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) "
					+ "VALUES (900001, 0, 'sync', 'bench')");
			fixture.jdbc.update("INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, "
					+ "create_time, start_time, end_time, status, exit_code, exit_message, last_updated) VALUES "
					+ "(900001, 1, 900001, now(), now(), now(), 'COMPLETED', 'COMPLETED', '', now())");
			Instant march = Instant.parse("2025-03-01T00:00:00Z");
			for (int g = 0; g < 4; g++) {
				for (int w = 1; w <= 31 * 96; w++) {
					Instant end = march.plusSeconds(900L * w);
					windows.append("group-").append(g).append('\t').append(end).append('\t')
						.append(end.minusSeconds(900)).append("\t900\t900001\t900001\t0\t40\t40\t38\t2\t0\t0\t0\t")
						.append(end).append('\n');
					latencies.append("group-").append(g).append('\t').append(end).append("\tsent_to_captured\t40\t")
						.append(300 + w % 200).append('\t').append(800 + w % 300).append('\t').append(2000 + w % 900)
						.append('\n');
				}
			}
			copy.copyIn("COPY sync_window (group_name, window_end, window_start, cadence_seconds, job_instance_id, "
					+ "job_execution_id, missed_windows, inbox_deliveries, inbox_records, archived, duplicates, "
					+ "quarantined, late_arrivals, alerts, completed_at) FROM STDIN", new StringReader(windows.toString()));
			copy.copyIn("COPY sync_window_latency (group_name, window_end, measure, samples, p50_ms, p95_ms, max_ms) "
					+ "FROM STDIN", new StringReader(latencies.toString()));
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	/** vault_message rows as COPY text, generated as they are read. */
	static final class MessageRows extends Reader {

		private final long total;

		private final int custodians;

		private long next;

		private String pending = "";

		private int offset;

		MessageRows(long total, int custodians) {
			this.total = total;
			this.custodians = custodians;
		}

		@Override
		public int read(char[] buffer, int off, int len) {
			if (this.offset >= this.pending.length()) {
				if (this.next >= this.total) {
					return -1;
				}
				StringBuilder rows = new StringBuilder(64 * 1024);
				for (int i = 0; i < 1000 && this.next < this.total; i++, this.next++) {
					long n = this.next;
					// spread over the 31 days of March, evenly
					long second = (n * 2_678_400L) / this.total;
					Instant sent = Instant.parse("2025-03-01T00:00:00Z").plusSeconds(second);
					rows.append(1 + n / 50_000).append('\t').append(sent).append('\t')
						.append(1 + (n * 7919) % this.custodians).append("\t0\t").append(n % 100).append("\t\\\\x")
						.append(String.format(Locale.ROOT, "%064x", n)).append('\n');
				}
				this.pending = rows.toString();
				this.offset = 0;
			}
			int count = Math.min(len, this.pending.length() - this.offset);
			this.pending.getChars(this.offset, this.offset + count, buffer, off);
			this.offset += count;
			return count;
		}

		@Override
		public void close() {
		}

	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
