package io.chatvault.migration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.chatvault.bench.CpuUsage;
import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
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
 * End-to-end migration speed on the embedded default (embedded PostgreSQL, filesystem
 * store and replica under {@code CHATVAULT_HOME}): generates WhatsApp exports with a
 * media mix, migrates them with {@code chatvault migrate}, and reports messages per
 * second and peak memory; then, on the same database, times PostgreSQL's COPY loading
 * the same number of index rows, the floor no migration can beat. Run (see
 * docs/migration.md):
 *
 * <pre>
 * ./mvnw -B -o -Pbench test -Dtest=MigrationBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * {@code -Dbench.messages} (default 1,000,000), {@code -Dbench.exports} (10),
 * {@code -Dbench.home} (default target/bench/migration), {@code -Dbench.tokens} (default
 * true: search tokens written at archive time; false to measure without them). Besides
 * the rate it prints CPU seconds: this JVM's (split into JIT compilers, GC and the rest)
 * and the database's PostgreSQL backends', per message. The result table goes to the
 * console and to target/bench/migration.md.
 */
@SpringBootTest
class MigrationBenchmark {

	static final int MESSAGES = Integer.getInteger("bench.messages", 1_000_000);

	static final int EXPORTS = Integer.getInteger("bench.exports", 10);

	/** Whether search tokens are written at archive time (the default, as in production). */
	static final boolean TOKENS = Boolean.parseBoolean(System.getProperty("bench.tokens", "true"));

	static final Path HOME = Path.of(System.getProperty("bench.home", "target/bench/migration")).toAbsolutePath();

	/** The index row's columns without the search tokens, in table order. */
	static final String INDEX_COLUMNS = "block_id, sent_at, conversation, kind, ordinal, message_id";

	/** By volume (bytes): 40% text, 35% images, 20% video, 5% voice notes. */
	static final GeneratedWhatsAppExport.MediaMix MIX = new GeneratedWhatsAppExport.MediaMix(0.40, 0.35, 0.20, 0.05);

	@DynamicPropertySource
	static void embeddedDefault(DynamicPropertyRegistry registry) throws IOException {
		deleteTree(HOME);
		Files.createDirectories(HOME);
		registry.add("chatvault.home", HOME::toString);
		registry.add("chatvault.migration.progress", () -> "false");
		registry.add("chatvault.search.index-at-archive", () -> String.valueOf(TOKENS));
	}

	@Autowired
	MigrateCommand migrate;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Test
	void migrateGeneratedExports() throws Exception {
		// given
		Path exports = Files.createDirectories(HOME.resolve("exports"));
		long mediaBytes = 0;
		long started = System.nanoTime();
		for (int i = 0; i < EXPORTS; i++) {
			mediaBytes += GeneratedWhatsAppExport.writeZip(exports.resolve(String.format("chat-%02d.zip", i)),
					"Bench " + i, MESSAGES / EXPORTS, 1000 + i, MIX);
		}
		long exportBytes = size(exports);
		System.out.printf("generated %d exports, %,d bytes (%,d of media) in %.1f s%n", EXPORTS, exportBytes,
				mediaBytes, (System.nanoTime() - started) / 1e9);

		// when
		String loadAtStart = CpuUsage.loadAverage();
		PeakMemory memory = PeakMemory.start();
		CpuUsage cpu = CpuUsage.start(this.dataSource);
		long t0 = System.nanoTime();
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		ExitCode exit = CommandDispatcher.execute(this.migrate, new PrintStream(output, true, StandardCharsets.UTF_8),
				exports.toString());
		double seconds = (System.nanoTime() - t0) / 1e9;
		cpu.stop();
		memory.stop();
		System.out.println(output.toString(StandardCharsets.UTF_8));

		// then
		assertThat(exit).isEqualTo(ExitCode.COMPLETED);
		long archived = this.jdbc.sql("SELECT count(*) FROM vault_message").query(Long.class).single();
		assertThat(archived).isEqualTo(MESSAGES);
		long stored = size(HOME.resolve("objects"));
		double copySeconds = copyIndexRows(false);
		double copyWithTokensSeconds = copyIndexRows(true);
		double rate = archived / seconds;
		String table = String.format("""
				| messages | exports | export size | media | migration | messages/s | peak heap | peak RSS | COPY of %,d index rows (without tokens) | migration / COPY |
				|---|---|---|---|---|---|---|---|---|---|
				| %,d | %d | %,d MB | %,d MB | %.1f s | %,.0f | %,d MB | %,d MB | %.1f s | %.1f x |
				""", archived, archived, EXPORTS, exportBytes >> 20, mediaBytes >> 20, seconds, rate,
				memory.peakHeap() >> 20, memory.peakRss() >> 20, copySeconds, seconds / copySeconds);
		String figures = String.format(
				"search tokens %s; %s; load average %s at the start, %s at the end; primary store holds %,d MB; "
						+ "COPY of the index rows with their search tokens and GIN index %.1f s (migration / that "
						+ "COPY %.1f x)",
				TOKENS ? "on" : "off", cpu.perItem(archived), loadAtStart, CpuUsage.loadAverage(), stored >> 20,
				copyWithTokensSeconds, seconds / copyWithTokensSeconds);
		System.out.println(table + figures + "; heap samples (MB) " + memory.samples());
		Files.createDirectories(Path.of("target/bench"));
		Files.writeString(Path.of("target/bench/migration.md"), LocalDate.now() + "\n\n" + table
				+ "\n" + figures + "\nheap samples (MB, every 2 s): " + memory.samples() + "\n");
	}

	/**
	 * Loads as many rows as the migration indexed into a copy of the index table (same
	 * columns, keys and indexes) with COPY, from rows already in memory: the database's
	 * own floor for writing the index. Without the search tokens (column and GIN index)
	 * it is the floor the earlier figures compare with; with them, the floor of what the
	 * migration writes with tokens on.
	 */
	private double copyIndexRows(boolean withTokens) throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
			Path rows = HOME.resolve("index-rows.copy");
			try (var out = Files.newOutputStream(rows)) {
				copy.copyOut("COPY (SELECT " + (withTokens ? "*" : INDEX_COLUMNS)
						+ " FROM vault_message) TO STDOUT (FORMAT binary)", out);
			}
			try (var statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS bench_copy_floor");
				statement.execute("CREATE TABLE bench_copy_floor (LIKE vault_message INCLUDING ALL)");
				if (!withTokens) {
					// its GIN index goes with it
					statement.execute("ALTER TABLE bench_copy_floor DROP COLUMN tokens");
				}
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

	static long size(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return 0;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			return files.filter(Files::isRegularFile).mapToLong((f) -> f.toFile().length()).sum();
		}
	}

	static void deleteTree(Path dir) throws IOException {
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

	/** Samples heap use and the process's resident set while the migration runs. */
	static final class PeakMemory {

		private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

		private final AtomicLong peakHeap = new AtomicLong();

		private final List<Long> samples = new ArrayList<>();

		private final Thread sampler;

		private volatile boolean running = true;

		private PeakMemory() {
			this.sampler = new Thread(() -> {
				long n = 0;
				while (this.running) {
					long used = this.memory.getHeapMemoryUsage().getUsed();
					this.peakHeap.accumulateAndGet(used, Math::max);
					if (n++ % 20 == 0) {
						synchronized (this.samples) {
							this.samples.add(used >> 20);
						}
					}
					try {
						Thread.sleep(100);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "peak-memory");
			this.sampler.setDaemon(true);
		}

		static PeakMemory start() {
			PeakMemory memory = new PeakMemory();
			memory.sampler.start();
			return memory;
		}

		void stop() throws InterruptedException {
			this.running = false;
			this.sampler.join();
		}

		long peakHeap() {
			return this.peakHeap.get();
		}

		/** VmHWM of /proc/self/status: the most resident memory the process ever had. */
		long peakRss() throws IOException {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
				}
			}
			return -1;
		}

		List<Long> samples() {
			synchronized (this.samples) {
				return List.copyOf(this.samples);
			}
		}

	}

}
