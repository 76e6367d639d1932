package io.chatvault.vault;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import io.chatvault.ChatVaultApplication;
import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.ContentLocator;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Participant;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import io.chatvault.storage.ObjectStore;
import io.chatvault.testsupport.TestDatabase;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The vault write path as the application wires it (primary store plus replica, the
 * keystore, PostgreSQL index): small messages per second (prepare, encrypt, pack, write,
 * index rows) and media MB/s. The store is whatever {@code chatvault.storage.*} says
 * (system properties), or two fresh Object Lock buckets on the test Ceph RGW with
 * {@code -Dbench.store=rgw}; by default the embedded filesystem stores under a fresh
 * {@code chatvault.home}. See docs/vault.md.
 *
 * <pre>
 * ./mvnw -q -B -o -Pbench test -Dtest=VaultWriteBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *   [-Dbench.messages=200000 -Dbench.chunk=1000 -Dbench.writers=1 -Dbench.mediaMiB=512 -Dbench.mediaFileMiB=8]
 * cat target/bench/vault.txt
 * </pre>
 *
 * Run through Surefire (so that no extra plugin is needed offline); the class name ends
 * in neither Tests nor IntegrationTests, so no ordinary build runs it.
 */
class VaultWriteBenchmark {

	private final StringBuilder report = new StringBuilder();

	@Test
	void writePath() throws IOException {
		run();
		Path out = Files.createDirectories(Path.of("target", "bench")).resolve("vault.txt");
		Files.writeString(out, this.report);
		System.out.print(this.report);
	}

	private void printf(String format, Object... args) {
		this.report.append(String.format(Locale.ROOT, format, args));
	}

	private void run() throws IOException {
		int messages = Integer.getInteger("bench.messages", 200_000);
		int chunk = Integer.getInteger("bench.chunk", 1000);
		// Concurrent chunk writers, as in a multi-threaded or partitioned step.
		int writers = Integer.getInteger("bench.writers", 1);
		int mediaMiB = Integer.getInteger("bench.mediaMiB", 512);
		int mediaFileMiB = Integer.getInteger("bench.mediaFileMiB", 8);
		Path home = Files.createTempDirectory("chatvault-bench");
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("chatvault.home", home.toString());
		properties.put("chatvault.crypto.keystore-password", "benchmark");
		if ("rgw".equals(System.getProperty("bench.store"))) {
			// Fresh Object Lock buckets on the test Ceph RGW (ops/dev/ceph-rgw.sh) for both
			// sides; GOVERNANCE so that the test server's buckets can be cleaned up later.
			s3(properties, "primary", io.chatvault.testsupport.TestS3.freshLockedBucket());
			s3(properties, "replica", io.chatvault.testsupport.TestS3.freshLockedBucket());
			properties.put("chatvault.vault.retention.lock-mode", "GOVERNANCE");
		}
		if (System.getProperty("chatvault.db.url") == null) {
			TestDatabase.Coordinates database = TestDatabase.freshDatabase();
			properties.put("chatvault.db.url", database.jdbcUrl());
			properties.put("chatvault.db.user", database.user());
			properties.put("chatvault.db.password", database.password());
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ChatVaultApplication.class)
			.web(WebApplicationType.NONE)
			.properties(properties)
			.run()) {
			Vault vault = context.getBean(Vault.class);
			MediaVault media = context.getBean(MediaVault.class);
			String store = context.getBean(ObjectStore.class).name();
			printf("store: %s%ncores: %d, load average %.1f, java %s%n", store,
					Runtime.getRuntime().availableProcessors(),
					java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
					System.getProperty("java.version"));

			smallMessages(vault, Math.min(messages, 20_000), chunk, writers, "warm-up");
			long cpu = processCpuNanos();
			double perSecond = smallMessages(vault, messages, chunk, writers, "run");
			double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
			printf("small messages: %d in chunks of %d, %d writer(s): %.0f messages/s wall, %.0f per CPU second "
					+ "of this JVM%n", messages, chunk, writers, perSecond, messages / cpuSeconds);

			if (mediaMiB > 0) {
				media(media, mediaFiles(home.resolve("warm-up"), 64, mediaFileMiB));
				List<Path> files = mediaFiles(home, mediaMiB, mediaFileMiB);
				long mediaCpu = processCpuNanos();
				double mbPerSecond = media(media, files);
				double mediaCpuSeconds = (processCpuNanos() - mediaCpu) / 1e9;
				printf("media: %d MiB in files of %d MiB: %.0f MB/s wall, %.0f MB per CPU second%n", mediaMiB,
						mediaFileMiB, mbPerSecond, mediaMiB * 1.048576 / mediaCpuSeconds);
				// The same work with a store that drops the bytes: the vault's own ceiling
				// (two hashing passes, compression decision, encryption), store excluded.
				DiscardingStore discardingStore = new DiscardingStore();
				try (StoreWriter writer = new StoreWriter(discardingStore, 4, "bench-discard")) {
					MediaVault discarding = new MediaVault(discardingStore, writer,
						context.getBean(io.chatvault.crypto.DataKeys.class),
						context.getBean(org.springframework.jdbc.core.JdbcTemplate.class),
						context.getBean(VaultProperties.class).media());
					context.getBean(org.springframework.jdbc.core.JdbcTemplate.class)
						.update("DELETE FROM vault_message_attachment; DELETE FROM vault_file_chunk; DELETE FROM vault_file");
					long discardCpu = processCpuNanos();
					double discarded = media(discarding, files);
					double discardCpuSeconds = (processCpuNanos() - discardCpu) / 1e9;
					printf("media, store excluded (bytes discarded): %.0f MB/s wall, %.0f MB per CPU second%n",
							discarded, mediaMiB * 1.048576 / discardCpuSeconds);
				}
			}
		}
	}

	private static void s3(Map<String, Object> properties, String side, io.chatvault.storage.StorageProperties.Store store) {
		String prefix = "chatvault.storage." + side + ".";
		properties.put(prefix + "type", "s3");
		properties.put(prefix + "bucket", store.bucket());
		properties.put(prefix + "endpoint", store.endpoint().toString());
		properties.put(prefix + "region", store.region());
		properties.put(prefix + "path-style", "true");
		properties.put(prefix + "access-key", store.accessKey());
		properties.put(prefix + "secret-key", store.secretKey());
		properties.put(prefix + "lock-mode", "GOVERNANCE");
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	private static double smallMessages(Vault vault, int count, int chunk, int writers, String label) {
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
		java.util.concurrent.Semaphore queued = new java.util.concurrent.Semaphore(2 * writers);
		List<java.util.concurrent.Future<ArchiveSummary>> results = new ArrayList<>();
		Random random = new Random(label.hashCode());
		List<Conversation> conversations = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			conversations.add(new Conversation(label + "-C" + i, ConversationType.GROUP, "team " + i, List.of()));
		}
		Instant start = Instant.parse("2024-01-01T00:00:00Z");
		long began = System.nanoTime();
		List<ArchiveRequest> requests = new ArrayList<>(chunk);
		for (int i = 0; i < count; i++) {
			ChatRecord record = ChatRecord
				.builder(SourcePlatform.SLACK_EXPORT, conversations.get(random.nextInt(conversations.size())),
						RecordKind.MESSAGE, start.plusSeconds(i), new SourceLocation("bench.zip", "c.json", i))
				.platformMessageId(label + "." + i)
				.author(new Participant("U" + random.nextInt(500), "User"))
				.body("message " + i + " about the quarterly numbers, see the thread " + random.nextLong())
				.build();
			requests.add(vault.prepare(record, "custodian-" + (i % 10) + "@example.com"));
			if (requests.size() == chunk || i == count - 1) {
				List<ArchiveRequest> full = requests;
				queued.acquireUninterruptibly();
				results.add(pool.submit(() -> {
					try {
						return vault.archive(full);
					}
					finally {
						queued.release();
					}
				}));
				requests = new ArrayList<>(chunk);
			}
		}
		int archived = 0;
		for (java.util.concurrent.Future<ArchiveSummary> result : results) {
			try {
				archived += result.get().archived();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		pool.shutdown();
		if (archived != count) {
			throw new IllegalStateException("archived " + archived + " of " + count);
		}
		return count / (Duration.ofNanos(System.nanoTime() - began).toNanos() / 1e9);
	}

	private static List<Path> mediaFiles(Path home, int totalMiB, int fileMiB) throws IOException {
		Path files = Files.createDirectories(home.resolve("bench-media"));
		Random random = new Random(home.toString().hashCode());
		List<Path> paths = new ArrayList<>();
		byte[] block = new byte[1024 * 1024];
		for (int f = 0; f < totalMiB / fileMiB; f++) {
			Path file = files.resolve("video-" + f + ".mp4");
			try (OutputStream out = Files.newOutputStream(file)) {
				for (int i = 0; i < fileMiB; i++) {
					random.nextBytes(block);
					out.write(block);
				}
			}
			paths.add(file);
		}
		return paths;
	}

	private static double media(MediaVault media, List<Path> paths) throws IOException {
		io.chatvault.storage.WriteOptions options = new io.chatvault.storage.WriteOptions(
				Instant.now().plus(Duration.ofDays(1)), io.chatvault.storage.WriteOptions.LockMode.GOVERNANCE, false);
		long began = System.nanoTime();
		long bytes = 0;
		for (Path file : paths) {
			bytes += media.store(new Attachment(file.getFileName().toString(), "video/mp4", Files.size(file), null,
					AttachmentStatus.PRESENT, null, ContentLocator.file(file)), options).size();
		}
		return bytes / 1e6 / (Duration.ofNanos(System.nanoTime() - began).toNanos() / 1e9);
	}

	/** A store that keeps nothing: isolates the vault's own cost in the benchmark. */
	private static final class DiscardingStore implements ObjectStore {

		@Override
		public String name() {
			return "discard:";
		}

		@Override
		public io.chatvault.storage.PutOutcome put(String key, byte[] content,
				io.chatvault.storage.WriteOptions options) {
			return io.chatvault.storage.PutOutcome.CREATED;
		}

		@Override
		public java.util.Optional<java.io.InputStream> get(String key) {
			return java.util.Optional.empty();
		}

		@Override
		public byte[] read(String key, long offset, int length) {
			throw new UnsupportedOperationException();
		}

		@Override
		public java.util.Optional<io.chatvault.storage.StoredObject> head(String key) {
			return java.util.Optional.empty();
		}

		@Override
		public void delete(String key) {
		}

		@Override
		public void setLegalHold(String key, boolean on) {
		}

	}

}
