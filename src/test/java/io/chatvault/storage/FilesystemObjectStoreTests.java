package io.chatvault.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FilesystemObjectStoreTests {

	private static final Instant NOW = Instant.parse("2026-11-21T09:00:00Z");

	private static final WriteOptions SEVEN_YEARS = new WriteOptions(NOW.plus(Duration.ofDays(7 * 365)),
			WriteOptions.LockMode.COMPLIANCE, false);

	@TempDir
	Path root;

	private FilesystemObjectStore storeAt(Instant now) {
		return new FilesystemObjectStore(this.root, Clock.fixed(now, ZoneOffset.UTC));
	}

	@Test
	void putThenReadsBackBitExactWholeAndRanged() throws IOException {
		// given
		FilesystemObjectStore store = storeAt(NOW);
		byte[] content = randomBytes(100_000, 1);

		// when
		PutOutcome outcome = store.put("packs/ab/abcdef", content, SEVEN_YEARS);

		// then
		assertThat(outcome).isEqualTo(PutOutcome.CREATED);
		try (InputStream in = store.get("packs/ab/abcdef").orElseThrow()) {
			assertThat(in.readAllBytes()).isEqualTo(content);
		}
		assertThat(store.read("packs/ab/abcdef", 4_096, 1_000))
			.isEqualTo(java.util.Arrays.copyOfRange(content, 4_096, 5_096));
		assertThat(store.read("packs/ab/abcdef", 0, 0)).isEmpty();
		assertThat(store.head("packs/ab/abcdef"))
			.contains(new StoredObject("packs/ab/abcdef", 100_000, SEVEN_YEARS.retainUntil(), false));
	}

	@Test
	void emptyObjectRoundTrips() throws IOException {
		// given
		FilesystemObjectStore store = storeAt(NOW);

		// when
		store.put("media/empty", new byte[0], SEVEN_YEARS);

		// then
		try (InputStream in = store.get("media/empty").orElseThrow()) {
			assertThat(in.readAllBytes()).isEmpty();
		}
		assertThat(store.head("media/empty").orElseThrow().size()).isZero();
	}

	@Test
	void secondPutOfTheSameKeyLeavesTheFirstUntouched() throws IOException {
		// given
		FilesystemObjectStore store = storeAt(NOW);
		store.put("packs/p1", "first".getBytes(), SEVEN_YEARS);

		// when
		PutOutcome outcome = store.put("packs/p1", "second, longer".getBytes(),
				new WriteOptions(NOW.plusSeconds(1), WriteOptions.LockMode.GOVERNANCE, false));

		// then
		assertThat(outcome).isEqualTo(PutOutcome.ALREADY_PRESENT);
		try (InputStream in = store.get("packs/p1").orElseThrow()) {
			assertThat(new String(in.readAllBytes())).isEqualTo("first");
		}
		assertThat(store.head("packs/p1").orElseThrow().retainUntil()).isEqualTo(SEVEN_YEARS.retainUntil());
	}

	@Test
	void concurrentPutsOfOneKeyCreateItOnce() throws Exception {
		// given
		FilesystemObjectStore store = storeAt(NOW);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			// when
			List<Future<PutOutcome>> outcomes = pool.invokeAll(
					Stream
						.of(0, 1, 2, 3, 4, 5, 6, 7).<java.util.concurrent.Callable<PutOutcome>>map(
								(i) -> () -> store.put("packs/race", ("writer " + i).getBytes(), SEVEN_YEARS))
						.toList());

			// then
			long created = 0;
			for (Future<PutOutcome> outcome : outcomes) {
				created += (outcome.get() == PutOutcome.CREATED) ? 1 : 0;
			}
			assertThat(created).isEqualTo(1);
			try (InputStream in = store.get("packs/race").orElseThrow()) {
				assertThat(new String(in.readAllBytes())).startsWith("writer ");
			}
		}
		finally {
			pool.shutdown();
		}
	}

	@Test
	void objectsAndRetentionRecordsAreReadOnly() throws IOException {
		// given
		FilesystemObjectStore store = storeAt(NOW);

		// when
		store.put("packs/ro", "x".getBytes(), SEVEN_YEARS);

		// then
		Path object = this.root.resolve("packs/ro");
		Path sidecar = this.root.resolve("packs/.ro.retention");
		assertThat(Files.getPosixFilePermissions(object)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
				PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
		assertThat(Files.getPosixFilePermissions(sidecar)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
				PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
		assertThat(Files.readString(sidecar)).contains("lockMode=COMPLIANCE")
			.contains("retainUntil=" + SEVEN_YEARS.retainUntil());
	}

	@Test
	void deleteIsRefusedBeforeRetentionEndsAndAllowedAfter() throws IOException {
		// given
		storeAt(NOW).put("packs/old", "evidence".getBytes(), SEVEN_YEARS);

		// when / then
		assertThatExceptionOfType(RetentionViolationException.class)
			.isThrownBy(() -> storeAt(SEVEN_YEARS.retainUntil().minusSeconds(1)).delete("packs/old"))
			.withMessageContaining("packs/old")
			.withMessageContaining("retained until " + SEVEN_YEARS.retainUntil());
		assertThat(storeAt(NOW).head("packs/old")).isPresent();

		// when
		storeAt(SEVEN_YEARS.retainUntil()).delete("packs/old");

		// then
		assertThat(storeAt(NOW).head("packs/old")).isEmpty();
		assertThat(storeAt(NOW).get("packs/old")).isEmpty();
		assertThat(Files.exists(this.root.resolve("packs/.old.retention"))).isFalse();
	}

	@Test
	void overwriteIsRefusedEvenAfterADeleteWasRefused() throws IOException {
		// given
		FilesystemObjectStore store = storeAt(NOW);
		store.put("packs/keep", "original".getBytes(), SEVEN_YEARS);
		assertThatExceptionOfType(RetentionViolationException.class).isThrownBy(() -> store.delete("packs/keep"));

		// when
		PutOutcome outcome = store.put("packs/keep", "forged".getBytes(), SEVEN_YEARS);

		// then
		assertThat(outcome).isEqualTo(PutOutcome.ALREADY_PRESENT);
		assertThat(store.read("packs/keep", 0, 8)).isEqualTo("original".getBytes());
	}

	@Test
	void legalHoldBlocksDeleteAfterRetentionUntilCleared() {
		// given
		storeAt(NOW).put("packs/held", "evidence".getBytes(), SEVEN_YEARS);
		FilesystemObjectStore later = storeAt(SEVEN_YEARS.retainUntil().plus(Duration.ofDays(1)));

		// when
		later.setLegalHold("packs/held", true);

		// then
		assertThat(later.head("packs/held").orElseThrow().legalHold()).isTrue();
		assertThatExceptionOfType(RetentionViolationException.class).isThrownBy(() -> later.delete("packs/held"))
			.withMessageContaining("legal hold");

		// when
		later.setLegalHold("packs/held", false);
		later.delete("packs/held");

		// then
		assertThat(later.head("packs/held")).isEmpty();
	}

	@Test
	void legalHoldSetAtWriteTimeIsRecorded() {
		// given
		FilesystemObjectStore store = storeAt(NOW);

		// when
		store.put("packs/h", "x".getBytes(), new WriteOptions(NOW, WriteOptions.LockMode.GOVERNANCE, true));

		// then
		assertThat(store.head("packs/h")).contains(new StoredObject("packs/h", 1, NOW, true));
		assertThatExceptionOfType(RetentionViolationException.class).isThrownBy(() -> store.delete("packs/h"));
	}

	@Test
	void retainUntilIsKeptInWholeSecondsRoundedUp() {
		// given
		FilesystemObjectStore store = storeAt(NOW);

		// when
		store.put("packs/frac", "x".getBytes(),
				new WriteOptions(Instant.parse("2033-01-01T00:00:00.001Z"), WriteOptions.LockMode.COMPLIANCE, false));

		// then
		assertThat(store.head("packs/frac").orElseThrow().retainUntil())
			.isEqualTo(Instant.parse("2033-01-01T00:00:01Z"));
	}

	@Test
	void rangedReadBeyondTheEndNamesTheObject() {
		// given
		FilesystemObjectStore store = storeAt(NOW);
		store.put("packs/short", new byte[10], SEVEN_YEARS);

		// when / then
		assertThatExceptionOfType(ObjectStoreException.class).isThrownBy(() -> store.read("packs/short", 5, 6))
			.withMessage("Object packs/short in " + store.name() + " has 10 bytes; cannot read 6 from offset 5");
		assertThatExceptionOfType(ObjectStoreException.class).isThrownBy(() -> store.read("packs/missing", 0, 1))
			.withMessageContaining("No object packs/missing");
	}

	@Test
	void keysThatCouldEscapeOrCollideWithInternalFilesAreRejected() {
		FilesystemObjectStore store = storeAt(NOW);
		for (String key : List.of("../x", "a/../../x", "/abs", "a//b", ".hidden", "a/.x.retention", "a/b/", "",
				"sp ace")) {
			assertThatIllegalArgumentException().isThrownBy(() -> store.put(key, new byte[1], SEVEN_YEARS));
		}
	}

	@Test
	void temporaryFilesAreNeverObjectsAndStaleOnesAreRemoved() throws IOException {
		// given: what a crash mid-write leaves behind
		FilesystemObjectStore store = storeAt(NOW);
		store.put("packs/done", "x".getBytes(), SEVEN_YEARS);
		Path stale = Files.write(this.root.resolve("packs/.crashed." + "0000" + FilesystemObjectStore.TEMP_SUFFIX),
				new byte[100]);
		Files.setLastModifiedTime(stale, FileTime.from(NOW.minus(Duration.ofHours(2))));
		Path young = Files.write(this.root.resolve("packs/.inflight." + "0000" + FilesystemObjectStore.TEMP_SUFFIX),
				new byte[100]);
		Files.setLastModifiedTime(young, FileTime.from(NOW.minus(Duration.ofMinutes(5))));

		// when
		int removed = store.removeStaleTemporaryFiles();

		// then
		assertThat(removed).isEqualTo(1);
		assertThat(stale).doesNotExist();
		assertThat(young).exists();
		assertThat(store.head("packs/crashed")).isEmpty();
		assertThat(store.head("packs/done")).isPresent();
	}

	static byte[] randomBytes(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

}
