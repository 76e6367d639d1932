package io.chatvault.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ReplicatedObjectStoreTests {

	private static final WriteOptions RETAINED = new WriteOptions(
			Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS), WriteOptions.LockMode.COMPLIANCE,
			false);

	@TempDir
	Path home;

	private FilesystemObjectStore primary;

	private FilesystemObjectStore replica;

	private ReplicatedObjectStore store;

	@BeforeEach
	void open() {
		this.primary = new FilesystemObjectStore(this.home.resolve("objects"));
		this.replica = new FilesystemObjectStore(this.home.resolve("replica"));
		this.store = new ReplicatedObjectStore(this.primary, this.replica);
	}

	@Test
	void everyWriteReachesBothStores() throws IOException {
		// when
		PutOutcome outcome = this.store.put("packs/p", "evidence".getBytes(), RETAINED);

		// then
		assertThat(outcome).isEqualTo(PutOutcome.CREATED);
		assertThat(this.primary.read("packs/p", 0, 8)).isEqualTo("evidence".getBytes());
		assertThat(this.replica.read("packs/p", 0, 8)).isEqualTo("evidence".getBytes());
		assertThat(this.replica.head("packs/p").orElseThrow().retainUntil()).isEqualTo(RETAINED.retainUntil());
	}

	@Test
	void replicaServesReadsForRepairs() throws IOException {
		// given
		this.store.put("packs/r", "evidence".getBytes(), RETAINED);

		// when / then
		try (InputStream in = this.store.getFromReplica("packs/r").orElseThrow()) {
			assertThat(in.readAllBytes()).isEqualTo("evidence".getBytes());
		}
		assertThat(this.store.readFromReplica("packs/r", 2, 3)).isEqualTo("ide".getBytes());
	}

	@Test
	void replicaServesReadsWhenThePrimaryLacksTheObject() throws IOException {
		// given: an object only the replica has (lost from the primary's disk)
		this.replica.put("packs/lost", "evidence".getBytes(), RETAINED);

		// when / then
		try (InputStream in = this.store.get("packs/lost").orElseThrow()) {
			assertThat(in.readAllBytes()).isEqualTo("evidence".getBytes());
		}
		assertThat(this.store.read("packs/lost", 0, 4)).isEqualTo("evid".getBytes());
		assertThat(this.store.head("packs/lost").orElseThrow().size()).isEqualTo(8);
	}

	@Test
	void anObjectLostFromThePrimaryIsRestoredFromTheReplicaWithItsRetention() {
		// given
		this.replica.put("packs/lost", "evidence".getBytes(),
				new WriteOptions(RETAINED.retainUntil(), WriteOptions.LockMode.COMPLIANCE, true));

		// when
		var outcome = this.store.restoreFromReplica("packs/lost");

		// then
		assertThat(outcome).contains(PutOutcome.CREATED);
		assertThat(this.primary.read("packs/lost", 0, 8)).isEqualTo("evidence".getBytes());
		assertThat(this.primary.head("packs/lost"))
			.contains(new StoredObject("packs/lost", 8, RETAINED.retainUntil(), true));
		assertThat(this.store.restoreFromReplica("packs/lost")).contains(PutOutcome.ALREADY_PRESENT);
		assertThat(this.store.restoreFromReplica("packs/nowhere")).isEmpty();
	}

	@Test
	void aShortReadOfAnObjectThePrimaryHasIsNotMaskedByTheReplica() {
		// given
		this.store.put("packs/s", "abc".getBytes(), RETAINED);

		// when / then
		assertThatExceptionOfType(ObjectStoreException.class).isThrownBy(() -> this.store.read("packs/s", 0, 10))
			.withMessageContaining(this.primary.name());
	}

	@Test
	void retryingAPutCompletesAMissingReplicaCopy() throws IOException {
		// given: the primary write succeeded, the replica write did not
		this.primary.put("packs/half", "evidence".getBytes(), RETAINED);

		// when
		PutOutcome outcome = this.store.put("packs/half", "evidence".getBytes(), RETAINED);

		// then
		assertThat(outcome).isEqualTo(PutOutcome.ALREADY_PRESENT);
		assertThat(this.replica.read("packs/half", 0, 8)).isEqualTo("evidence".getBytes());
	}

	@Test
	void deleteAndLegalHoldApplyToBoth() {
		// given
		this.store.put("packs/h", "evidence".getBytes(), RETAINED);

		// when
		this.store.setLegalHold("packs/h", true);

		// then
		assertThat(this.primary.head("packs/h").orElseThrow().legalHold()).isTrue();
		assertThat(this.replica.head("packs/h").orElseThrow().legalHold()).isTrue();
		assertThatExceptionOfType(RetentionViolationException.class).isThrownBy(() -> this.store.delete("packs/h"));
		assertThat(this.replica.head("packs/h")).isPresent();
	}

	@Test
	void theReplicaMustNotBeThePrimary() throws IOException {
		// given
		StorageProperties properties = new StorageProperties(StorageProperties.Store.filesystem(Path.of("same")),
				StorageProperties.Store.filesystem(this.home.resolve("same")));
		Files.createDirectories(this.home);

		// when / then
		assertThatExceptionOfType(ObjectStoreException.class).isThrownBy(() -> ObjectStores.open(properties, this.home))
			.withMessageContaining("The replica is the primary itself");
	}

}
