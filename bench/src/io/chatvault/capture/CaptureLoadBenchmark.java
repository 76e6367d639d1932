package io.chatvault.capture;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.chatvault.migration.ChatVaultProcesses;
import io.chatvault.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Load on {@code chatvault serve} from a second process on loopback: {@code serve} runs as
 * an operator starts it (a child JVM, the real command), this JVM posts signed WhatsApp
 * Cloud API webhook bodies (~860 bytes, one text message each, unique) from
 * {@code bench.threads} keep-alive connections (default 64), each waiting for its answer
 * (closed loop), for {@code bench.seconds} (default 30) after a warm-up of at least
 * {@code bench.warmup} seconds and {@code bench.warmup-deliveries} deliveries (10 s,
 * 30,000: the JIT). Reports acknowledged deliveries per second, p50/p99/max latency to
 * the acknowledgement, lost deliveries (acknowledged but not in the inbox: must be 0),
 * serve's CPU per delivery, the load generator's CPU, deliveries per PostgreSQL commit and
 * the load average; with {@code -Dbench.kill=true} serve is SIGKILLed half way and the
 * same check runs on what was acknowledged before. The floor, in the same run: the same
 * number of connections doing PostgreSQL auto-commit inserts of the same size straight
 * from this JVM. {@code -Dbench.jfr=<file>} records serve with JFR during the measured run
 * (starting JFR deoptimizes code: profile with it, do not time with it). The table is
 * printed and written to {@code target/bench/capture.md}. Run (docs/capture.md,
 * docs/BENCHMARKS.md):
 *
 * <pre>
 * CHATVAULT_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/test ./mvnw -B -o -Pbench test \
 *   -Dtest=CaptureLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.seconds=30] \
 *   [-Dbench.threads=64] [-Dbench.kill=true]; cat target/bench/capture.md
 * </pre>
 */
class CaptureLoadBenchmark {

	static final int SECONDS = Integer.getInteger("bench.seconds", 30);

	static final int THREADS = Integer.getInteger("bench.threads", 64);

	/** Warm-up: at least this long, and at least {@link #WARMUP_DELIVERIES}. */
	static final int WARMUP = Integer.getInteger("bench.warmup", 10);

	static final int WARMUP_DELIVERIES = Integer.getInteger("bench.warmup-deliveries", 30_000);

	static final int WARMUP_MAX_SECONDS = Integer.getInteger("bench.warmup-max", 300);

	static final boolean KILL = Boolean.getBoolean("bench.kill");

	/** A JFR recording of serve during the measured run, to that file. */
	static final String JFR = System.getProperty("bench.jfr");

	static final String SECRET = "bench-app-secret";

	@Test
	void load() throws Exception {
		int web = freePort();
		int management = freePort();
		ChatVaultProcesses chatvault = new ChatVaultProcesses("chatvault-capturebench",
				List.of("chatvault.capture.whatsapp.load.app-secret=" + SECRET, "server.port=" + web,
						"management.server.port=" + management, "logging.level.io.chatvault.capture.security=ERROR"));
		Process serve = chatvault.start("serve");
		try {
			awaitReady(serve, management, chatvault.home());
			WebhookLoad load = new WebhookLoad(URI.create("http://127.0.0.1:" + web + "/webhooks/whatsapp/load"),
					SECRET);
			// Warm-up: the JIT (compiled code only after some 10,000 requests), the pool,
			// the day's data key. By deliveries, not time: on a loaded machine the
			// measured run would otherwise time the JIT compiler.
			long warmupStart = System.nanoTime();
			WebhookLoad.Result warmup = load.run(THREADS, Duration.ofSeconds(WARMUP_MAX_SECONDS),
					(acknowledged) -> acknowledged >= WARMUP_DELIVERIES
							&& System.nanoTime() - warmupStart >= Duration.ofSeconds(WARMUP).toNanos(),
					"warmup", Long.MAX_VALUE);
			String warmedUp = String.format("warm-up %,d deliveries in %.0f s", warmup.acknowledged().size(),
					warmup.elapsed().toMillis() / 1000.0);
			TestDatabase.Coordinates database = chatvault.database();
			JdbcTemplate jdbc = new JdbcTemplate(
					new SingleConnectionDataSource(database.jdbcUrl(), database.user(), database.password(), true));
			Thread.sleep(1_500); // the server's statistics of the warm-up flushed
			long commitsBefore = commits(jdbc);
			if (JFR != null) {
				jcmd(serve.pid(), "JFR.start", "name=capture", "settings=profile", "duration=" + SECONDS + "s",
						"filename=" + Path.of(JFR).toAbsolutePath());
			}
			String loadBefore = loadAverage();
			long serveCpuBefore = cpuNanos(serve.pid());
			long benchCpuBefore = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
				.getProcessCpuTime();
			long killAt = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos() / 2;
			AtomicLong serveCpuAtKill = new AtomicLong(-1);
			WebhookLoad.Result result = load.run(THREADS, Duration.ofSeconds(SECONDS), (acknowledged) -> {
				if (KILL && System.nanoTime() >= killAt) {
					synchronized (serveCpuAtKill) {
						if (serve.isAlive()) {
							serveCpuAtKill.set(cpuNanosOrMinusOne(serve.pid()));
							serve.destroyForcibly();
						}
					}
				}
				return KILL && !serve.isAlive();
			}, "load", Long.MAX_VALUE);
			long serveCpuEnd = serve.isAlive() ? cpuNanos(serve.pid()) : serveCpuAtKill.get();
			long serveCpu = (serveCpuEnd >= 0) ? serveCpuEnd - serveCpuBefore : -1;
			long benchCpu = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
				.getProcessCpuTime() - benchCpuBefore;
			String loadAfter = loadAverage();
			serve.waitFor(KILL ? 30 : 0, TimeUnit.SECONDS);
			Thread.sleep(1_500);
			long commits = commits(jdbc) - commitsBefore;
			Set<String> stored = new HashSet<>(jdbc.queryForList(
					"SELECT dedupe_key FROM capture_inbox WHERE app = 'load' AND dedupe_key LIKE 'sha256:%'",
					String.class));
			long lost = result.acknowledged().stream().filter((key) -> !stored.contains(key)).count();
			double floor = insertFloor(database, THREADS, Duration.ofSeconds(Math.min(15, SECONDS)));
			long acknowledged = result.acknowledged().size();
			String table = String.format("""
					| mode | connections | measured | acknowledged | per second | p50 | p99 | max | not answered (refused, failed) | lost | serve CPU | serve CPU per delivery | load generator CPU | deliveries per commit | floor: PostgreSQL auto-commit inserts/s | load average (1, 5, 15 min; before, after) |
					|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
					| %s | %d | %.1f s | %,d | %,.0f | %.1f ms | %.1f ms | %.1f ms | %d, %d | %d | %s | %s | %.1f s | %.1f | %,.0f | %s; %s |
					""", KILL ? "SIGKILL half way" : "sustained", THREADS, result.elapsed().toMillis() / 1000.0,
					acknowledged, result.perSecond(), result.percentileMillis(50), result.percentileMillis(99),
					result.percentileMillis(100), result.refused(), result.failed(), lost,
					(serveCpu >= 0) ? String.format("%.1f s%s", serveCpu / 1e9, KILL ? " (to the kill)" : "") : "-",
					(serveCpu >= 0 && acknowledged > 0) ? String.format("%.3f ms", serveCpu / 1e6 / acknowledged)
							: "-",
					benchCpu / 1e9, (commits > 0) ? (double) acknowledged / commits : Double.NaN, floor, loadBefore,
					loadAfter);
			System.out.println();
			System.out.println(warmedUp);
			System.out.println(table);
			Files.createDirectories(Path.of("target/bench"));
			Files.writeString(Path.of("target/bench/capture.md"), LocalDate.now() + " " + Runtime.getRuntime()
				.availableProcessors() + " CPUs (serve and load generator share them), " + warmedUp + "\n\n" + table);
			assertThat(lost).as("deliveries answered 2xx but not in the inbox").isZero();
		}
		finally {
			serve.destroy();
			serve.waitFor(60, TimeUnit.SECONDS);
			chatvault.deleteHome();
		}
	}

	/** Auto-commit inserts of a body's size from as many connections, per second. */
	private static double insertFloor(TestDatabase.Coordinates database, int threads, Duration duration)
			throws Exception {
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
				database.password())) {
			connection.createStatement()
				.execute("CREATE TABLE IF NOT EXISTS bench_floor (id BIGSERIAL PRIMARY KEY, k TEXT UNIQUE, body BYTEA)");
		}
		AtomicLong inserted = new AtomicLong();
		long deadline = System.nanoTime() + duration.toNanos();
		List<Thread> workers = new java.util.ArrayList<>();
		byte[] body = new byte[860];
		for (int t = 0; t < threads; t++) {
			int thread = t;
			Thread worker = new Thread(() -> {
				try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
						database.password());
						PreparedStatement insert = connection
							.prepareStatement("INSERT INTO bench_floor (k, body) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
					long i = 0;
					while (System.nanoTime() < deadline) {
						insert.setString(1, thread + "-" + i++);
						insert.setBytes(2, body);
						insert.executeUpdate();
						inserted.incrementAndGet();
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			worker.start();
			workers.add(worker);
		}
		for (Thread worker : workers) {
			worker.join();
		}
		return inserted.get() / (duration.toNanos() / 1e9);
	}

	private static void awaitReady(Process serve, int management, Path home) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
		HttpClient http = HttpClient.newHttpClient();
		while (System.nanoTime() < deadline) {
			if (!serve.isAlive()) {
				throw new AssertionError("serve ended: " + Files.readString(home.resolve("child.log")));
			}
			try {
				if (http.send(HttpRequest.newBuilder(
						URI.create("http://127.0.0.1:" + management + "/actuator/health/readiness")).build(),
						HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not yet
			}
			Thread.sleep(250);
		}
		throw new AssertionError("serve did not become ready");
	}

	/** Transactions committed in the database so far (pg_stat_database). */
	private static long commits(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
				Long.class);
	}

	private static void jcmd(long pid, String... command) throws Exception {
		List<String> line = new java.util.ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
		line.addAll(List.of(command));
		Process jcmd = new ProcessBuilder(line).inheritIO().start();
		if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
			throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed");
		}
	}

	private static long cpuNanosOrMinusOne(long pid) {
		try {
			return cpuNanos(pid);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/** User + system CPU of a process, from /proc. */
	private static long cpuNanos(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		return ticks * 10_000_000L; // USER_HZ = 100
	}

	private static String loadAverage() throws IOException {
		String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
		return fields[0] + " " + fields[1] + " " + fields[2];
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
