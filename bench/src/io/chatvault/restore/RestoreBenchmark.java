package io.chatvault.restore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.message.Sha256;
import io.chatvault.migration.GeneratedWhatsAppExport;
import io.chatvault.storage.StorageProperties;
import io.chatvault.testsupport.TestS3;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's restore figure: one custodian with {@code bench.messages} messages (default
 * 80,000) in a WhatsApp zip with the migration benchmark's media mix (40% text, 35%
 * images, 20% video, 5% voice notes by volume) is migrated, then restored in full by
 * {@link Restorer} (records, transcript, media, the export's files), then proven by the
 * drill's check ({@link RestoredCheck}). The floor of the same run: copying and hashing
 * as many bytes as the restore wrote, file to file. {@code -Dbench.store=rgw} puts the
 * primary store on Ceph RGW ({@code ops/dev/ceph-rgw.sh}; the replica stays a directory).
 * Run:
 *
 * <pre>
 * ./mvnw -B -o -Pbench test -Dtest=RestoreBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.store=rgw]
 * </pre>
 *
 * The row goes to the console and to target/bench/restore-&lt;store&gt;.md: wall clock,
 * the CPU of the whole JVM during the restore (the restore thread's and the vault's
 * read-ahead threads', but also GC and JIT) with the restore thread's own in brackets, and
 * the CPU of this database's PostgreSQL backends (from /proc, when the server runs on
 * this machine).
 */
@SpringBootTest
class RestoreBenchmark {

	static final int MESSAGES = Integer.getInteger("bench.messages", 80_000);

	static final String STORE = System.getProperty("bench.store", "filesystem");

	static final Path HOME = Path.of(System.getProperty("bench.home", "target/bench/restore-" + STORE))
		.toAbsolutePath();

	@DynamicPropertySource
	static void stores(DynamicPropertyRegistry registry) throws IOException {
		delete(HOME);
		Files.createDirectories(HOME);
		registry.add("chatvault.home", HOME::toString);
		registry.add("chatvault.migration.progress", () -> "false");
		if (STORE.equals("rgw")) {
			StorageProperties.Store bucket = TestS3.freshLockedBucket();
			registry.add("chatvault.storage.primary.type", () -> "s3");
			registry.add("chatvault.storage.primary.bucket", bucket::bucket);
			registry.add("chatvault.storage.primary.endpoint", () -> bucket.endpoint().toString());
			registry.add("chatvault.storage.primary.region", bucket::region);
			registry.add("chatvault.storage.primary.path-style", () -> "true");
			registry.add("chatvault.storage.primary.access-key", bucket::accessKey);
			registry.add("chatvault.storage.primary.secret-key", bucket::secretKey);
		}
	}

	@Autowired
	CommandDispatcher dispatcher;

	@Autowired
	Restorer restorer;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void restoreOneCustodianOfEightyThousandMessages() throws Exception {
		Path zip = Files.createDirectories(HOME.resolve("exports")).resolve("WhatsApp Chat with Bench.zip");
		long media = GeneratedWhatsAppExport.writeZip(zip, "Bench", MESSAGES, 42,
				new GeneratedWhatsAppExport.MediaMix(0.40, 0.35, 0.20, 0.05));
		long migrateStart = System.nanoTime();
		ExitCode migrated = this.dispatcher.dispatch(List.of("migrate", zip.toString(), "custodian=bench"), System.out,
				System.err);
		double migrateSeconds = (System.nanoTime() - migrateStart) / 1e9;
		assertThat(migrated).isEqualTo(ExitCode.COMPLETED);

		String loadBefore = load();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Path target = HOME.resolve("restored");
		System.gc();
		resetPeaks();
		Map<Integer, Long> database0 = database();
		long process0 = processCpu();
		long cpu0 = threads.getCurrentThreadCpuTime();
		long t0 = System.nanoTime();
		RestoreResult result = this.restorer.restore(RestoreRequest.everything("bench"), (any) -> true, target, false);
		long t1 = System.nanoTime();
		long cpu1 = threads.getCurrentThreadCpuTime();
		long process1 = processCpu();
		long peakHeap = peakHeap();
		Map<Integer, Long> database1 = database();
		RestoredCheck.Checked checked = new RestoredCheck(this.jdbc).check(target, "bench", null, null, true);
		long t2 = System.nanoTime();
		long floorBytes = floor(target, HOME.resolve("floor"));
		long t3 = System.nanoTime();
		String loadAfter = load();

		assertThat(result.complete()).isTrue();
		assertThat(checked.problemCount).isZero();
		assertThat(checked.verifiedRecords).isEqualTo(MESSAGES);
		double restoreSeconds = (t1 - t0) / 1e9;
		String row = String.format(
				"| %s | %s | %,d records, %,d media files (%.1f MB), %d export files; %,d files, %.1f MB written | "
						+ "%.2f s | %,.0f | %.2f s (%.2f s) | %s | %.2f s | %.2f s (%.1f MB) | %d MB | %.1f s | %s -> %s |",
				Instant.now().toString().substring(0, 16), STORE, result.records(), result.mediaFiles(), media / 1e6,
				result.originals(), result.files(), result.bytes() / 1e6, restoreSeconds,
				result.records() / restoreSeconds, (process1 - process0) / 1e9, (cpu1 - cpu0) / 1e9,
				databaseCpu(database0, database1), (t2 - t1) / 1e9, (t3 - t2) / 1e9, floorBytes / 1e6, peakHeap >> 20,
				migrateSeconds, loadBefore, loadAfter);
		System.out.println(
				"| run (UTC) | primary store | restored | restore wall | records/s | restore CPU: JVM (restore thread) | PostgreSQL backends' CPU | drill check | floor: copy+hash | peak heap | migrate (setup) | load average before -> after |");
		System.out.println(row);
		Files.createDirectories(Path.of("target/bench"));
		Files.writeString(Path.of("target/bench/restore-" + STORE + ".md"), row + "\n");
	}

	/** Copies and hashes every file the restore wrote: the floor of writing those bytes. */
	private static long floor(Path from, Path to) throws IOException {
		List<Path> files;
		try (var walk = Files.walk(from)) {
			files = walk.filter(Files::isRegularFile).toList();
		}
		long bytes = 0;
		Files.createDirectories(to);
		int i = 0;
		for (Path file : files) {
			try (InputStream in = Files.newInputStream(file);
					OutputStream out = new DigestOutputStream(Files.newOutputStream(to.resolve(Integer.toString(i++))),
							Sha256.digest())) {
				bytes += in.transferTo(out);
			}
		}
		return bytes;
	}

	/** CPU time of the whole JVM: the restore thread and the read-ahead threads. */
	private static long processCpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * The CPU time (clock ticks of 10 ms) of each of this database's PostgreSQL backends,
	 * by process id, when they run on this machine and /proc shows them (else empty).
	 */
	private Map<Integer, Long> database() {
		Map<Integer, Long> ticks = new HashMap<>();
		for (Integer pid : this.jdbc.queryForList(
				"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'",
				Integer.class)) {
			try {
				String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ", 2)[1].split(" ");
				ticks.put(pid, Long.parseLong(stat[11]) + Long.parseLong(stat[12]));
			}
			catch (IOException | RuntimeException ex) {
				return Map.of();
			}
		}
		return ticks;
	}

	/** The CPU the backends used between two looks, or "n/a". */
	private static String databaseCpu(Map<Integer, Long> before, Map<Integer, Long> after) {
		if (before.isEmpty() || after.isEmpty()) {
			return "n/a";
		}
		long ticks = 0;
		for (Map.Entry<Integer, Long> backend : after.entrySet()) {
			ticks += backend.getValue() - before.getOrDefault(backend.getKey(), 0L);
		}
		return String.format("%.2f s", ticks / 100.0);
	}

	private static String load() throws IOException {
		String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
		return fields[0] + " " + fields[1] + " " + fields[2];
	}

	private static void resetPeaks() {
		ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
	}

	private static long peakHeap() {
		long peak = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				peak += pool.getPeakUsage().getUsed();
			}
		}
		return peak;
	}

	static void delete(Path tree) throws IOException {
		if (!Files.exists(tree)) {
			return;
		}
		List<Path> paths = new ArrayList<>();
		try (var walk = Files.walk(tree)) {
			walk.forEach(paths::add);
		}
		for (int i = paths.size() - 1; i >= 0; i--) {
			paths.get(i).toFile().setWritable(true);
			Files.deleteIfExists(paths.get(i));
		}
	}

}
