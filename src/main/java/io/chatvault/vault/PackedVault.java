package io.chatvault.vault;

import io.chatvault.message.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
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
import io.chatvault.message.SourceLocation;
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

	/** Quarantined input is streamed into the store in parts of this size. */
	static final int QUARANTINE_PART_BYTES = 4 << 20;

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
		if (record.located().isPresent()) {
			try (InputStream in = record.located().get().open()) {
				return quarantine(record.origin(), record.reason(), in, custodian);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read " + record.located().get() + " to quarantine it", ex);
			}
		}
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

	@Override
	public boolean quarantine(SourceLocation origin, String reason, InputStream raw, String custodian) {
		// The bytes are hashed while they are written, so the fingerprint is the
		// origin's:
		// the same place quarantined again (a replay, a restart) is the same entry.
		String fingerprint = Sha256.hexOfFields(custodian, origin.file(), origin.entry(), Long.toString(origin.line()),
				"streamed");
		if (quarantined(fingerprint)) {
			return false;
		}
		DataKey key = this.dataKeys.forScope(quarantineScope(custodian));
		WriteOptions options = this.retention.resolver(List.of(custodian), this.clock.instant())
			.writeOptions(null, custodian);
		String prefix = "quarantine/" + fingerprint.substring(0, 2) + "/" + fingerprint + "/";
		MessageDigest whole = Sha256.digest();
		MessageDigest storedHashes = Sha256.digest();
		List<Object[]> parts = new ArrayList<>();
		long rawLength = 0;
		long storedLength = 0;
		try {
			byte[] part;
			do {
				part = raw.readNBytes(QUARANTINE_PART_BYTES);
				if (part.length == 0 && !parts.isEmpty()) {
					break;
				}
				whole.update(part);
				String partSha = Sha256.hex(part);
				int index = parts.size();
				byte[] sealed = this.aead.encrypt(part, key,
						Sha256.ofFields("chatvault-quarantine-part-v1", fingerprint, Integer.toString(index), partSha));
				// The part's hash is in its key: a replay of the same bytes finds its
				// object, other bytes never meet a stale one.
				String objectKey = prefix + index + "-" + partSha.substring(0, 16);
				if (this.store.put(objectKey, sealed, options) == PutOutcome.ALREADY_PRESENT) {
					checkPresent(objectKey, sealed.length);
				}
				String sealedSha = Sha256.hex(sealed);
				storedHashes.update(sealedSha.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
				parts.add(new Object[] { fingerprint, index, objectKey, part.length, sealed.length, sealedSha });
				rawLength += part.length;
				storedLength += sealed.length;
			}
			while (part.length == QUARANTINE_PART_BYTES);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + origin + " to quarantine it", ex);
		}
		String rawSha = java.util.HexFormat.of().formatHex(whole.digest());
		String storedSha = java.util.HexFormat.of().formatHex(storedHashes.digest());
		long length = rawLength;
		long stored = storedLength;
		return this.transaction.execute((status) -> {
			int inserted = this.jdbc.update(
					"INSERT INTO vault_quarantine (fingerprint, custodian, origin_file, "
							+ "origin_entry, origin_line, reason, raw_sha256, raw_length, object_key, data_key_id, "
							+ "stored_sha256, stored_length, parts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
							+ "ON CONFLICT DO NOTHING",
					fingerprint, custodian, origin.file(), origin.entry(), origin.line(), reason, rawSha, length,
					prefix, key.id(), storedSha, stored, parts.size());
			if (inserted == 0) {
				return false;
			}
			this.jdbc.batchUpdate("INSERT INTO vault_quarantine_part (fingerprint, part_index, object_key, "
					+ "plain_length, stored_length, stored_sha256) VALUES (?, ?, ?, ?, ?, ?)", parts);
			return true;
		});
	}

	private boolean quarantined(String fingerprint) {
		Integer known = this.jdbc.queryForObject("SELECT count(*) FROM vault_quarantine WHERE fingerprint = ?",
				Integer.class, fingerprint);
		return known != null && known > 0;
	}

	/**
	 * Reads quarantined bytes back, checking each stored object's SHA-256 and the whole
	 * input's.
	 * @param fingerprint the quarantine entry ({@code vault_quarantine.fingerprint})
	 * @return the raw bytes as they were received, streamed part by part
	 * @throws VaultIntegrityException if a stored object or the whole does not match
	 * @throws java.util.NoSuchElementException if there is no such entry
	 */
	@Override
	public InputStream openQuarantined(String fingerprint) {
		Map<String, Object> row = this.jdbc
			.queryForList(
					"SELECT object_key, stored_sha256, raw_sha256, parts FROM vault_quarantine WHERE fingerprint = ?",
					fingerprint)
			.stream()
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException("No quarantined input " + fingerprint));
		int partCount = ((Number) row.get("parts")).intValue();
		List<String[]> objects = (partCount == 0)
				? List.<String[]>of(new String[] { (String) row.get("object_key"), (String) row.get("stored_sha256") })
				: this.jdbc.query(
						"SELECT object_key, stored_sha256 FROM vault_quarantine_part WHERE fingerprint = ? "
								+ "ORDER BY part_index",
						(rs, n) -> new String[] { rs.getString(1), rs.getString(2) }, fingerprint);
		String rawSha = (String) row.get("raw_sha256");
		java.util.Iterator<String[]> remaining = objects.iterator();
		MessageDigest whole = Sha256.digest();
		return new java.io.SequenceInputStream(new java.util.Enumeration<InputStream>() {

			@Override
			public boolean hasMoreElements() {
				return remaining.hasNext();
			}

			@Override
			public InputStream nextElement() {
				byte[] plain = readQuarantinePart(remaining.next());
				whole.update(plain);
				if (!remaining.hasNext()) {
					String found = java.util.HexFormat.of().formatHex(whole.digest());
					if (!found.equals(rawSha)) {
						throw new VaultIntegrityException("Quarantined input " + fingerprint
								+ " reads back with SHA-256 " + found + ", the index says " + rawSha);
					}
				}
				return new java.io.ByteArrayInputStream(plain);
			}

		});
	}

	private byte[] readQuarantinePart(String[] object) {
		byte[] sealed;
		try (InputStream in = this.store.get(object[0])
			.orElseThrow(() -> new VaultIntegrityException(
					"Quarantine object " + object[0] + " is missing from " + this.store.name()))) {
			sealed = in.readAllBytes();
		}
		catch (IOException ex) {
			throw new VaultIntegrityException("Cannot read quarantine object " + object[0] + ": " + ex.getMessage(),
					ex);
		}
		if (!Sha256.hex(sealed).equals(object[1])) {
			throw new VaultIntegrityException("Quarantine object " + object[0] + " does not hold the bytes stored");
		}
		try {
			return StreamingAead.decrypt(sealed, this.dataKeys::byId, object[0]);
		}
		catch (TamperedCiphertextException ex) {
			throw new VaultIntegrityException("Cannot decrypt quarantine object " + object[0] + ": " + ex.getMessage(),
					ex);
		}
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
