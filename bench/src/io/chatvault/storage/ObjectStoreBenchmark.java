package io.chatvault.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import io.chatvault.testsupport.TestS3;
import org.junit.jupiter.api.Test;

/**
 * Raw object-store speed, below encryption and packing: large puts (MB/s), small puts
 * per second (one and four writers), and small ranged reads per second, into the
 * filesystem store and into Ceph RGW. Run (see docs/storage.md):
 *
 * <pre>
 * ./mvnw -B -o -Pbench test -Dtest=ObjectStoreBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Results go to the console and to target/bench/object-stores.md. Add
 * {@code -Dbench.s3=false} to skip RGW.
 */
class ObjectStoreBenchmark {

	private static final int LARGE_SIZE = 8 * 1024 * 1024;

	private static final int LARGE_COUNT = Integer.getInteger("bench.large.count", 48);

	private static final int SMALL_SIZE = 4 * 1024;

	private static final int SMALL_COUNT = Integer.getInteger("bench.small.count", 2_000);

	private static final WriteOptions RETENTION = new WriteOptions(Instant.now().plus(Duration.ofMinutes(2)),
			WriteOptions.LockMode.GOVERNANCE, false);

	private final List<String> rows = new ArrayList<>();

	@Test
	void objectStores() throws Exception {
		Path dir = Path.of("target/bench/fs-store");
		deleteTree(dir);
		measure("filesystem (" + dir + ")", new FilesystemObjectStore(dir));
		if (Boolean.parseBoolean(System.getProperty("bench.s3", "true"))) {
			StorageProperties.Store bucket = TestS3.freshLockedBucket();
			try (S3ObjectStore s3 = S3ObjectStore.create(bucket)) {
				measure("Ceph RGW (" + bucket.endpoint() + ")", s3);
			}
		}
		String table = "| store | large puts (8 MiB) | small puts (4 KiB), 1 writer | small puts, 4 writers | ranged reads (4 KiB) |\n"
				+ "|---|---|---|---|---|\n" + String.join("\n", this.rows) + "\n";
		System.out.println(table);
		Files.createDirectories(Path.of("target/bench"));
		Files.writeString(Path.of("target/bench/object-stores.md"), table);
		deleteTree(dir);
	}

	private void measure(String label, ObjectStore store) throws Exception {
		byte[] large = random(LARGE_SIZE, 1);
		byte[] small = random(SMALL_SIZE, 2);
		// warm up the JIT, the connection pool and the directories
		for (int i = 0; i < 20; i++) {
			store.put("warmup/" + i, small, RETENTION);
		}
		store.put("warmup/large", large, RETENTION);

		long start = System.nanoTime();
		for (int i = 0; i < LARGE_COUNT; i++) {
			store.put("large/" + i, large, RETENTION);
		}
		double largeMbPerSecond = (double) LARGE_COUNT * LARGE_SIZE / 1_000_000 / seconds(start);

		start = System.nanoTime();
		for (int i = 0; i < SMALL_COUNT; i++) {
			store.put("small/a/" + (i % 256) + "/" + i, small, RETENTION);
		}
		double smallPerSecond = SMALL_COUNT / seconds(start);

		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> writers = new ArrayList<>();
			start = System.nanoTime();
			for (int w = 0; w < 4; w++) {
				int writer = w;
				writers.add(pool.submit(() -> {
					for (int i = writer; i < SMALL_COUNT; i += 4) {
						store.put("small/b/" + (i % 256) + "/" + i, small, RETENTION);
					}
				}));
			}
			for (Future<?> writer : writers) {
				writer.get();
			}
		}
		finally {
			pool.shutdown();
		}
		double smallParallelPerSecond = SMALL_COUNT / seconds(start);

		Random offsets = new Random(3);
		start = System.nanoTime();
		for (int i = 0; i < SMALL_COUNT; i++) {
			store.read("large/" + (i % LARGE_COUNT), offsets.nextInt(LARGE_SIZE - SMALL_SIZE), SMALL_SIZE);
		}
		double readsPerSecond = SMALL_COUNT / seconds(start);

		this.rows.add(String.format("| %s | %.0f MB/s | %.0f /s | %.0f /s | %.0f /s |", label, largeMbPerSecond,
				smallPerSecond, smallParallelPerSecond, readsPerSecond));
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
