package io.chatvault.vault;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

import io.chatvault.crypto.DataKey;
import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.RecordCipher;
import io.chatvault.crypto.StreamingAead;
import io.chatvault.crypto.TamperedCiphertextException;
import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.MessageIdentity;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.ObjectStoreException;
import io.chatvault.storage.PutOutcome;
import io.chatvault.storage.StoredObject;
import io.chatvault.storage.WriteOptions;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The vault: records sealed under their conversation's data key, packed one pack per
 * archived chunk, written once to the object store (which writes the replica too), and
 * indexed in PostgreSQL. See {@link Vault} for the contract.
 *
 * <p>
 * A chunk is crash-safe without any cleanup: data keys are committed before anything is
 * sealed with them, a pack's key is derived from its entries and its bytes from its
 * entries and keys, so a chunk replayed after a crash between the store write and the
 * index commit writes the very same pack, which the write-once store keeps once, and then
 * commits the index rows.
 */
public class PackedVault implements Vault, AutoCloseable {

	private static final java.util.regex.Pattern SHA256_HEX = java.util.regex.Pattern.compile("[0-9a-f]{64}");

	private final ObjectStore store;

	private final DataKeys dataKeys;

	private final MediaVault media;

	private final RetentionPolicies retention;

	private final MessageIndex index;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final CanonicalRecords canonical = new CanonicalRecords();

	private final StreamingAead aead = new StreamingAead();

	private final Clock clock;

	private final StoreWriter writer;

	public PackedVault(ObjectStore store, DataKeys dataKeys, MediaVault media, RetentionPolicies retention,
			javax.sql.DataSource dataSource, JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
			Clock clock) {
		this.store = store;
		this.dataKeys = dataKeys;
		this.media = media;
		this.retention = retention;
		this.index = new MessageIndex(dataSource, jdbc);
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.clock = clock;
		this.writer = new StoreWriter(store, 2, "pack-writer");
	}

	@Override
	public void close() {
		this.writer.close();
	}

	@Override
	public ArchiveRequest prepare(ChatRecord record, String custodian) {
		byte[] canonicalBytes = this.canonical.canonical(record);
		return new ArchiveRequest(MessageIdentity.of(record), custodian, record, canonicalBytes,
				Sha256.hex(canonicalBytes));
	}

	@Override
	public ArchiveSummary archive(List<ArchiveRequest> requests) {
		if (requests.isEmpty()) {
			return new ArchiveSummary(0, 0, 0);
		}
		Map<String, ArchiveRequest> unique = new LinkedHashMap<>();
		for (ArchiveRequest request : requests) {
			requireSha256(request.messageId(), "message id", request);
			requireSha256(request.recordSha256(), "record SHA-256", request);
			unique.putIfAbsent(request.messageId(), request);
		}
		int duplicatesInChunk = requests.size() - unique.size();
		ArchiveSummary summary = this.transaction.execute((status) -> archiveUnique(unique));
		return new ArchiveSummary(summary.archived(), summary.duplicates() + duplicatesInChunk, summary.bytesStored());
	}

	private ArchiveSummary archiveUnique(Map<String, ArchiveRequest> unique) {
		Map<String, String> archived = this.index.archived(unique.keySet());
		List<Object[]> furtherCustodians = new ArrayList<>();
		List<ArchiveRequest> fresh = new ArrayList<>();
		for (ArchiveRequest request : unique.values()) {
			String firstCustodian = archived.get(request.messageId());
			if (firstCustodian == null) {
				fresh.add(request);
			}
			else if (!firstCustodian.equals(request.custodian())) {
				furtherCustodians.add(new Object[] { request.messageId(), request.custodian() });
			}
		}
		this.index.addCustodians(furtherCustodians);
		if (fresh.isEmpty()) {
			return new ArchiveSummary(0, unique.size(), 0);
		}
		// Sorted, so that a replayed chunk builds a byte-identical pack.
		fresh.sort(Comparator.comparing(ArchiveRequest::messageId));
		Instant now = this.clock.instant();
		RetentionPolicies.Resolver policies = this.retention
			.resolver(fresh.stream().map(ArchiveRequest::custodian).toList(), now);
		Set<String> scopes = new HashSet<>();
		for (ArchiveRequest request : fresh) {
			scopes.add(conversationScope(request.record()));
		}
		Map<String, DataKey> keys = this.dataKeys.forScopes(scopes);

		long bytesStored = 0;
		List<Object[]> attachmentRows = new ArrayList<>();
		for (ArchiveRequest request : fresh) {
			bytesStored += storeMedia(request, policies.writeOptions(request.record().source(), request.custodian()),
					attachmentRows);
		}

		RecordCipher cipher = new RecordCipher();
		List<String> identity = new ArrayList<>(fresh.size() * 2);
		int expectedSize = 0;
		for (ArchiveRequest request : fresh) {
			identity.add(request.messageId());
			identity.add(request.recordSha256());
			expectedSize += request.canonical().length + RecordCipher.OVERHEAD;
		}
		String packKey = Pack.objectKey(identity);
		Pack.Builder pack = new Pack.Builder(expectedSize);
		Instant packRetainUntil = now;
		for (ArchiveRequest request : fresh) {
			DataKey key = keys.get(conversationScope(request.record()));
			pack.add(request.messageId(), request.recordSha256(), key.id(),
					cipher.seal(key, request.messageId(), request.recordSha256(), request.canonical()));
			Instant until = policies.writeOptions(request.record().source(), request.custodian()).retainUntil();
			packRetainUntil = until.isAfter(packRetainUntil) ? until : packRetainUntil;
		}
		byte[] packBytes = pack.finish(this.canonical.mapper());
		WriteOptions packOptions = new WriteOptions(packRetainUntil,
				policies.writeOptions(fresh.get(0).record().source(), fresh.get(0).custodian()).lockMode(), false);
		// The pack is written while its index rows go in; both finish before the commit.
		StoreWriter.Pending put = this.writer.put(packKey, packBytes, packOptions);
		Instant retainUntil = packRetainUntil;

		List<IndexRow> rows = new ArrayList<>(fresh.size());
		for (int i = 0; i < fresh.size(); i++) {
			ArchiveRequest request = fresh.get(i);
			PackEntry entry = pack.entries().get(i);
			ChatRecord record = request.record();
			rows.add(new IndexRow(request.messageId(), packKey, entry.offset(), entry.length(), entry.recordSha256(),
					entry.storedSha256(), entry.dataKeyId(), record.source().name(), record.conversation().id(),
					request.custodian(), record.kind().name(), record.sentAt(),
					record.optionalPlatformMessageId().map(Sha256::hex).orElse(null), record.attachments().size(),
					retainUntil));
		}
		long packId = this.index.insertPack(packKey, rows.size(), packBytes.length, Sha256.hex(packBytes), retainUntil,
				packOptions.lockMode().name());
		int inserted = this.index.insert(rows, packId);
		this.index.insertAttachments(attachmentRows);
		if (put.await() == PutOutcome.ALREADY_PRESENT) {
			// A replay: the pack from the first attempt is there, with its retention.
			StoredObject existing = checkPresent(packKey, packBytes.length);
			if (existing.retainUntil() != null && !existing.retainUntil().equals(retainUntil)) {
				this.index.retainUntil(packId, existing.retainUntil());
			}
		}
		else {
			bytesStored += packBytes.length;
		}
		// Rows another writer inserted meanwhile are duplicates; their pack entries stay
		// unreferenced, which costs bytes but never correctness.
		return new ArchiveSummary(inserted, unique.size() - inserted, bytesStored);
	}

	/** Ids and hashes are stored as 32 raw bytes: they must be what prepare makes. */
	private static void requireSha256(String value, String what, ArchiveRequest request) {
		if (value == null || !SHA256_HEX.matcher(value).matches()) {
			throw new IllegalArgumentException("Archive request for " + request.record().origin() + ": the " + what
					+ " must be 64 lowercase hex characters, as Vault.prepare makes it, not '" + value + "'");
		}
	}

	private long storeMedia(ArchiveRequest request, WriteOptions options, List<Object[]> attachmentRows) {
		long written = 0;
		List<Attachment> attachments = request.record().attachments();
		for (int ordinal = 0; ordinal < attachments.size(); ordinal++) {
			Attachment attachment = attachments.get(ordinal);
			if (attachment.status() == AttachmentStatus.PRESENT && attachment.content() != null) {
				MediaVault.StoredMedia stored;
				try {
					stored = this.media.store(attachment, options);
				}
				catch (UncheckedIOException ex) {
					throw new VaultIntegrityException("Message " + request.messageId() + " ("
							+ request.record().origin() + "): " + ex.getMessage(), ex);
				}
				attachmentRows.add(new Object[] { request.messageId(), ordinal, stored.sha256() });
				written += stored.written() ? stored.storedBytes() : 0;
			}
		}
		return written;
	}

	private StoredObject checkPresent(String objectKey, long expectedSize) {
		Optional<StoredObject> head = this.store.head(objectKey);
		if (head.isEmpty() || head.get().size() != expectedSize) {
			throw new VaultIntegrityException(
					"Object " + objectKey + " in " + this.store.name() + " exists but does not hold the expected "
							+ expectedSize + " bytes: " + head.map((h) -> h.size() + " bytes").orElse("missing"));
		}
		return head.get();
	}

	/**
	 * The erasure scope of a record's data key: its conversation.
	 * @param record the record
	 * @return the scope name
	 */
	public static String conversationScope(ChatRecord record) {
		return "conversation:" + record.source().name() + ":" + record.conversation().id();
	}

	@Override
	public boolean quarantine(QuarantinedRecord record, String custodian) {
		String rawSha = Sha256.hex(record.raw());
		String fingerprint = Sha256.hexOfFields(custodian, record.origin().file(), record.origin().entry(),
				Long.toString(record.origin().line()), rawSha);
		return this.transaction.execute((status) -> {
			Integer known = this.jdbc.queryForObject("SELECT count(*) FROM vault_quarantine WHERE fingerprint = ?",
					Integer.class, fingerprint);
			if (known != null && known > 0) {
				return false;
			}
			DataKey key = this.dataKeys.forScope(quarantineScope(custodian));
			byte[] sealed = this.aead.encrypt(record.raw(), key,
					Sha256.ofFields("chatvault-quarantine-v1", fingerprint));
			String objectKey = "quarantine/" + fingerprint.substring(0, 2) + "/" + fingerprint;
			WriteOptions options = this.retention.resolver(List.of(custodian), this.clock.instant())
				.writeOptions(null, custodian);
			if (this.store.put(objectKey, sealed, options) == PutOutcome.ALREADY_PRESENT) {
				checkPresent(objectKey, sealed.length);
			}
			int inserted = this.jdbc.update("INSERT INTO vault_quarantine (fingerprint, custodian, origin_file, "
					+ "origin_entry, origin_line, reason, raw_sha256, raw_length, object_key, data_key_id, "
					+ "stored_sha256, stored_length) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
					fingerprint, custodian, record.origin().file(), record.origin().entry(), record.origin().line(),
					record.reason(), rawSha, record.rawLength(), objectKey, key.id(), Sha256.hex(sealed),
					sealed.length);
			return inserted == 1;
		});
	}

	/**
	 * The erasure scope of quarantined input: per custodian, since unparsed bytes belong
	 * to no known conversation.
	 * @param custodian the custodian
	 * @return the scope name
	 */
	public static String quarantineScope(String custodian) {
		return "quarantine:" + custodian;
	}

	@Override
	public byte[] readCanonical(String messageId) {
		IndexRow row = this.index.find(messageId)
			.orElseThrow(() -> new NoSuchElementException("No archived message " + messageId));
		String where = "message " + messageId + " in " + this.store.name() + " object " + row.packKey() + " at "
				+ row.offset() + "+" + row.length();
		byte[] sealed;
		try {
			sealed = this.store.read(row.packKey(), row.offset(), row.length());
		}
		catch (ObjectStoreException ex) {
			throw new VaultIntegrityException("Cannot read " + where + ": " + ex.getMessage(), ex);
		}
		String storedSha = Sha256.hex(sealed);
		if (!storedSha.equals(row.storedSha256())) {
			throw new VaultIntegrityException("Stored bytes of " + where + " have SHA-256 " + storedSha
					+ ", the index says " + row.storedSha256());
		}
		byte[] canonicalBytes;
		try {
			canonicalBytes = new RecordCipher().open(this.dataKeys.byId(row.dataKeyId()), messageId, sealed);
		}
		catch (TamperedCiphertextException ex) {
			throw new VaultIntegrityException("Cannot decrypt " + where + ": " + ex.getMessage(), ex);
		}
		String recordSha = Sha256.hex(canonicalBytes);
		if (!recordSha.equals(row.recordSha256())) {
			throw new VaultIntegrityException(
					"Record " + where + " decrypts to SHA-256 " + recordSha + ", the index says " + row.recordSha256());
		}
		return canonicalBytes;
	}

	/**
	 * The stored media of an archived message's attachments, for readers.
	 * @return the media vault
	 */
	public MediaVault media() {
		return this.media;
	}

	Optional<IndexRow> indexRow(String messageId) {
		return this.index.find(messageId);
	}

}
