package io.chatvault.integrity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.message.Sha256;
import io.chatvault.migration.GeneratedWhatsAppExport;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.ReplicatedObjectStore;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verification throughput of {@code checksum-sampling} (issue 11's figures): an archive of
 * a generated text-only WhatsApp export of {@code bench.messages} messages (default
 * 300,000) and a zip of {@code bench.media-messages} (default 300,000) with the migration
 * benchmark's media mix ({@code bench.text-share}, default 0.40, of its bytes chat text,
 * the rest images, videos and voice notes) is migrated on the embedded default
 * (filesystem primary and replica under a fresh {@code CHATVAULT_HOME}, embedded
 * PostgreSQL), then a full pass ({@code full=true}: every item of every kind read from
 * the primary and checked to content depth), the floor (the same objects read whole and
 * hashed with SHA-256 on two threads, nothing else), a day's sample and the full pass
 * again (another day's, the JIT warm) are run, the passes through the command line;
 * {@code bench.messages=0} leaves the text export out (an archive of the media mix
 * alone). Reported: bytes and records checked, wall seconds,
 * MB/s and records/s from {@code integrity_run}, the JVM's CPU seconds and the CPU
 * seconds of the PostgreSQL backends of the pool (the load-independent figures on a
 * shared machine), with the load average before and after. Run:
 *
 * <pre>
 * ./mvnw -B -o -Pbench test -Dtest=ChecksumSamplingBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DargLine=-Xmx2g
 * ./mvnw -B -o -Pbench test -Dtest=ChecksumSamplingS3Benchmark -Dsurefire.failIfNoSpecifiedTests=false -DargLine=-Xmx2g
 * </pre>
 *
 * The table goes to the console and to target/bench/checksum-sampling-&lt;store&gt;.md.
 */
@SpringBootTest
class ChecksumSamplingBenchmark {

	static final int MESSAGES = Integer.getInteger("bench.messages", 300_000);

	static final int MEDIA_MESSAGES = Integer.getInteger("bench.media-messages", 300_000);

	/** The share of the media export's bytes that is chat text (the rest media, in the migration mix). */
	static final double TEXT_SHARE = Double.parseDouble(System.getProperty("bench.text-share", "0.40"));

	static final GeneratedWhatsAppExport.MediaMix MIX = new GeneratedWhatsAppExport.MediaMix(TEXT_SHARE,
			(1 - TEXT_SHARE) * 0.35 / 0.60, (1 - TEXT_SHARE) * 0.20 / 0.60, (1 - TEXT_SHARE) * 0.05 / 0.60);

	static final Path HOME = Path.of(System.getProperty("bench.home", "target/bench/checksum-sampling"))
		.toAbsolutePath();

	@DynamicPropertySource
	static void embeddedDefault(DynamicPropertyRegistry registry) throws IOException {
		deleteTree(HOME);
		Files.createDirectories(HOME);
		registry.add("chatvault.home", HOME::toString);
		registry.add("chatvault.migration.progress", () -> "false");
	}

	@Autowired
	CommandDispatcher dispatcher;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ObjectStore store;

	String store() {
		return "filesystem";
	}

	@Test
	void verificationThroughput() throws IOException {
		// Either export may be left out (0 messages): bench.messages=0 is an archive of
		// the migration benchmark's media mix alone.
		if (MESSAGES > 0) {
			Path text = Files.createDirectories(HOME.resolve("exports/text")).resolve("WhatsApp Chat with Bench.txt");
			GeneratedWhatsAppExport.writeText(text, MESSAGES, 42);
			assertThat(command("migrate", text.toString(), "custodian=alice@example.com").exitCode())
				.isEqualTo(ExitCode.COMPLETED);
		}
		if (MEDIA_MESSAGES > 0) {
			Path media = Files.createDirectories(HOME.resolve("exports/media")).resolve("chat-media.zip");
			GeneratedWhatsAppExport.writeZip(media, "Bench Media", MEDIA_MESSAGES, 7, MIX);
			assertThat(command("migrate", media.toString(), "custodian=bob@example.com").exitCode())
				.isEqualTo(ExitCode.COMPLETED);
		}
		this.jdbc.execute("VACUUM ANALYZE");

		long primaryBytes = this.jdbc.queryForObject("SELECT (SELECT coalesce(sum(size), 0) FROM vault_pack) "
				+ "+ (SELECT coalesce(sum(stored_length), 0) FROM vault_receipt WHERE object_key <> '') "
				+ "+ (SELECT coalesce(sum(stored_length), 0) FROM vault_quarantine)", Long.class);
		Map<String, Object> records = this.jdbc.queryForMap("SELECT (SELECT coalesce(sum(records), 0) "
				+ "FROM vault_message_count) AS records, (SELECT count(*) FROM vault_pack) AS packs, "
				+ "(SELECT coalesce(sum(stored_length), 0) FROM vault_block WHERE kind = 1) AS record_bytes, "
				+ "(SELECT coalesce(sum(stored_length), 0) FROM vault_block WHERE kind = 4) AS media_bytes");

		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		String full = measure("full pass", "day=" + today, "full=true");
		String floor = floor();
		String sample = measure("daily sample", "day=" + today.minusDays(1));
		// The same full pass again (another day's run), the JIT warm: what a monthly
		// full pass over a large archive does after its first minute.
		String again = measure("full pass again (JIT warm)", "day=" + today.minusDays(2), "full=true");

		StringBuilder out = new StringBuilder();
		out.append(String.format("archive: %,d records, %,d packs, %,.1f MB in the primary store (objects the pass "
				+ "reads: records blocks %,.1f MB, media chunks %,.1f MB); text share of the media export %.2f%n%n",
				((Number) records.get("records")).longValue(), ((Number) records.get("packs")).longValue(),
				primaryBytes / 1e6, ((Number) records.get("record_bytes")).longValue() / 1e6,
				((Number) records.get("media_bytes")).longValue() / 1e6, TEXT_SHARE));
		out.append("| store | run | items | records | MB read | wall s | MB/s | records/s | JVM CPU s | MB per JVM CPU s "
				+ "| PostgreSQL CPU s | load before / after |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		out.append(full).append('\n').append(floor).append('\n').append(sample).append('\n').append(again).append('\n');
		System.out.println(out);
		Files.createDirectories(Path.of("target/bench"));
		Files.writeString(Path.of("target/bench/checksum-sampling-" + store() + ".md"), LocalDate.now() + "\n\n" + out);
	}

	private String measure(String name, String... parameters) {
		String loadBefore = loadAverage();
		List<Integer> backends = this.jdbc.queryForList("SELECT pid FROM pg_stat_activity WHERE datname = "
				+ "current_database() AND backend_type = 'client backend'", Integer.class);
		double pg0 = cpuSecondsOf(backends);
		long cpu0 = processCpuNanos();
		String[] line = Stream.concat(Stream.of("run", "checksum-sampling"), Stream.of(parameters))
			.toArray(String[]::new);
		Run run = command(line);
		double cpu = (processCpuNanos() - cpu0) / 1e9;
		double pg = cpuSecondsOf(backends) - pg0;
		System.out.println(run.output());
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED);
		Map<String, Object> row = this.jdbc.queryForMap(
				"SELECT * FROM integrity_run WHERE day = ? AND full_pass = ?",
				java.sql.Date.valueOf(parameters[0].substring(4)), parameters.length > 1);
		double megabytes = ((Number) row.get("bytes_read")).longValue() / 1e6;
		return String.format("| %s | %s | %,d | %,d | %,.1f | %.1f | %.1f | %,.0f | %.1f | %.1f | %.1f | %s / %s |",
				store(), name, ((Number) row.get("sampled")).longValue(),
				((Number) row.get("records_sampled")).longValue(), megabytes,
				((Number) row.get("seconds")).doubleValue(), ((Number) row.get("mb_per_second")).doubleValue(),
				((Number) row.get("records_per_second")).doubleValue(), cpu, megabytes / cpu, pg, loadBefore,
				loadAverage());
	}

	/**
	 * The CPU seconds (user and system) some processes of this machine have used: the
	 * PostgreSQL backends of the pool, which share the cores with the JVM. 0 for those
	 * not readable (another machine).
	 */
	private static double cpuSecondsOf(List<Integer> pids) {
		double seconds = 0;
		for (int pid : pids) {
			try {
				String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
			}
			catch (IOException | RuntimeException ex) {
				// gone, or not on this machine
			}
		}
		return seconds;
	}

	/**
	 * The floor, in the same run: every object the full pass read (packs, receipts,
	 * quarantined input), read whole from the primary store and hashed with SHA-256, on
	 * two threads, and nothing else.
	 */
	private String floor() {
		List<String> keys = this.jdbc.queryForList("SELECT object_key FROM vault_pack "
				+ "UNION ALL SELECT object_key FROM vault_receipt WHERE object_key <> '' "
				+ "UNION ALL SELECT object_key FROM vault_quarantine WHERE parts = 0 "
				+ "UNION ALL SELECT object_key FROM vault_quarantine_part", String.class);
		ObjectStore primary = (this.store instanceof ReplicatedObjectStore replicated) ? replicated.primary()
				: this.store;
		String loadBefore = loadAverage();
		long cpu0 = processCpuNanos();
		long wall0 = System.nanoTime();
		ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(keys);
		AtomicLong bytes = new AtomicLong();
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < 2; t++) {
				done.add(threads.submit(() -> {
					MessageDigest sha256 = Sha256.digest();
					for (String key = queue.poll(); key != null; key = queue.poll()) {
						try (InputStream in = primary.get(key).orElseThrow()) {
							byte[] all = in.readAllBytes();
							sha256.update(all);
							sha256.digest();
							bytes.addAndGet(all.length);
						}
					}
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			threads.shutdown();
		}
		double wall = (System.nanoTime() - wall0) / 1e9;
		double cpu = (processCpuNanos() - cpu0) / 1e9;
		double megabytes = bytes.get() / 1e6;
		return String.format("| %s | floor: read whole + SHA-256, 2 threads | %,d | | %,.1f | %.1f | %.1f | | %.1f | %.1f "
				+ "| | %s / %s |", store(), keys.size(), megabytes, wall, megabytes / wall, cpu, megabytes / cpu,
				loadBefore, loadAverage());
	}

	private Run command(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ExitCode code = this.dispatcher.dispatch(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
				System.err);
		return new Run(code, out.toString(StandardCharsets.UTF_8));
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				path.toFile().setWritable(true);
				Files.delete(path);
			}
		}
	}

	record Run(ExitCode exitCode, String output) {
	}

}
