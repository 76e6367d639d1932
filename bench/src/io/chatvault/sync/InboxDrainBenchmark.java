package io.chatvault.sync;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.sun.management.OperatingSystemMXBean;
import io.chatvault.cli.ExitCode;
import io.chatvault.capture.CapturedDeliveries;
import io.chatvault.crypto.DataKeys;
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
 * Draining an inbox of captured WhatsApp deliveries into the vault: fills the capture
 * inbox ({@code capture_inbox}, V50) with {@code bench.messages} webhook bodies of the
 * size Meta sends for a text message (one message each, {@code bench.customers} customers
 * (1,000), one business number), stored as {@code chatvault serve} stores them (sealed
 * under the day's data key, routed, deduplicated by SHA-256; by COPY, to fill fast), runs
 * one sync window of the group that holds the number, and reports messages per second,
 * the CPU seconds of the JVM and of the PostgreSQL backends serving it (from /proc), and
 * the machine's load average; then, on the same database, times PostgreSQL's COPY loading
 * as many index rows (the floor). Run (see docs/sync.md, docs/BENCHMARKS.md):
 *
 * <pre>
 * CHATVAULT_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/test ./mvnw -B -o -Pbench test \
 *   -Dtest=InboxDrainBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.messages=1000000]
 * </pre>
 */
@SpringBootTest
class InboxDrainBenchmark {

	static final int MESSAGES = Integer.getInteger("bench.messages", 1_000_000);

	/** Customers writing to the business number: one conversation each. */
	static final int CUSTOMERS = Integer.getInteger("bench.customers", 1000);

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	static final Path HOME = Path.of(System.getProperty("bench.home", "target/bench/inbox-drain")).toAbsolutePath();

	static final Instant WINDOW_END = Instant.parse("2024-03-12T12:00:00Z");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		deleteTree(HOME);
		benchGroup(registry, HOME, DATABASE);
	}

	/**
	 * The settings the inbox benchmarks share: a home, the database, and one group,
	 * {@code bench}, of one custodian with the deliveries' WhatsApp number.
	 */
	static void benchGroup(DynamicPropertyRegistry registry, Path home, TestDatabase.Coordinates database)
			throws IOException {
		Files.createDirectories(home);
		registry.add("chatvault.home", home::toString);
		database.register(registry);
		registry.add("chatvault.groups.bench.cadence", () -> "6h");
		registry.add("chatvault.groups.bench.members[0].custodian", () -> "bench");
		registry.add("chatvault.groups.bench.members[0].whatsapp", () -> WebhookDeliveries.PHONE_NUMBER_ID);
	}

	/**
	 * Fills the inbox with incoming WhatsApp text messages sent over the 6 hours before
	 * {@code windowEnd}, from {@code customers} customers, each captured 400 ms after it
	 * was sent.
	 * @return the bytes of the bodies
	 */
	static long fill(CapturedDeliveries inbox, int messages, int customers, Instant windowEnd) throws Exception {
		Instant start = windowEnd.minus(Duration.ofHours(6));
		long bodyBytes = 0;
		for (int i = 0; i < messages; i++) {
			Instant sent = start.plusMillis(i * (21_000_000L / messages));
			byte[] body = WebhookDeliveries.text("wamid.HBgLMTU1NTA3ODM4ODEVAgASGBQzQUI" + i,
					"1555" + (100_000 + i % customers), sent,
					"Hello, can you confirm the order " + i + " for tomorrow morning? Thanks");
			bodyBytes += body.length;
			inbox.whatsapp("bench", body, sent.plusMillis(400));
		}
		return bodyBytes;
	}

	@Autowired
	JobRuns runs;

	@Autowired
	DataKeys keys;

	@Autowired
	Clock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Test
	void drainAnInboxOfWhatsAppDeliveries() throws Exception {
		// given
		long t = System.nanoTime();
		long bodyBytes;
		try (CapturedDeliveries inbox = new CapturedDeliveries(this.keys, this.clock, this.dataSource)) {
			bodyBytes = fill(inbox, MESSAGES, CUSTOMERS, WINDOW_END);
		}
		this.jdbc.sql("VACUUM ANALYZE capture_inbox, capture_inbox_waiting").update();
		System.out.printf("inbox filled: %,d deliveries, %,d bytes of bodies (sealed), in %.1f s%n", MESSAGES,
				bodyBytes, (System.nanoTime() - t) / 1e9);

		// when
		String loadBefore = loadAverage();
		OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		Map<Long, Long> backends0 = backendCpu();
		Map<String, long[]> tables0 = tableRows();
		Map<String, Long> threads0 = jvmThreadCpu();
		long cpu0 = os.getProcessCpuTime();
		long t0 = System.nanoTime();
		RunOutcome outcome = this.runs.start("sync", Map.of("group", "bench", "window-end", WINDOW_END.toString()));
		double seconds = (System.nanoTime() - t0) / 1e9;
		double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
		double backendSeconds = backendSeconds(backends0, backendCpu());
		Map<String, Long> threads1 = jvmThreadCpu();
		double gcSeconds = (threads1.getOrDefault("gc", 0L) - threads0.getOrDefault("gc", 0L)) / 1e9;
		double jitSeconds = (threads1.getOrDefault("jit", 0L) - threads0.getOrDefault("jit", 0L)) / 1e9;
		String loadAfter = loadAverage();
		System.out.println(outcome.message());
		Thread.sleep(1500); // backends flush their table statistics at most once a second
		printRowsPerMessage(tables0, tableRows(), MESSAGES);

		// then
		assertThat(outcome.exitCode()).isIn(ExitCode.COMPLETED, ExitCode.COMPLETED_WITH_FINDINGS);
		long archived = this.jdbc.sql("SELECT archived FROM sync_window WHERE group_name = 'bench'")
			.query(Long.class)
			.single();
		assertThat(archived).isEqualTo(MESSAGES);
		assertThat(this.jdbc.sql("SELECT count(*) FROM capture_inbox_waiting")
			.query(Long.class)
			.single()).isZero();
		double copySeconds = copyIndexRows();
		String table = String.format("""
				| deliveries | drain | messages/s | JVM CPU | PostgreSQL backends' CPU | CPU per message (JVM + PostgreSQL) | COPY of %,d index rows | drain / COPY | load average (before, after) |
				|---|---|---|---|---|---|---|---|---|
				| %,d | %.1f s | %,.0f | %.1f s | %.1f s | %.0f µs + %.0f µs | %.1f s | %.1f x | %s; %s |
				""", archived, MESSAGES, seconds, archived / seconds, cpuSeconds, backendSeconds,
				cpuSeconds * 1e6 / archived, backendSeconds * 1e6 / archived, copySeconds, seconds / copySeconds,
				loadBefore, loadAfter);
		System.out.println(table);
		System.out.printf("JVM CPU per message: GC %.0f µs, JIT %.0f µs, the rest %.0f µs%n", gcSeconds * 1e6 / archived,
				jitSeconds * 1e6 / archived, (cpuSeconds - gcSeconds - jitSeconds) * 1e6 / archived);
		Files.createDirectories(Path.of("target/bench"));
		Files.writeString(Path.of("target/bench/inbox-drain.md"),
				LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores\n\n" + table);
	}

	/**
	 * User + system CPU of every client backend of the benchmark's database, by process
	 * id, from /proc (PostgreSQL on this machine); empty when it cannot be read.
	 */
	private Map<Long, Long> backendCpu() {
		Map<Long, Long> cpu = new HashMap<>();
		List<Long> pids = this.jdbc
			.sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'")
			.query(Long.class)
			.list();
		for (long pid : pids) {
			try {
				String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				cpu.put(pid, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L);
			}
			catch (IOException | RuntimeException ex) {
				// not on this machine
			}
		}
		return cpu;
	}

	/**
	 * CPU of the JVM's garbage collector threads ({@code gc}) and JIT compiler threads
	 * ({@code jit}), from /proc (Linux): those threads live as long as the JVM, while the
	 * drain's threads end with their step, so the rest is the process's CPU less these.
	 */
	private static Map<String, Long> jvmThreadCpu() {
		Map<String, Long> cpu = new HashMap<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : tasks.toList()) {
				try {
					String stat = Files.readString(task.resolve("stat"));
					String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					long nanos = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
					String group = (name.startsWith("GC Thread") || name.startsWith("G1 ")) ? "gc"
							: (name.contains("CompilerThre")) ? "jit" : "rest";
					cpu.merge(group, nanos, Long::sum);
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return cpu;
	}

	/**
	 * Rows inserted, updated and deleted so far per table of the benchmark's database
	 * ({@code pg_stat_user_tables}).
	 */
	private Map<String, long[]> tableRows() {
		Map<String, long[]> rows = new java.util.TreeMap<>();
		this.jdbc.sql("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables")
			.query((rs) -> {
				rows.put(rs.getString(1), new long[] { rs.getLong(2), rs.getLong(3), rs.getLong(4) });
			});
		return rows;
	}

	/** What the drain wrote, per table: rows inserted, updated and deleted per message. */
	private static void printRowsPerMessage(Map<String, long[]> before, Map<String, long[]> after, long messages) {
		StringBuilder out = new StringBuilder("rows per message (inserted, updated, deleted):\n");
		after.forEach((table, now) -> {
			long[] then = before.getOrDefault(table, new long[3]);
			long ins = now[0] - then[0];
			long upd = now[1] - then[1];
			long del = now[2] - then[2];
			if (ins + upd + del > 0) {
				out.append(String.format("  %-32s %8.3f %8.3f %8.3f%n", table, (double) ins / messages,
						(double) upd / messages, (double) del / messages));
			}
		});
		System.out.print(out);
	}

	private static double backendSeconds(Map<Long, Long> before, Map<Long, Long> after) {
		long nanos = 0;
		for (Map.Entry<Long, Long> backend : after.entrySet()) {
			nanos += backend.getValue() - before.getOrDefault(backend.getKey(), 0L);
		}
		return nanos / 1e9;
	}

	private static String loadAverage() throws IOException {
		String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
		return fields[0] + " " + fields[1] + " " + fields[2];
	}

	/**
	 * COPY of as many index rows as the drain wrote, into a copy of the index table without
	 * the search tokens.
	 */
	private double copyIndexRows() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
			Path rows = HOME.resolve("index-rows.copy");
			try (var out = Files.newOutputStream(rows)) {
				copy.copyOut("COPY (SELECT block_id, sent_at, conversation, kind, ordinal, message_id FROM vault_message) "
						+ "TO STDOUT (FORMAT binary)", out);
			}
			try (var statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS bench_copy_floor");
				statement.execute("CREATE TABLE bench_copy_floor (LIKE vault_message INCLUDING ALL)");
				// without the search tokens (their GIN index goes with them), as the earlier
				// figures and the migration benchmark's floor
				statement.execute("ALTER TABLE bench_copy_floor DROP COLUMN tokens");
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
