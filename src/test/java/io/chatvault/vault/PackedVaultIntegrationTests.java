package io.chatvault.vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.chatvault.crypto.KeyUnavailableException;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackedVaultIntegrationTests {

	Path directory;

	VaultFixture fixture;

	@BeforeAll
	void startVault(@TempDir Path directory) {
		this.directory = directory;
		this.fixture = new VaultFixture(this.directory);
	}

	@AfterAll
	void stopVault() {
		this.fixture.close();
	}

	@Test
	void archivedRecordsReadBackAsTheirCanonicalBytes() {
		// given
		List<ArchiveRequest> chunk = prepare("roundtrip", 50);

		// when
		ArchiveSummary summary = this.fixture.vault.archive(chunk);

		// then
		assertThat(summary.archived()).isEqualTo(50);
		assertThat(summary.duplicates()).isZero();
		assertThat(summary.bytesStored()).isPositive();
		for (ArchiveRequest request : chunk) {
			assertThat(this.fixture.vault.readCanonical(request.messageId())).isEqualTo(request.canonical());
		}
		IndexRow row = this.fixture.vault.indexRow(chunk.get(0).messageId()).orElseThrow();
		assertThat(row.conversationId()).isEqualTo("roundtrip");
		assertThat(row.custodian()).isEqualTo("alice@example.com");
		assertThat(row.retainUntil()).isCloseTo(
				Instant.now().atOffset(java.time.ZoneOffset.UTC).plusYears(7).toInstant(), within(1, ChronoUnit.HOURS));
	}

	@Test
	void replayedChunkStoresNothingTwice() {
		// given
		List<ArchiveRequest> chunk = prepare("replay", 20);
		this.fixture.vault.archive(chunk);
		long packs = this.fixture.count("vault_pack");

		// when
		ArchiveSummary replay = this.fixture.vault.archive(chunk);

		// then
		assertThat(replay).isEqualTo(new ArchiveSummary(0, 20, 0));
		assertThat(this.fixture.count("vault_pack")).isEqualTo(packs);
	}

	@Test
	void duplicatesWithinAChunkAreStoredOnce() {
		// given
		List<ArchiveRequest> chunk = new ArrayList<>(prepare("within", 3));
		chunk.add(chunk.get(0));
		chunk.add(chunk.get(1));

		// when
		ArchiveSummary summary = this.fixture.vault.archive(chunk);

		// then
		assertThat(summary.archived()).isEqualTo(3);
		assertThat(summary.duplicates()).isEqualTo(2);
	}

	@Test
	void chunkReplayedAfterACrashBetweenStoreAndIndexReusesThePack() {
		// given: the pack reached the store, but the chunk's transaction rolled back
		List<ArchiveRequest> chunk = prepare("crash", 10);
		TransactionTemplate transaction = new TransactionTemplate(this.fixture.transactionManager);
		transaction.executeWithoutResult((status) -> {
			this.fixture.vault.archive(chunk);
			status.setRollbackOnly();
		});
		assertThat(this.fixture.vault.indexRow(chunk.get(0).messageId())).isEmpty();

		// when
		ArchiveSummary replay = this.fixture.vault.archive(chunk);

		// then
		assertThat(replay.archived()).isEqualTo(10);
		assertThat(replay.bytesStored()).isZero();
		for (ArchiveRequest request : chunk) {
			assertThat(this.fixture.vault.readCanonical(request.messageId())).isEqualTo(request.canonical());
		}
	}

	@Test
	void aMessageHeldByASecondCustodianIsStoredOnceAndRemembered() {
		// given
		ChatRecord record = VaultFixture.message("shared", "1.0001", "between Alice and Bob");
		this.fixture.vault.archive(List.of(this.fixture.vault.prepare(record, "alice@example.com")));

		// when
		ArchiveSummary summary = this.fixture.vault
			.archive(List.of(this.fixture.vault.prepare(record, "bob@example.com")));

		// then
		assertThat(summary.duplicates()).isEqualTo(1);
		assertThat(this.fixture.jdbc.queryForList(
				"SELECT custodian FROM vault_message_custodian WHERE message_id = decode(?, 'hex')", String.class,
				this.fixture.vault.prepare(record, "x").messageId()))
			.containsExactly("bob@example.com");
	}

	@Test
	void flippedByteInAPackIsNamedWithObjectAndMessage() throws IOException {
		// given
		List<ArchiveRequest> chunk = prepare("tamper", 3);
		IndexRow row = archiveAndFindRow(chunk, 1);
		Path pack = writablePack(row);
		byte[] bytes = Files.readAllBytes(pack);
		bytes[(int) row.offset() + 20] ^= 0x01;
		Files.write(pack, bytes);

		// when / then
		assertThatExceptionOfType(VaultIntegrityException.class)
			.isThrownBy(() -> this.fixture.vault.readCanonical(row.messageId()))
			.withMessageStartingWith("Stored bytes of message " + row.messageId() + " in " + this.fixture.store.name()
					+ " object " + row.packKey() + " at " + row.offset())
			.withMessageContaining("the index says " + row.storedSha256());
		assertThat(this.fixture.vault.readCanonical(chunk.get(0).messageId())).isEqualTo(chunk.get(0).canonical());
	}

	@Test
	void truncatedPackIsNamedWithObjectAndMessage() throws IOException {
		// given
		IndexRow row = archiveAndFindRow(prepare("truncate", 3), 2);
		Path pack = writablePack(row);
		byte[] bytes = Files.readAllBytes(pack);
		Files.write(pack, java.util.Arrays.copyOf(bytes, (int) row.offset() + 5));

		// when / then
		assertThatExceptionOfType(VaultIntegrityException.class)
			.isThrownBy(() -> this.fixture.vault.readCanonical(row.messageId()))
			.withMessageStartingWith("Cannot read message " + row.messageId())
			.withMessageContaining(row.packKey());
	}

	@Test
	void destroyingAConversationKeyErasesExactlyThatConversation() {
		// given
		List<ArchiveRequest> erased = prepare("erase-me", 2);
		List<ArchiveRequest> kept = prepare("keep-me", 2);
		List<ArchiveRequest> both = new ArrayList<>(erased);
		both.addAll(kept);
		this.fixture.vault.archive(both);

		// when
		this.fixture.dataKeys.destroy(PackedVault.conversationScope(erased.get(0).record()), "GDPR art. 17, ticket 42");

		// then
		assertThatExceptionOfType(KeyUnavailableException.class)
			.isThrownBy(() -> this.fixture.vault.readCanonical(erased.get(0).messageId()))
			.withMessageContaining("was destroyed")
			.withMessageContaining("ticket 42");
		assertThat(this.fixture.vault.readCanonical(kept.get(1).messageId())).isEqualTo(kept.get(1).canonical());
	}

	@Test
	void rotationRewrapsDataKeysAndEverythingStillReads() {
		// given
		List<ArchiveRequest> chunk = prepare("rotate", 5);
		this.fixture.vault.archive(chunk);
		int before = this.fixture.keks.currentVersion();

		// when
		int after = this.fixture.keks.rotate();
		int rewrapped = this.fixture.dataKeys.rewrapToCurrentVersion();

		// then
		assertThat(after).isEqualTo(before + 1);
		assertThat(rewrapped).isPositive();
		assertThat(this.fixture.dataKeys.liveKeysByKekVersion()).containsOnlyKeys(after);
		io.chatvault.crypto.DataKeys fresh = new io.chatvault.crypto.DataKeys(this.fixture.jdbc,
				this.fixture.transactionManager, this.fixture.keks);
		IndexRow row = this.fixture.vault.indexRow(chunk.get(0).messageId()).orElseThrow();
		assertThat(fresh.byId(row.dataKeyId()).aesKey())
			.isEqualTo(this.fixture.dataKeys.byId(row.dataKeyId()).aesKey());
		assertThat(this.fixture.vault.readCanonical(chunk.get(0).messageId())).isEqualTo(chunk.get(0).canonical());
	}

	@Test
	void retentionPolicyCoveringTheSourceSetsRetainUntilOfIndexAndObject() {
		// given
		this.fixture.retention.save(new RetentionPolicy("whatsapp-10y", "FINRA 4511(c) extended", Period.ofYears(10),
				List.of(SourcePlatform.WHATSAPP_EXPORT.name()), List.of("traders")));
		this.fixture.retention.addToGroup("traders", "trader@example.com");
		ChatRecord record = VaultFixture.message("policy", "9.9", "covered")
			.toBuilder()
			.source(SourcePlatform.WHATSAPP_EXPORT)
			.build();

		// when
		ArchiveRequest request = this.fixture.vault.prepare(record, "trader@example.com");
		this.fixture.vault.archive(List.of(request));

		// then
		IndexRow row = this.fixture.vault.indexRow(request.messageId()).orElseThrow();
		Instant tenYears = Instant.now().atOffset(java.time.ZoneOffset.UTC).plusYears(10).toInstant();
		assertThat(row.retainUntil()).isCloseTo(tenYears, within(1, ChronoUnit.HOURS));
		assertThat(this.fixture.store.head(row.packKey()).orElseThrow().retainUntil()).isCloseTo(tenYears,
				within(1, ChronoUnit.HOURS));
	}

	@Test
	void defaultRetentionAndLockModeAreConfigurable() {
		// given
		RetentionPolicies governance = new RetentionPolicies(this.fixture.jdbc, new VaultProperties.Retention(
				Period.ofYears(5), io.chatvault.storage.WriteOptions.LockMode.GOVERNANCE));
		Instant now = Instant.parse("2025-01-01T00:00:00Z");

		// when
		io.chatvault.storage.WriteOptions options = governance.resolver(List.of("nobody@example.com"), now)
			.writeOptions(SourcePlatform.TEAMS_GRAPH, "nobody@example.com");

		// then
		assertThat(options.retainUntil()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
		assertThat(options.lockMode()).isEqualTo(io.chatvault.storage.WriteOptions.LockMode.GOVERNANCE);
	}

	@Test
	void quarantineKeepsRawBytesEncryptedOnceAndCountsInStatus() throws IOException {
		// given
		byte[] raw = "02/13/24, 25:61 - Mallory: unparseable secret line".getBytes(StandardCharsets.UTF_8);
		QuarantinedRecord record = new QuarantinedRecord(new SourceLocation("chat.txt", "", 12),
				"expected a date and time at the start of the line", raw);

		// when
		boolean first = this.fixture.vault.quarantine(record, "alice@example.com");
		boolean second = this.fixture.vault.quarantine(record, "alice@example.com");

		// then
		assertThat(first).isTrue();
		assertThat(second).isFalse();
		Map<String, Object> row = this.fixture.jdbc.queryForMap("SELECT * FROM vault_quarantine");
		assertThat(row).containsEntry("origin_file", "chat.txt").containsEntry("origin_line", 12L);
		byte[] stored = Files.readAllBytes(this.fixture.objectFile((String) row.get("object_key")));
		assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("secret line");
		assertThat(new VaultStatus(this.fixture.jdbc).figures()).containsEntry("quarantined", 1L);
	}

	@Test
	void statusHasTheArchiveFigures() {
		// when
		Map<String, Object> figures = new VaultStatus(this.fixture.jdbc).figures();

		// then
		assertThat(figures).containsOnlyKeys("messages", "conversations", "custodians", "attachments", "bytesStored",
				"quarantined");
		assertThat(figures.keySet()).containsExactly("messages", "conversations", "custodians", "attachments",
				"bytesStored", "quarantined");
	}

	@Test
	void metadataWithTabsNewlinesAndBackslashesSurvivesCopy() {
		// given
		String conversation = "odd\tid\\with\nnewline\r";
		ArchiveRequest request = this.fixture.vault.prepare(VaultFixture.message(conversation, "5.5", "x"),
				"DOMAIN\\carol\t");

		// when
		this.fixture.vault.archive(List.of(request));

		// then
		IndexRow row = this.fixture.vault.indexRow(request.messageId()).orElseThrow();
		assertThat(row.conversationId()).isEqualTo(conversation);
		assertThat(row.custodian()).isEqualTo("DOMAIN\\carol\t");
	}

	@Test
	void requestsNotMadeByPrepareAreRefused() {
		// given
		ArchiveRequest prepared = this.fixture.vault.prepare(VaultFixture.message("handmade", "7.7", "x"), "alice");
		ArchiveRequest handmade = new ArchiveRequest("not-a-hash", prepared.custodian(), prepared.record(),
				prepared.canonical(), prepared.recordSha256());

		// when / then
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.fixture.vault.archive(List.of(handmade)))
			.withMessage("Archive request for export.zip!general/2024-03-01.json:7: the message id must be 64 "
					+ "lowercase hex characters, as Vault.prepare makes it, not 'not-a-hash'");
	}

	@Test
	void unknownMessageIsNotFound() {
		assertThatExceptionOfType(NoSuchElementException.class)
			.isThrownBy(() -> this.fixture.vault.readCanonical("0".repeat(64)))
			.withMessage("No archived message " + "0".repeat(64));
	}

	private IndexRow archiveAndFindRow(List<ArchiveRequest> chunk, int index) {
		this.fixture.vault.archive(chunk);
		return this.fixture.vault.indexRow(chunk.get(index).messageId()).orElseThrow();
	}

	/** The pack file of a row, made writable as an intruder with root would. */
	private Path writablePack(IndexRow row) throws IOException {
		Path pack = this.fixture.objectFile(row.packKey());
		Files.setPosixFilePermissions(pack, PosixFilePermissions.fromString("rw-r--r--"));
		return pack;
	}

	private List<ArchiveRequest> prepare(String conversation, int count) {
		List<ArchiveRequest> requests = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			requests.add(this.fixture.vault.prepare(
					VaultFixture.message(conversation, "1700000000." + i, "message " + i + " in " + conversation),
					"alice@example.com"));
		}
		return requests;
	}

}
