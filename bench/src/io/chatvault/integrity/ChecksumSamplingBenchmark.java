package io.chatvault.integrity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
import io.chatvault.vault.VaultCatalog;
import io.chatvault.vault.VaultCatalog.ItemKind;
import io.chatvault.vault.VaultCatalog.PackItems;
import io.chatvault.vault.VaultCatalog.PackVerification;
import io.chatvault.vault.VaultCatalog.Verification;
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

	/**
	 * Keep the archive of an earlier run with the same shape (messages, media messages,
	 * text share) instead of migrating it again: passes over a large archive can then be
	 * measured again and again without its migration. The archive's own write path is
	 * not measured here, so an archive written by older code is still checked by the
	 * code at hand (the marker file names the commit that wrote it).
	 */
	static final boolean REUSE = Boolean.getBoolean("bench.reuse-archive");

	/** Full passes after the first, the JIT warm (each another day's run). */
	static final int WARM_PASSES = Math.max(1, Integer.getInteger("bench.warm-passes", 1));

	/**
	 * Rounds of the check alone ({@link #checkAlone}): every pack checked on one thread,
	 * outside the job, its CPU time taken from the thread; 0 leaves it out.
	 */
	static final int CHECK_ROUNDS = Integer.getInteger("bench.check-rounds", 0);

	/** Only the check alone: no runs of the job, no floor (for comparing code quickly). */
	static final boolean CHECK_ONLY = Boolean.getBoolean("bench.check-only");

	static final Path MARKER = HOME.resolve("bench-archive.txt");

	static boolean reused;

	@DynamicPropertySource
	static void embeddedDefault(DynamicPropertyRegistry registry) throws IOException {
		reused = REUSE && Files.exists(MARKER) && Files.readAllLines(MARKER).get(0).equals(shape());
		if (!reused) {
			deleteTree(HOME);
		}
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

	@Autowired
	VaultCatalog catalog;

	String store() {
		return "filesystem";
	}

	static String shape() {
		return "messages=" + MESSAGES + " media-messages=" + MEDIA_MESSAGES + " text-share=" + TEXT_SHARE;
	}

	@Test
	void verificationThroughput() throws IOException {
		if (!reused) {
			migrate();
		}
		else {
			System.out.println("reusing the archive in " + HOME + ": " + Files.readString(MARKER));
		}
		measureAll();
	}

	private void migrate() throws IOException {
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
		Files.writeString(MARKER, shape() + "\nwritten " + java.time.Instant.now() + " by "
				+ System.getProperty("bench.commit", "the code at hand") + "\n");
	}

	private void measureAll() throws IOException {
		long primaryBytes = this.jdbc.queryForObject("SELECT (SELECT coalesce(sum(size), 0) FROM vault_pack) "
				+ "+ (SELECT coalesce(sum(stored_length), 0) FROM vault_receipt WHERE object_key <> '') "
				+ "+ (SELECT coalesce(sum(stored_length), 0) FROM vault_quarantine)", Long.class);
		Map<String, Object> records = this.jdbc.queryForMap("SELECT (SELECT coalesce(sum(records), 0) "
				+ "FROM vault_message_count) AS records, (SELECT count(*) FROM vault_pack) AS packs, "
				+ "(SELECT coalesce(sum(stored_length), 0) FROM vault_block WHERE kind = 1) AS record_bytes, "
				+ "(SELECT coalesce(sum(stored_length), 0) FROM vault_block WHERE kind = 4) AS media_bytes");

		// A reused archive has runs of earlier days: this run's days come before them.
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		java.sql.Date earliest = this.jdbc.queryForObject("SELECT min(day) FROM integrity_run", java.sql.Date.class);
		if (earliest != null && !earliest.toLocalDate().isAfter(today)) {
			today = earliest.toLocalDate().minusDays(1);
		}
		if (CHECK_ONLY) {
			String out = checkAlone();
			System.out.println(out);
			Files.createDirectories(Path.of("target/bench"));
			Files.writeString(Path.of("target/bench/checksum-sampling-check-" + store() + ".md"), out + "\n");
			return;
		}
		Map<String, Long> firstTicks0 = threadTicks();
		long firstCpu0 = processCpuNanos();
		String full = measure("full pass", "day=" + today, "full=true");
		printThreadCpu(firstTicks0, threadTicks(), (processCpuNanos() - firstCpu0) / 1e9, "the first full pass");
		String floor = floor();
		String sample = measure("daily sample", "day=" + today.minusDays(1));
		// The same full pass again (another day's run), the JIT warm: what a monthly
		// full pass over a large archive does after its first minute. With
		// bench.warm-passes=n, n such passes, and a row for them together: as one pass
		// over an archive n times as large, the JIT warm (each pass still pays the run's
		// own fixed costs: job start, draw, summary).
		List<Measured> warm = new ArrayList<>();
		Map<String, Long> threadTicks0 = threadTicks();
		long warmCpu0 = processCpuNanos();
		for (int i = 0; i < WARM_PASSES; i++) {
			Map<String, Long> passTicks0 = threadTicks();
			long passCpu0 = processCpuNanos();
			warm.add(measured((i == 0) ? "full pass again (JIT warm)" : "full pass again (JIT warm, " + (i + 1) + ")",
					"day=" + today.minusDays(2 + i), "full=true"));
			printThreadCpu(passTicks0, threadTicks(), (processCpuNanos() - passCpu0) / 1e9, "1 warm passes");
		}
		printThreadCpu(threadTicks0, threadTicks(), (processCpuNanos() - warmCpu0) / 1e9, warm.size() + " warm passes");
		StringBuilder again = new StringBuilder();
		for (Measured pass : warm) {
			again.append((again.length() == 0) ? "" : "\n").append(pass.row());
		}
		if (warm.size() > 1) {
			again.append('\n').append(together(warm));
		}
		if (CHECK_ROUNDS > 0) {
			again.append('\n').append(checkAlone());
		}

		StringBuilder out = new StringBuilder();
		out.append(String.format("archive: %,d records, %,d packs, %,.1f MB in the primary store (objects the pass "
				+ "reads: records blocks %,.1f MB, media chunks %,.1f MB); text share of the media export %.2f%n%n",
				((Number) records.get("records")).longValue(), ((Number) records.get("packs")).longValue(),
				primaryBytes / 1e6, ((Number) records.get("record_bytes")).longValue() / 1e6,
				((Number) records.get("media_bytes")).longValue() / 1e6, TEXT_SHARE));
		out.append("| store | run | items | records | MB read | wall s | MB/s | records/s | JVM CPU s | MB per JVM CPU s "
				+ "| PostgreSQL CPU s | JVM + PostgreSQL CPU µs per record | load before / after |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		out.append(full).append('\n').append(floor).append('\n').append(sample).append('\n').append(again).append('\n');
		System.out.println(out);
		Files.createDirectories(Path.of("target/bench"));
		Files.writeString(Path.of("target/bench/checksum-sampling-" + store() + ".md"), LocalDate.now() + "\n\n" + out);
	}

	private String measure(String name, String... parameters) {
		return measured(name, parameters).row();
	}

	private Measured measured(String name, String... parameters) {
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
		return new Measured(store(), name, ((Number) row.get("sampled")).longValue(),
				((Number) row.get("records_sampled")).longValue(), ((Number) row.get("bytes_read")).longValue(),
				((Number) row.get("seconds")).doubleValue(), cpu, pg, loadBefore, loadAverage());
	}

	private String together(List<Measured> passes) {
		Measured first = passes.get(0);
		Measured last = passes.get(passes.size() - 1);
		long items = 0;
		long records = 0;
		long bytes = 0;
		double wall = 0;
		double cpu = 0;
		double pg = 0;
		for (Measured pass : passes) {
			items += pass.items();
			records += pass.records();
			bytes += pass.bytes();
			wall += pass.wall();
			cpu += pass.cpu();
			pg += pass.pg();
		}
		return new Measured(first.store(), passes.size() + " warm full passes together (as one pass over " + passes.size()
				+ " times the archive)", items, records, bytes, wall, cpu, pg, first.loadBefore(), last.loadAfter())
			.row();
	}

	/**
	 * The check alone, for its steady-state cost per record and per byte: every pack with
	 * all its blocks checked by {@link VaultCatalog#verifyPack} (the full pass's check of
	 * a pack: read, SHA-256, manifest, AES-GCM, decompression, records, chunk ids, index
	 * rows) on this one thread, outside the job (no chunks, transactions or counts),
	 * {@code bench.check-rounds} times, the packs read from the index a page of 500 at a
	 * time right before they are checked, as the job does ({@link VaultCatalog#packs}
	 * reads the page's index rows, {@link VaultCatalog#prepare} loads its data keys, a
	 * key per media file, more than the key cache holds over a whole archive); the last round's CPU time of this
	 * thread (and of the PostgreSQL backends), for the packs that hold records blocks and
	 * for the others (media and originals) apart, each page's read shared between the two
	 * by their blocks in it.
	 */
	private String checkAlone() {
		Measured records = null;
		Measured others = null;
		for (int round = 1; round <= CHECK_ROUNDS; round++) {
			String label = "check alone, 1 thread, round " + round + " of " + CHECK_ROUNDS + ": ";
			Measured[] measured = checkAloneRound(label + "packs of records blocks",
					label + "other packs (media, originals)");
			records = measured[0];
			others = measured[1];
		}
		return records.row() + "\n" + others.row();
	}

	private Measured[] checkAloneRound(String recordsName, String othersName) {
		String loadBefore = loadAverage();
		List<Integer> backends = this.jdbc.queryForList("SELECT pid FROM pg_stat_activity WHERE datname = "
				+ "current_database() AND backend_type = 'client backend'", Integer.class);
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		// [thread CPU ns, process CPU ns, wall ns, PostgreSQL s, items, records, bytes] per group
		double[][] groups = new double[2][7];
		long after = 0;
		List<PackItems> page;
		do {
			double pg0 = cpuSecondsOf(backends);
			long cpu0 = threads.getCurrentThreadCpuTime();
			long process0 = processCpuNanos();
			long wall0 = System.nanoTime();
			page = this.catalog.packs(after, Long.MAX_VALUE, 500);
			this.catalog.prepare(page);
			double[] read = { threads.getCurrentThreadCpuTime() - cpu0, processCpuNanos() - process0,
					System.nanoTime() - wall0, cpuSecondsOf(backends) - pg0 };
			after = page.isEmpty() ? after : page.get(page.size() - 1).pack().id();
			long[] blocksOf = new long[2];
			for (int group = 0; group < 2; group++) {
				pg0 = cpuSecondsOf(backends);
				cpu0 = threads.getCurrentThreadCpuTime();
				process0 = processCpuNanos();
				wall0 = System.nanoTime();
				double[] g = groups[group];
				for (PackItems pack : page) {
					boolean ofRecords = pack.blocks()
						.stream()
						.anyMatch((block) -> block.kind() == ItemKind.RECORD_BLOCK);
					if (ofRecords != (group == 0)) {
						continue;
					}
					blocksOf[group] += 1 + pack.blocks().size();
					PackVerification verification = this.catalog.verifyPack(pack, true);
					assertThat(verification.pack().ok()).as(verification.pack().problem()).isTrue();
					g[4] += 1 + verification.blocks().size();
					g[6] += verification.bytesRead();
					for (Verification block : verification.blocks()) {
						assertThat(block.ok()).as(block.problem()).isTrue();
						g[5] += block.records();
					}
				}
				g[0] += threads.getCurrentThreadCpuTime() - cpu0;
				g[1] += processCpuNanos() - process0;
				g[2] += System.nanoTime() - wall0;
				g[3] += cpuSecondsOf(backends) - pg0;
			}
			long all = blocksOf[0] + blocksOf[1];
			for (int group = 0; group < 2 && all > 0; group++) {
				double share = (double) blocksOf[group] / all;
				for (int i = 0; i < 4; i++) {
					groups[group][i] += read[i] * share;
				}
			}
		}
		while (page.size() == 500);
		Measured[] measured = new Measured[2];
		String[] names = { recordsName, othersName };
		for (int group = 0; group < 2; group++) {
			double[] g = groups[group];
			double threadCpu = g[0] / 1e9;
			long records = (long) g[5];
			long bytes = (long) g[6];
			System.out.printf("%s: this thread %.3f CPU s, the JVM %.3f, PostgreSQL %.2f; %.2f µs a record, "
					+ "%.2f ns a byte (this thread's CPU)%n", names[group], threadCpu, g[1] / 1e9, g[3],
					(records > 0) ? threadCpu * 1e6 / records : 0.0, (bytes > 0) ? threadCpu * 1e9 / bytes : 0.0);
			measured[group] = new Measured(store(), String.format("%s (this thread %.3f CPU s)", names[group], threadCpu),
					(long) g[4], records, bytes, g[2] / 1e9, g[1] / 1e9, g[3], loadBefore, loadAverage());
		}
		return measured;
	}

	/** One measured run: its figures from integrity_run, CPU seconds, load. */
	record Measured(String store, String name, long items, long records, long bytes, double wall, double cpu, double pg,
			String loadBefore, String loadAfter) {

		String row() {
			double megabytes = this.bytes / 1e6;
			return String.format(
					"| %s | %s | %,d | %,d | %,.1f | %.1f | %.1f | %,.0f | %.2f | %.1f | %.2f | %.2f | %s / %s |",
					this.store, this.name, this.items, this.records, megabytes, this.wall, megabytes / this.wall,
					this.records / this.wall, this.cpu, megabytes / this.cpu, this.pg,
					(this.records > 0) ? (this.cpu + this.pg) * 1e6 / this.records : 0.0, this.loadBefore,
					this.loadAfter);
		}

	}

	/**
	 * The CPU ticks (user and system, 1/100 s) of this JVM's live threads, by thread id
	 * and name ({@code tid/comm}).
	 */
	private static Map<String, Long> threadTicks() {
		Map<String, Long> ticks = new java.util.HashMap<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				try {
					String stat = Files.readString(task.resolve("stat"));
					String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					ticks.put(task.getFileName() + "/" + comm,
							Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
				}
				catch (IOException | RuntimeException ex) {
					// ended meanwhile
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return ticks;
	}

	/**
	 * Prints where the JVM's CPU went over some passes, by kind of thread (names without
	 * their numbers): the threads alive at the end; the rest (threads that ended, such as
	 * the partitions' threads, new in every run) is the process's CPU less theirs.
	 */
	private static void printThreadCpu(Map<String, Long> before, Map<String, Long> after, double processSeconds,
			String passes) {
		Map<String, Double> byKind = new java.util.TreeMap<>();
		double live = 0;
		for (Map.Entry<String, Long> thread : after.entrySet()) {
			double seconds = (thread.getValue() - before.getOrDefault(thread.getKey(), 0L)) / 100.0;
			String kind = thread.getKey().substring(thread.getKey().indexOf('/') + 1).replaceAll("[0-9#]+", "").trim();
			byKind.merge(kind, seconds, Double::sum);
			live += seconds;
		}
		StringBuilder line = new StringBuilder(String.format(
				"JVM CPU by thread over %s: process %.2f s; ended threads (the checking partitions' "
						+ "threads among them) %.2f s",
				passes, processSeconds, processSeconds - live));
		byKind.entrySet()
			.stream()
			.filter((e) -> e.getValue() > 0)
			.sorted(Map.Entry.comparingByValue(Comparator.reverseOrder()))
			.forEach((e) -> line.append(String.format("; %s %.2f s", e.getKey(), e.getValue())));
		System.out.println(line);
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
				+ "| | | %s / %s |", store(), keys.size(), megabytes, wall, megabytes / wall, cpu, megabytes / cpu,
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
