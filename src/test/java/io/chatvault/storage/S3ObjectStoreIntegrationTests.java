package io.chatvault.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.chatvault.testsupport.TestS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The S3 store against a real server that enforces Object Lock (Ceph RGW from
 * ops/dev/ceph-rgw.sh, or CHATVAULT_TEST_S3_ENDPOINT).
 */
class S3ObjectStoreIntegrationTests {

	private static final WriteOptions ONE_YEAR = new WriteOptions(
			Instant.now().plus(Duration.ofDays(365)).truncatedTo(ChronoUnit.SECONDS), WriteOptions.LockMode.COMPLIANCE,
			false);

	private static S3ObjectStore store;

	@BeforeAll
	static void openBucket() {
		store = S3ObjectStore.create(TestS3.freshLockedBucket());
	}

	@AfterAll
	static void close() {
		store.close();
	}

	@Test
	void putSetsRetentionAndReadsBackBitExact() throws IOException {
		// given
		byte[] content = FilesystemObjectStoreTests.randomBytes(3 * 1024 * 1024 + 17, 7);

		// when
		PutOutcome outcome = store.put("packs/aa/retained", content, ONE_YEAR);

		// then
		assertThat(outcome).isEqualTo(PutOutcome.CREATED);
		assertThat(store.head("packs/aa/retained"))
			.contains(new StoredObject("packs/aa/retained", content.length, ONE_YEAR.retainUntil(), false));
		var retention = store.client()
			.getObjectRetention((request) -> request.bucket(store.bucket()).key("packs/aa/retained"))
			.retention();
		assertThat(retention.modeAsString()).isEqualTo("COMPLIANCE");
		assertThat(retention.retainUntilDate()).isEqualTo(ONE_YEAR.retainUntil());
		try (InputStream in = store.get("packs/aa/retained").orElseThrow()) {
			assertThat(in.readAllBytes()).isEqualTo(content);
		}
		assertThat(store.read("packs/aa/retained", 1_000_000, 65_536))
			.isEqualTo(Arrays.copyOfRange(content, 1_000_000, 1_065_536));
		assertThat(store.read("packs/aa/retained", content.length - 5, 5))
			.isEqualTo(Arrays.copyOfRange(content, content.length - 5, content.length));
		assertThat(store.read("packs/aa/retained", 0, 0)).isEmpty();
	}

	@Test
	void retainUntilIsRoundedUpToWholeSecondsLikeTheFilesystemStore() {
		// when
		store.put("packs/aa/fraction", "x".getBytes(),
				new WriteOptions(ONE_YEAR.retainUntil().plusMillis(1), WriteOptions.LockMode.COMPLIANCE, false));

		// then
		assertThat(store.head("packs/aa/fraction").orElseThrow().retainUntil())
			.isEqualTo(ONE_YEAR.retainUntil().plusSeconds(1));
	}

	@Test
	void deleteOfTheLockedVersionIsRefusedByTheServer() throws IOException {
		// given
		store.put("packs/bb/locked", "evidence".getBytes(), ONE_YEAR);
		String versionId = versionsOf("packs/bb/locked").get(0).versionId();

		// when / then: our delete, which deletes versions by id
		assertThatExceptionOfType(RetentionViolationException.class).isThrownBy(() -> store.delete("packs/bb/locked"))
			.withMessageContaining("packs/bb/locked");
		// and a raw versioned delete straight to the server
		assertThatExceptionOfType(S3Exception.class)
			.isThrownBy(() -> store.client()
				.deleteObject((request) -> request.bucket(store.bucket()).key("packs/bb/locked").versionId(versionId)))
			.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(403));
		try (InputStream in = store.get("packs/bb/locked").orElseThrow()) {
			assertThat(in.readAllBytes()).isEqualTo("evidence".getBytes());
		}
		assertThat(versionsOf("packs/bb/locked")).extracting(ObjectVersion::versionId).containsExactly(versionId);
	}

	@Test
	void deleteAfterRetentionRemovesEveryVersionAndLeavesNoDeleteMarker() throws InterruptedException {
		// given: an object retained for two seconds
		store.put("packs/bb/expiring", "evidence".getBytes(),
				new WriteOptions(Instant.now().plusSeconds(2), WriteOptions.LockMode.COMPLIANCE, false));

		// when: deleted once retention has ended (the server's clock decides)
		boolean deleted = false;
		for (int attempt = 0; attempt < 60 && !deleted; attempt++) {
			try {
				store.delete("packs/bb/expiring");
				deleted = true;
			}
			catch (RetentionViolationException ex) {
				Thread.sleep(500);
			}
		}

		// then
		assertThat(deleted).isTrue();
		assertThat(store.head("packs/bb/expiring")).isEmpty();
		assertThat(store.client()
			.listObjectVersions((request) -> request.bucket(store.bucket()).prefix("packs/bb/expiring"))
			.deleteMarkers()).isEmpty();
		assertThat(versionsOf("packs/bb/expiring")).isEmpty();
	}

	@Test
	void secondPutOfTheSameKeyDoesNotReplaceTheFirst() throws IOException {
		// given
		store.put("packs/cc/once", "first".getBytes(), ONE_YEAR);

		// when
		PutOutcome outcome = store.put("packs/cc/once", "second".getBytes(), ONE_YEAR);

		// then
		assertThat(outcome).isEqualTo(PutOutcome.ALREADY_PRESENT);
		try (InputStream in = store.get("packs/cc/once").orElseThrow()) {
			assertThat(in.readAllBytes()).isEqualTo("first".getBytes());
		}
		assertThat(versionsOf("packs/cc/once")).hasSize(1);
	}

	@Test
	void concurrentPutsOfOneKeyCreateOneVersion() throws Exception {
		// given: Ceph RGW 16 ignores If-None-Match on versioned buckets, so the store
		// itself must keep two writers of one key apart
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			// when
			List<Future<PutOutcome>> outcomes = pool.invokeAll(IntStream.range(0, 8)
				.<Callable<PutOutcome>>mapToObj(
						(i) -> () -> store.put("packs/cc/race", ("writer " + i).getBytes(), ONE_YEAR))
				.toList());

			// then
			int created = 0;
			for (Future<PutOutcome> outcome : outcomes) {
				created += (outcome.get() == PutOutcome.CREATED) ? 1 : 0;
			}
			assertThat(created).isEqualTo(1);
			assertThat(versionsOf("packs/cc/race")).hasSize(1);
		}
		finally {
			pool.shutdown();
		}
	}

	@Test
	void legalHoldIsSetAndCleared() {
		// given
		store.put("packs/dd/held", "evidence".getBytes(), ONE_YEAR);

		// when
		store.setLegalHold("packs/dd/held", true);

		// then
		assertThat(store.head("packs/dd/held").orElseThrow().legalHold()).isTrue();
		assertThat(legalHoldOnServer("packs/dd/held")).isEqualTo("ON");

		// when
		store.setLegalHold("packs/dd/held", false);

		// then
		assertThat(store.head("packs/dd/held").orElseThrow().legalHold()).isFalse();
		assertThat(legalHoldOnServer("packs/dd/held")).isEqualTo("OFF");
	}

	@Test
	void missingObjectsAreEmptyAndBadRangesNameTheObject() {
		assertThat(store.get("packs/none")).isEmpty();
		assertThat(store.head("packs/none")).isEmpty();
		store.put("packs/ee/short", new byte[10], ONE_YEAR);
		assertThatExceptionOfType(ObjectStoreException.class).isThrownBy(() -> store.read("packs/ee/short", 5, 6))
			.withMessageContaining("packs/ee/short");
		assertThatExceptionOfType(ObjectStoreException.class).isThrownBy(() -> store.read("packs/ee/short", 20, 1))
			.withMessageContaining("packs/ee/short");
		assertThatExceptionOfType(ObjectStoreException.class).isThrownBy(() -> store.read("packs/none", 0, 1))
			.withMessageContaining("packs/none");
	}

	@Test
	void governanceModeIsUsedOnlyWhenBothTheStoreAndTheWriteAskForIt() {
		// given
		StorageProperties.Store settings = TestS3.freshLockedBucket();
		StorageProperties.Store governance = new StorageProperties.Store(settings.type(), null, settings.bucket(), "g/",
				settings.endpoint(), settings.region(), true, settings.accessKey(), settings.secretKey(),
				WriteOptions.LockMode.GOVERNANCE);
		WriteOptions asksGovernance = new WriteOptions(ONE_YEAR.retainUntil(), WriteOptions.LockMode.GOVERNANCE, false);
		try (S3ObjectStore governed = S3ObjectStore.create(governance);
				S3ObjectStore compliant = S3ObjectStore.create(settings)) {

			// when
			governed.put("p1", "x".getBytes(), asksGovernance);
			compliant.put("p2", "x".getBytes(), asksGovernance);

			// then
			assertThat(governed.client()
				.getObjectRetention((request) -> request.bucket(settings.bucket()).key("g/p1"))
				.retention()
				.modeAsString()).isEqualTo("GOVERNANCE");
			assertThat(compliant.client()
				.getObjectRetention((request) -> request.bucket(settings.bucket()).key("p2"))
				.retention()
				.modeAsString()).isEqualTo("COMPLIANCE");
		}
	}

	@Test
	void aBucketCanBeTheReplicaOfADirectory(@TempDir Path primaryDir) throws IOException {
		// given
		ReplicatedObjectStore replicated = new ReplicatedObjectStore(new FilesystemObjectStore(primaryDir), store);

		// when
		replicated.put("packs/rr/copied", "evidence".getBytes(), ONE_YEAR);

		// then
		assertThat(store.read("packs/rr/copied", 0, 8)).isEqualTo("evidence".getBytes());
		assertThat(store.head("packs/rr/copied").orElseThrow().retainUntil()).isEqualTo(ONE_YEAR.retainUntil());

		// when: the bucket holds an object the directory lost
		store.put("packs/rr/only-in-replica", "repair me".getBytes(), ONE_YEAR);

		// then
		try (InputStream in = replicated.getFromReplica("packs/rr/only-in-replica").orElseThrow()) {
			assertThat(in.readAllBytes()).isEqualTo("repair me".getBytes());
		}
		assertThat(replicated.read("packs/rr/only-in-replica", 0, 6)).isEqualTo("repair".getBytes());
	}

	@Test
	void theBucketPassesTheDoctorCheck() {
		assertThat(new ObjectStoreDoctorCheck("primary object store", "chatvault.storage.primary", store).check())
			.isEqualTo(io.chatvault.cli.DoctorCheck.Finding
				.ok("s3://" + store.bucket() + "/ exists with Object Lock enabled"));
	}

	private static List<ObjectVersion> versionsOf(String key) {
		return store.client()
			.listObjectVersions((request) -> request.bucket(store.bucket()).prefix(key))
			.versions()
			.stream()
			.filter((v) -> v.key().equals(key))
			.toList();
	}

	private static String legalHoldOnServer(String key) {
		return store.client()
			.getObjectLegalHold((request) -> request.bucket(store.bucket()).key(key))
			.legalHold()
			.statusAsString();
	}

}
