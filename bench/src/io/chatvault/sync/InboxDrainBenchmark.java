package io.chatvault.sync;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.sun.management.OperatingSystemMXBean;
import io.chatvault.cli.ExitCode;
import io.chatvault.custodian.AccountKind;
import io.chatvault.custodian.PlatformAccount;
import io.chatvault.jobs.JobRuns;
import io.chatvault.jobs.RunOutcome;
import io.chatvault.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Draining an inbox of captured WhatsApp deliveries into the vault: fills the inbox with
 * {@code bench.messages} webhook bodies of the size Meta sends for a text message (one
 * message each, {@code bench.customers} customers (1,000), one business number), runs one sync window of the group
 * that holds the number, and reports messages per second, the JVM's CPU seconds and the
 * machine's load average; then, on the same database, times PostgreSQL's COPY loading as
 * many index rows (the floor). Run (see docs/sync.md, docs/BENCHMARKS.md):
 *
 * <pre>
 * CHATVAULT_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/test ./mvnw -B -o -Pbench test \
 *   -Dtest=InboxDrainBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.messages=1000000]
 * </pre>
 */
@SpringBootTest
class InboxDrainBenchmark {

	static final int MESSAGES = Integer.getInteger("bench.messages", 1_000_000);

	static final String NUMBER = "3100000009999";

	/** Customers writing to the business number: one conversation each. */
	static final int CUSTOMERS = Integer.getInteger("bench.customers", 1000);

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	static final Path HOME = Path.of(System.getProperty("bench.home", "target/bench/inbox-drain")).toAbsolutePath();

	static final Instant WINDOW_END = Instant.parse("2024-03-12T12:00:00Z");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		deleteTree(HOME);
		Files.createDirectories(HOME);
		registry.add("chatvault.home", HOME::toString);
		registry.add("chatvault.db.url", DATABASE::jdbcUrl);
		registry.add("chatvault.db.user", DATABASE::user);
		registry.add("chatvault.db.password", DATABASE::password);
		registry.add("spring.datasource.url", DATABASE::jdbcUrl);
		registry.add("spring.datasource.username", DATABASE::user);
		registry.add("spring.datasource.password", DATABASE::password);
		registry.add("chatvault.test.table-inbox", () -> "true");
		registry.add("chatvault.groups.bench.cadence", () -> "6h");
		registry.add("chatvault.groups.bench.members[0].custodian", () -> "bench");
		registry.add("chatvault.groups.bench.members[0].whatsapp", () -> NUMBER);
	}

	@Autowired
	JobRuns runs;

	@Autowired
	TableInbox inbox;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Test
	void drainAnInboxOfWhatsAppDeliveries() throws Exception {
		// given
		long t = System.nanoTime();
		PlatformAccount account = PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, NUMBER);
		Instant start = WINDOW_END.minus(Duration.ofHours(6));
		List<Object[]> rows = new ArrayList<>(10_000);
		long bodyBytes = 0;
		for (int i = 0; i < MESSAGES; i++) {
			Instant sent = start.plusMillis(i * (21_000_000L / MESSAGES));
			byte[] body = WebhookDeliveries.text("wamid.HBgLMTU1NTA3ODM4ODEVAgASGBQzQUI" + i, "1555" + (100_000 + i % CUSTOMERS),
					sent, "Hello, can you confirm the order " + i + " for tomorrow morning? Thanks");
			bodyBytes += body.length;
			rows.add(new Object[] { InboxPlatform.WHATSAPP.name(), account.key(), Timestamp.from(sent.plusMillis(400)),
					body });
			if (rows.size() == 10_000) {
				this.inbox.deliverAll(rows);
				rows.clear();
			}
		}
		this.inbox.deliverAll(rows);
		this.jdbc.sql("VACUUM ANALYZE test_inbox").update();
		System.out.printf("inbox filled: %,d deliveries, %,d bytes of bodies, in %.1f s%n", MESSAGES, bodyBytes,
				(System.nanoTime() - t) / 1e9);

		// when
		String loadBefore = loadAverage();
		OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		long cpu0 = os.getProcessCpuTime();
		long t0 = System.nanoTime();
		RunOutcome outcome = this.runs.start("sync", Map.of("group", "bench", "window-end", WINDOW_END.toString()));
		double seconds = (System.nanoTime() - t0) / 1e9;
		double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
		String loadAfter = loadAverage();
		System.out.println(outcome.message());

		// then
		assertThat(outcome.exitCode()).isIn(ExitCode.COMPLETED, ExitCode.COMPLETED_WITH_FINDINGS);
		long archived = this.jdbc.sql("SELECT archived FROM sync_window WHERE group_name = 'bench'")
			.query(Long.class)
			.single();
		assertThat(archived).isEqualTo(MESSAGES);
		assertThat(this.inbox.waitingCount()).isZero();
		double copySeconds = copyIndexRows();
		String table = String.format("""
				| deliveries | drain | messages/s | JVM CPU | messages per CPU second | COPY of %,d index rows | drain / COPY | load average (before, after) |
				|---|---|---|---|---|---|---|---|
				| %,d | %.1f s | %,.0f | %.0f s | %,.0f | %.1f s | %.1f x | %s; %s |
				""", archived, MESSAGES, seconds, archived / seconds, cpuSeconds, archived / cpuSeconds, copySeconds,
				seconds / copySeconds, loadBefore, loadAfter);
		System.out.println(table);
		Files.createDirectories(Path.of("target/bench"));
		Files.writeString(Path.of("target/bench/inbox-drain.md"),
				LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores\n\n" + table);
	}

	private static String loadAverage() throws IOException {
		String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
		return fields[0] + " " + fields[1] + " " + fields[2];
	}

	/** COPY of as many index rows as the drain wrote, into a copy of the index table. */
	private double copyIndexRows() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
			Path rows = HOME.resolve("index-rows.copy");
			try (var out = Files.newOutputStream(rows)) {
				copy.copyOut("COPY vault_message TO STDOUT (FORMAT binary)", out);
			}
			try (var statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS bench_copy_floor");
				statement.execute("CREATE TABLE bench_copy_floor (LIKE vault_message INCLUDING ALL)");
			}
			long t0 = System.nanoTime();
			try (var in = new java.io.BufferedInputStream(Files.newInputStream(rows), 1 << 20)) {
				copy.copyIn("COPY bench_copy_floor FROM STDIN (FORMAT binary)", in);
			}
			double seconds = (System.nanoTime() - t0) / 1e9;
			try (var statement = connection.createStatement()) {
				statement.execute("DROP TABLE bench_copy_floor");
			}
			return seconds;
		}
	}

	private static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
				path.toFile().setWritable(true);
				Files.deleteIfExists(path);
			}
		}
	}

}
