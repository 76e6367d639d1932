package io.chatvault.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import io.chatvault.crypto.BlockCipher;
import io.chatvault.crypto.KeyUnavailableException;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.MessageIdentity;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

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
	void archivedRecordsReadBackVerifiedAsTheirCanonicalBytesAndRecords() {
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
			ArchivedRecord read = this.fixture.reader.record(request.messageId()).orElseThrow();
			assertThat(read.record()).isEqualTo(request.record());
			assertThat(read.conversation())
				.isEqualTo(new HeldConversation("SLACK_EXPORT", "roundtrip", "alice@example.com"));
		}
		Instant retainUntil = this.fixture.jdbc
			.queryForObject("SELECT p.retain_until FROM vault_message m JOIN "
					+ "vault_block b ON b.id = m.block_id JOIN vault_pack p ON p.id = b.pack_id WHERE m.message_id = "
					+ "decode(?, 'hex')", java.sql.Timestamp.class, chunk.get(0).messageId())
			.toInstant();
		assertThat(retainUntil).isCloseTo(Instant.now().atOffset(java.time.ZoneOffset.UTC).plusYears(7).toInstant(),
				within(1, ChronoUnit.HOURS));
	}

	@Test
	void aChunkIsOnePackWithABlockPerConversationAndTheConversationStoredOnce() {
		// given
		List<ArchiveRequest> chunk = new ArrayList<>(prepare("blocks-a", 30));
		chunk.addAll(prepare("blocks-b", 20));
		long packs = this.fixture.count("vault_pack");

		// when
		this.fixture.vault.archive(chunk);
		this.fixture.vault.archive(prepare("blocks-a", 40).subList(30, 40));

		// then
		assertThat(this.fixture.count("vault_pack")).isEqualTo(packs + 2);
		List<Map<String, Object>> blocks = this.fixture.jdbc.queryForList("""
				SELECT c.conversation_id, count(DISTINCT m.block_id) AS blocks, count(*) AS records
				FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation
				WHERE c.conversation_id IN ('blocks-a', 'blocks-b') GROUP BY c.conversation_id ORDER BY 1
				""");
		assertThat(blocks).containsExactly(Map.of("conversation_id", "blocks-a", "blocks", 2L, "records", 40L),
				Map.of("conversation_id", "blocks-b", "blocks", 1L, "records", 20L));
		assertThat(this.fixture.jdbc.queryForObject(
				"SELECT count(*) FROM vault_conversation_state s JOIN "
						+ "vault_conversation c ON c.id = s.conversation WHERE c.conversation_id = 'blocks-a'",
				Long.class))
			.isEqualTo(1);
	}

	@Test
	void recordsOfAConversationStreamInTimeOrder() {
		// given
		List<ArchiveRequest> chunk = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			ChatRecord record = VaultFixture.message("ordered", "9." + i, "m" + i)
				.toBuilder()
				.sentAt(Instant.parse("2024-03-01T10:00:00Z").plusSeconds((i * 7919L) % 25))
				.build();
			chunk.add(this.fixture.vault.prepare(record, "alice@example.com"));
		}
		this.fixture.vault.archive(chunk);

		// when
		List<Instant> times;
		try (var records = this.fixture.reader
			.records(new HeldConversation("SLACK_EXPORT", "ordered", "alice@example.com"))) {
			times = records.map((r) -> r.record().sentAt()).toList();
		}

		// then
		assertThat(times).hasSize(25).isSorted();
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
		assertThat(this.fixture.reader.record(chunk.get(0).messageId())).isEmpty();
		long objects = objectCount();

		// when
		ArchiveSummary replay = this.fixture.vault.archive(chunk);

		// then
		assertThat(replay.archived()).isEqualTo(10);
		assertThat(replay.bytesStored()).isZero();
		assertThat(objectCount()).isEqualTo(objects);
		for (ArchiveRequest request : chunk) {
			assertThat(this.fixture.vault.readCanonical(request.messageId())).isEqualTo(request.canonical());
		}
	}

	private long objectCount() {
		try (var files = Files.walk(this.directory.resolve("objects"))) {
			return files.filter(Files::isRegularFile)
				.filter((f) -> !f.getFileName().toString().startsWith("."))
				.count();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
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
		String id = MessageIdentity.of(record);
		assertThat(this.fixture.jdbc.queryForList("SELECT k.name FROM vault_message_holder h JOIN vault_custodian k "
				+ "ON k.id = h.custodian_id WHERE h.message_id = decode(?, 'hex')", String.class, id))
			.containsExactly("bob@example.com");
		try (var held = this.fixture.reader
			.records(new HeldConversation("SLACK_EXPORT", "shared", "bob@example.com"))) {
			assertThat(held.map(ArchivedRecord::messageId)).containsExactly(id);
		}
		assertThat(this.fixture.reader.conversations("bob@example.com"))
			.contains(new HeldConversation("SLACK_EXPORT", "shared", "bob@example.com"));
	}

	@Test
	void flippedByteInABlockIsNamedWithObjectAndMessageAndOtherBlocksStillRead() throws IOException {
		// given
		FlippedByte flipped = archiveAndFlipAByte("tamper");
		List<ArchiveRequest> tampered = flipped.tampered();
		List<ArchiveRequest> intact = flipped.intact();
		Block block = flipped.block();

		// when / then
		assertThatExceptionOfType(VaultIntegrityException.class)
			.isThrownBy(() -> this.fixture.vault.readCanonical(tampered.get(1).messageId()))
			.withMessageStartingWith("Stored bytes of message " + tampered.get(1).messageId() + " in "
					+ this.fixture.store.name() + " object " + block.objectKey() + " at " + block.offset() + "+"
					+ block.length() + " (block " + block.ordinal() + ") have SHA-256 ")
			.withMessageContaining("the index says " + block.sha256());
		assertThat(this.fixture.vault.readCanonical(intact.get(0).messageId())).isEqualTo(intact.get(0).canonical());
		VaultCatalog.StoredItem item = this.fixture.catalog.item(VaultCatalog.ItemKind.RECORD_BLOCK, block.id())
			.orElseThrow();
		assertThat(this.fixture.catalog.verify(item).ok()).isFalse();
		assertThat(this.fixture.catalog.verifyReplica(item).ok()).isTrue();
	}

	@Test
	void aFlippedByteUnderAForgedPackHashIsStillCaughtByTheFullCheckOfThePack() throws IOException {
		// given: an intruder flips a byte of a block and forges the pack's SHA-256 in the
		// index to match (the full check does not hash a block again once the pack's hash
		// matched: decryption must catch it)
		FlippedByte flipped = archiveAndFlipAByte("forged-pack-hash");
		Block block = flipped.block();
		this.fixture.jdbc.update("UPDATE vault_pack SET sha256 = ? WHERE object_key = ?",
				Sha256.digest().digest(flipped.packBytes()), block.objectKey());
		VaultCatalog.PackItems items = this.fixture.catalog.packs(0, Long.MAX_VALUE, 1_000)
			.stream()
			.filter((p) -> p.pack().objectKey().equals(block.objectKey()))
			.findFirst()
			.orElseThrow();

		// when
		VaultCatalog.PackVerification verification = this.fixture.catalog.verifyPack(items, true);

		// then: the pack's own hash now matches, the block fails authentication, the
		// others check out
		assertThat(verification.pack().ok()).isTrue();
		assertThat(verification.blocks()).hasSize(items.blocks().size());
		for (VaultCatalog.Verification check : verification.blocks()) {
			if (check.item().id() == block.id()) {
				assertThat(check.ok()).isFalse();
				assertThat(check.problem()).contains("failed authentication");
			}
			else {
				assertThat(check.ok()).as(check.problem()).isTrue();
			}
		}
	}

	/**
	 * Archives three records and three neighbours in one chunk, then flips a byte inside
	 * the block of the second record in the stored pack.
	 */
	private FlippedByte archiveAndFlipAByte(String name) throws IOException {
		List<ArchiveRequest> tampered = prepare(name, 3);
		List<ArchiveRequest> intact = prepare(name + "-neighbour", 3);
		List<ArchiveRequest> chunk = new ArrayList<>(tampered);
		chunk.addAll(intact);
		this.fixture.vault.archive(chunk);
		Block block = block(tampered.get(1).messageId());
		Path pack = this.fixture.writableObject(block.objectKey());
		byte[] bytes = Files.readAllBytes(pack);
		bytes[(int) block.offset() + 60] ^= 0x01;
		Files.write(pack, bytes);
		return new FlippedByte(tampered, intact, block, bytes);
	}

	private record FlippedByte(List<ArchiveRequest> tampered, List<ArchiveRequest> intact, Block block,
			byte[] packBytes) {
	}

	@Test
	void truncatedPackIsNamedWithObjectAndMessage() throws IOException {
		// given
		List<ArchiveRequest> chunk = prepare("truncate", 3);
		this.fixture.vault.archive(chunk);
		Block block = block(chunk.get(2).messageId());
		Path pack = this.fixture.writableObject(block.objectKey());
		byte[] bytes = Files.readAllBytes(pack);
		Files.write(pack, Arrays.copyOf(bytes, (int) block.offset() + 5));

		// when / then
		assertThatExceptionOfType(VaultIntegrityException.class)
			.isThrownBy(() -> this.fixture.vault.readCanonical(chunk.get(2).messageId()))
			.withMessageStartingWith("Cannot read message " + chunk.get(2).messageId())
			.withMessageContaining(block.objectKey());
	}

	@Test
	void blocksReorderedInAPackFailAuthenticationEvenWhenTheIndexWasForgedToMatch() throws IOException {
		// given: two blocks of one pack; an intruder with the database swaps their places
		// in the index (each row names the other's bytes and hash)
		List<ArchiveRequest> first = prepare("reorder-a", 2);
		List<ArchiveRequest> second = prepare("reorder-b", 2);
		List<ArchiveRequest> chunk = new ArrayList<>(first);
		chunk.addAll(second);
		this.fixture.vault.archive(chunk);
		Block a = block(first.get(0).messageId());
		Block b = block(second.get(0).messageId());
		assertThat(a.objectKey()).isEqualTo(b.objectKey());
		swapPlaces(a, b);

		// when / then
		assertThatExceptionOfType(VaultIntegrityException.class)
			.isThrownBy(() -> this.fixture.vault.readCanonical(first.get(0).messageId()))
			.withMessageStartingWith("Cannot decrypt message " + first.get(0).messageId())
			.withMessageContaining("failed authentication: altered, truncated, moved, or under another key");
	}

	@Test
	void aBlockMovedIntoAnotherPackFailsAuthentication() throws IOException {
		// given: an intruder copies a block of one pack over a block of the same
		// conversation in another pack, and forges that block's hash in the index
		List<ArchiveRequest> all = prepare("moved", 4);
		this.fixture.vault.archive(all.subList(0, 2));
		this.fixture.vault.archive(all.subList(2, 4));
		Block from = block(all.get(0).messageId());
		Block to = block(all.get(2).messageId());
		assertThat(from.objectKey()).isNotEqualTo(to.objectKey());
		byte[] moved = Arrays.copyOfRange(Files.readAllBytes(this.fixture.objectFile(from.objectKey())),
				(int) from.offset(), (int) from.offset() + from.length());
		Path target = this.fixture.writableObject(to.objectKey());
		byte[] bytes = Files.readAllBytes(target);
		byte[] forged = new byte[(int) to.offset() + moved.length];
		System.arraycopy(bytes, 0, forged, 0, (int) to.offset());
		System.arraycopy(moved, 0, forged, (int) to.offset(), moved.length);
		Files.write(target, forged);
		this.fixture.jdbc.update("UPDATE vault_block SET stored_length = ?, stored_sha256 = ? WHERE id = ?",
				moved.length, Sha256.digest().digest(moved), to.id());

		// when / then
		assertThatExceptionOfType(VaultIntegrityException.class)
			.isThrownBy(() -> this.fixture.vault.readCanonical(all.get(2).messageId()))
			.withMessageStartingWith("Cannot decrypt message " + all.get(2).messageId())
			.withMessageContaining("failed authentication");
	}

	@Test
	void aRecordRowPointedAtAnotherRecordIsCaughtByItsRecomputedId() {
		// given: an intruder points one record's index row at another record's place
		List<ArchiveRequest> chunk = prepare("repointed", 2);
		this.fixture.vault.archive(chunk);
		this.fixture.jdbc.update("UPDATE vault_message SET ordinal = 1 - ordinal WHERE message_id = decode(?, 'hex')",
				chunk.get(0).messageId());

		// when / then
		assertThatExceptionOfType(VaultIntegrityException.class)
			.isThrownBy(() -> this.fixture.vault.readCanonical(chunk.get(0).messageId()))
			.withMessageStartingWith("message " + chunk.get(0).messageId())
			.withMessageEndingWith("holds the record of message " + chunk.get(1).messageId() + ": moved or reordered");
	}

	@Test
	void everyRecordIsFoundAgainFromThePacksAlone() throws IOException {
		// given
		List<ArchiveRequest> chunk = prepare("rebuild", 30);
		this.fixture.vault.archive(chunk);
		Block block = block(chunk.get(0).messageId());
		byte[] pack = Files.readAllBytes(this.fixture.objectFile(block.objectKey()));

		// when: the manifest names the blocks, the blocks hold the records
		Set<String> found = new HashSet<>();
		BlockCipher cipher = new BlockCipher();
		byte[] packId = Pack.packId(block.objectKey());
		for (Pack.PackedBlock packed : Pack.manifest(pack, JsonMapper.builder().build())) {
			if (packed.kind() != BlockKind.RECORDS) {
				continue;
			}
			byte[] sealed = Arrays.copyOfRange(pack, (int) packed.offset(), (int) packed.offset() + packed.length());
			BlockCipher.Opened opened = cipher.open(sealed, this.fixture.dataKeys::byId,
					Pack.context(packId, packed.ordinal()), "block");
			byte[] plain = Pack.decompress(opened.payload(), opened.plainLength(), "block");
			RecordBlock.Layout layout = RecordBlock.decode(plain);
			assertThat(new String(layout.holder(), StandardCharsets.UTF_8)).isEqualTo(
					"{\"conversation\":\"rebuild\",\"custodian\":\"alice@example.com\",\"source\":\"SLACK_EXPORT\"}");
			for (byte[] canonical : layout.records()) {
				found.add(MessageIdentity
					.of(new CanonicalRecords().decode(canonical, (state) -> chunk.get(0).record().conversation())
						.record()));
			}
		}

		// then
		assertThat(found).containsExactlyInAnyOrderElementsOf(chunk.stream().map(ArchiveRequest::messageId).toList());
	}

	@Test
	void aDamagedPackIsRepairedFromTheReplicaUnderANewKey() throws IOException {
		// given
		List<ArchiveRequest> chunk = prepare("repair", 5);
		this.fixture.vault.archive(chunk);
		Block block = block(chunk.get(0).messageId());
		Path pack = this.fixture.writableObject(block.objectKey());
		byte[] bytes = Files.readAllBytes(pack);
		bytes[(int) block.offset() + 100] ^= 0x40;
		Files.write(pack, bytes);
		VaultCatalog.StoredItem item = this.fixture.catalog.item(VaultCatalog.ItemKind.RECORD_BLOCK, block.id())
			.orElseThrow();

		// when
		VaultCatalog.Repair repair = this.fixture.catalog.repair(item, "checksum sampling, test");

		// then
		assertThat(repair.newKey()).isEqualTo(block.objectKey() + ".r1");
		assertThat(Files.readAllBytes(pack)).isEqualTo(bytes);
		assertThat(this.fixture.vault.readCanonical(chunk.get(0).messageId())).isEqualTo(chunk.get(0).canonical());
		VaultCatalog.StoredItem repaired = this.fixture.catalog.item(VaultCatalog.ItemKind.RECORD_BLOCK, block.id())
			.orElseThrow();
		assertThat(repaired.objectKey()).isEqualTo(repair.newKey());
		assertThat(this.fixture.catalog.verify(repaired).ok()).isTrue();
		assertThat(this.fixture.count("vault_repair")).isPositive();
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
		this.fixture.dataKeys.destroy(
				HeldConversation.of(erased.get(0).record(), "alice@example.com").keyScope().name(),
				"GDPR art. 17, ticket 42");

		// then
		assertThatExceptionOfType(KeyUnavailableException.class)
			.isThrownBy(() -> this.fixture.vault.readCanonical(erased.get(0).messageId()))
			.withMessageContaining("was destroyed")
			.withMessageContaining("ticket 42");
		assertThat(this.fixture.vault.readCanonical(kept.get(1).messageId())).isEqualTo(kept.get(1).canonical());
		assertThat(this.fixture.jdbc.queryForMap("SELECT custodian, source, conversation_id FROM vault_data_key "
				+ "WHERE destroy_reason = 'GDPR art. 17, ticket 42'"))
			.containsEntry("custodian", "alice@example.com")
			.containsEntry("source", "SLACK_EXPORT")
			.containsEntry("conversation_id", "erase-me");
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
		long keyId = this.fixture.jdbc.queryForObject(
				"SELECT b.data_key_id FROM vault_message m JOIN vault_block b "
						+ "ON b.id = m.block_id WHERE m.message_id = decode(?, 'hex')",
				Long.class, chunk.get(0).messageId());
		io.chatvault.crypto.DataKeys fresh = new io.chatvault.crypto.DataKeys(this.fixture.jdbc,
				this.fixture.transactionManager, this.fixture.keks);
		assertThat(fresh.byId(keyId).aesKey()).isEqualTo(this.fixture.dataKeys.byId(keyId).aesKey());
		assertThat(this.fixture.vault.readCanonical(chunk.get(0).messageId())).isEqualTo(chunk.get(0).canonical());
	}

	@Test
	void retentionPolicyCoveringTheSourceSetsRetainUntilOfThePackObject() {
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
		Block block = block(request.messageId());
		Instant tenYears = Instant.now().atOffset(java.time.ZoneOffset.UTC).plusYears(10).toInstant();
		assertThat(this.fixture.jdbc
			.queryForObject("SELECT retain_until FROM vault_pack WHERE object_key = ?", java.sql.Timestamp.class,
					block.objectKey())
			.toInstant()).isCloseTo(tenYears, within(1, ChronoUnit.HOURS));
		assertThat(this.fixture.store.head(block.objectKey()).orElseThrow().retainUntil()).isCloseTo(tenYears,
				within(1, ChronoUnit.HOURS));
	}

	@Test
	void aChunkOfTwoRetentionsIsTwoPacks() {
		// given
		this.fixture.retention.save(new RetentionPolicy("cloud-3y", "internal", Period.ofYears(3),
				List.of(SourcePlatform.WHATSAPP_CLOUD_API.name()), List.of()));
		ArchiveRequest teams = this.fixture.vault.prepare(VaultFixture.message("split-cloud", "8.1", "t")
			.toBuilder()
			.source(SourcePlatform.WHATSAPP_CLOUD_API)
			.build(), "alice@example.com");
		ArchiveRequest slack = this.fixture.vault.prepare(VaultFixture.message("split-slack", "8.2", "s"),
				"alice@example.com");

		// when
		this.fixture.vault.archive(List.of(teams, slack));

		// then
		assertThat(block(teams.messageId()).objectKey()).isNotEqualTo(block(slack.messageId()).objectKey());
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
		long before = this.fixture.count("vault_quarantine");

		// when
		boolean first = this.fixture.vault.quarantine(record, "alice@example.com");
		boolean second = this.fixture.vault.quarantine(record, "alice@example.com");

		// then
		assertThat(first).isTrue();
		assertThat(second).isFalse();
		Map<String, Object> row = this.fixture.jdbc
			.queryForMap("SELECT * FROM vault_quarantine WHERE origin_file = 'chat.txt' AND origin_line = 12");
		byte[] stored = Files.readAllBytes(this.fixture.objectFile((String) row.get("object_key")));
		assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("secret line");
		assertThat(new VaultStatus(this.fixture.jdbc).figures()).containsEntry("quarantined", before + 1);
		VaultCatalog.StoredItem item = this.fixture.catalog.item(VaultCatalog.ItemKind.QUARANTINE, (Long) row.get("id"))
			.orElseThrow();
		assertThat(this.fixture.catalog.verify(item).ok()).isTrue();
	}

	@Test
	void statusCountsMessagesEventsAndChangeRecordsApart() {
		// given
		Map<String, Object> before = new VaultStatus(this.fixture.jdbc).figures();
		List<ArchiveRequest> chunk = new ArrayList<>(prepare("kinds", 3));
		chunk.add(this.fixture.vault.prepare(VaultFixture.message("kinds", "k.edit", "edited")
			.toBuilder()
			.kind(RecordKind.EDIT)
			.targetMessageId("1700000000.0")
			.build(), "alice@example.com"));
		chunk.add(this.fixture.vault.prepare(VaultFixture.message("kinds", "k.react", "👍")
			.toBuilder()
			.kind(RecordKind.REACTION)
			.targetMessageId("1700000000.0")
			.build(), "alice@example.com"));
		chunk.add(this.fixture.vault.prepare(
				VaultFixture.message("kinds", "k.event", "joined").toBuilder().kind(RecordKind.SYSTEM_EVENT).build(),
				"alice@example.com"));

		// when
		this.fixture.vault.archive(chunk);
		this.fixture.vault.archive(chunk);
		Map<String, Object> after = new VaultStatus(this.fixture.jdbc).figures();

		// then
		assertThat(after.keySet()).containsExactly("messages", "systemEvents", "edits", "deletions", "reactions",
				"statuses", "conversations", "custodians", "attachments", "receipts", "bytesStored", "quarantined");
		assertThat((Long) after.get("messages") - (Long) before.get("messages")).isEqualTo(3);
		assertThat((Long) after.get("edits") - (Long) before.get("edits")).isEqualTo(1);
		assertThat((Long) after.get("reactions") - (Long) before.get("reactions")).isEqualTo(1);
		assertThat((Long) after.get("systemEvents") - (Long) before.get("systemEvents")).isEqualTo(1);
		assertThat(after.get("deletions")).isEqualTo(before.get("deletions"));
	}

	@Test
	void eachNewlyArchivedRecordCarriesItsTokensInItsIndexRowAndAReplayChangesNothing() {
		// given
		List<ArchiveRequest> chunk = prepare("tokenized", 4);

		// when
		ArchiveSummary first = this.fixture.vault.archive(chunk);
		ArchiveSummary replay = this.fixture.vault.archive(chunk);

		// then
		assertThat(first.archived()).isEqualTo(4);
		assertThat(replay.archived()).isZero();
		for (ArchiveRequest request : chunk) {
			assertThat(tokens(request.messageId())).containsExactly(VaultFixture.tokens(request.record()));
		}
	}

	@Test
	void recordsArchivedWithoutTokensHaveNullTokensAndKeepThemWhenArchivedAgain() {
		// given
		List<ArchiveRequest> chunk = prepare("untokenized", 3);

		// when
		this.fixture.untokenized.archive(chunk);
		this.fixture.vault.archive(chunk);

		// then: not indexed yet (search-backfill's to fill), not overwritten by a
		// duplicate
		for (ArchiveRequest request : chunk) {
			assertThat(tokens(request.messageId())).isNull();
		}
	}

	private long[] tokens(String messageId) {
		return this.fixture.jdbc.queryForObject("SELECT tokens FROM vault_message WHERE message_id = decode(?, 'hex')",
				(rs, i) -> {
					java.sql.Array array = rs.getArray(1);
					return (array != null)
							? Arrays.stream((Long[]) array.getArray()).mapToLong(Long::longValue).toArray() : null;
				}, messageId);
	}

	@Test
	void sentAtIsStoredAsPostgresqlParsesTheInstantsTextEvenBelowAMicrosecond() {
		// given: fractions PostgreSQL rounds (up, down, halves, into the next second),
		// and instants before its epoch (2000) and the Unix one
		List<String> instants = List.of("2024-03-01T10:15:30Z", "2024-03-01T10:15:30.000001Z",
				"2024-03-01T10:15:30.123456789Z", "2024-03-01T10:15:30.123456411Z", "2024-03-01T10:15:30.123456500Z",
				"2024-03-01T10:15:30.123457500Z", "2024-02-29T23:59:59.999999600Z", "1999-12-31T23:59:59.500000500Z",
				"1969-12-31T23:59:59.999999500Z", "1970-01-01T00:00:00.000001500Z");
		List<ArchiveRequest> chunk = new ArrayList<>();
		for (int i = 0; i < instants.size(); i++) {
			ChatRecord record = ChatRecord.builder(SourcePlatform.SLACK_EXPORT,
					new Conversation("instants", ConversationType.CHANNEL, "general", null), RecordKind.MESSAGE,
					Instant.parse(instants.get(i)), new SourceLocation("export.zip", "general/2024-03-01.json", i + 1))
				.platformMessageId("instant-" + i)
				.body("at " + instants.get(i))
				.build();
			chunk.add(this.fixture.vault.prepare(record, "alice@example.com"));
		}

		// when
		this.fixture.vault.archive(chunk);

		// then
		for (ArchiveRequest request : chunk) {
			String text = request.record().sentAt().toString();
			assertThat(this.fixture.jdbc.queryForObject(
					"SELECT sent_at = ?::timestamptz FROM vault_message WHERE message_id = decode(?, 'hex')",
					Boolean.class, text, request.messageId()))
				.as(text)
				.isTrue();
		}
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
		ArchivedRecord read = this.fixture.reader.record(request.messageId()).orElseThrow();
		assertThat(read.conversation())
			.isEqualTo(new HeldConversation("SLACK_EXPORT", conversation, "DOMAIN\\carol\t"));
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
	void locatedRecordsReadAsRecordReadsThemInTheOrderAsked() {
		// given: two conversations, one of them erased, and an id that is not archived
		List<ArchiveRequest> first = prepare("locate-a", 3);
		List<ArchiveRequest> second = prepare("locate-b", 2);
		List<ArchiveRequest> erased = prepare("locate-erased", 1);
		List<ArchiveRequest> chunk = new ArrayList<>(first);
		chunk.addAll(second);
		chunk.addAll(erased);
		this.fixture.vault.archive(chunk);
		this.fixture.dataKeys
			.destroy(HeldConversation.of(erased.get(0).record(), "alice@example.com").keyScope().name(), "locate test");
		List<String> ids = List.of(second.get(1).messageId(), "0".repeat(64), first.get(2).messageId().toUpperCase(),
				erased.get(0).messageId(), first.get(0).messageId());

		// when
		List<VaultReader.Located> located = this.fixture.reader.locate(ids);

		// then
		assertThat(located).extracting(VaultReader.Located::messageId)
			.containsExactly(second.get(1).messageId(), "0".repeat(64), first.get(2).messageId(),
					erased.get(0).messageId(), first.get(0).messageId());
		assertThat(located.get(0).read().orElseThrow().record()).isEqualTo(second.get(1).record());
		assertThat(located.get(1).read()).isEmpty();
		assertThat(located.get(2).read().orElseThrow().record()).isEqualTo(first.get(2).record());
		assertThatExceptionOfType(KeyUnavailableException.class).isThrownBy(() -> located.get(3).read())
			.withMessageContaining("locate test");
		ArchivedRecord read = located.get(4).read().orElseThrow();
		assertThat(read.record()).isEqualTo(first.get(0).record());
		assertThat(read.canonical()).isEqualTo(first.get(0).canonical());
		assertThat(read.conversation())
			.isEqualTo(new HeldConversation("SLACK_EXPORT", "locate-a", "alice@example.com"));
	}

	@Test
	void unknownMessageIsNotFound() {
		assertThatExceptionOfType(NoSuchElementException.class)
			.isThrownBy(() -> this.fixture.vault.readCanonical("0".repeat(64)))
			.withMessage("No archived message " + "0".repeat(64));
		assertThat(this.fixture.reader.record("0".repeat(64))).isEmpty();
	}

	/** The place of a message's block, as the index has it. */
	record Block(long id, String objectKey, long offset, int length, int ordinal, String sha256) {
	}

	private Block block(String messageId) {
		return this.fixture.jdbc.queryForObject("""
				SELECT b.id, p.object_key, b.pack_offset, b.stored_length, b.ordinal, encode(b.stored_sha256, 'hex')
				FROM vault_message m JOIN vault_block b ON b.id = m.block_id JOIN vault_pack p ON p.id = b.pack_id
				WHERE m.message_id = decode(?, 'hex')
				""", (rs, i) -> new Block(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getInt(5),
				rs.getString(6)), messageId);
	}

	/** Forges the index so that two blocks' rows name each other's bytes. */
	private void swapPlaces(Block a, Block b) {
		this.fixture.jdbc.update("UPDATE vault_block SET pack_offset = ?, stored_length = ?, stored_sha256 = "
				+ "decode(?, 'hex') WHERE id = ?", b.offset(), b.length(), b.sha256(), a.id());
		this.fixture.jdbc.update("UPDATE vault_block SET pack_offset = ?, stored_length = ?, stored_sha256 = "
				+ "decode(?, 'hex') WHERE id = ?", a.offset(), a.length(), a.sha256(), b.id());
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
