package io.chatvault.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.chatvault.crypto.BlockCipher;
import io.chatvault.crypto.DataKey;
import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.KeyScope;
import io.chatvault.crypto.TamperedCiphertextException;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourcePlatform;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.ObjectStoreException;
import io.chatvault.storage.PutOutcome;
import io.chatvault.storage.WriteOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Receipts and originals: every export is received before its records are read (each file
 * hashed, the receipt sealed and written once), and its files are stored bit-exact after
 * them, when the vault knows which conversations each file held.
 *
 * <p>
 * A file whose records all belong to one conversation is stored under that conversation's
 * key (as its custodian holds it), so erasing the conversation erases its source lines
 * too, and a later export of the same chat shares its chunks. A file of several
 * conversations, or of none (Slack's users.json), is stored under a key of its own
 * ({@code original:<custodian>:<sha256>}). A file whose bytes are stored as media (a
 * photo in a WhatsApp zip that a message attaches) is not stored twice: its receipt entry
 * points at the media.
 */
final class Originals {

	static final int KIND = 1;

	private static final byte[] RECEIPT_MAGIC = "CVR2".getBytes(StandardCharsets.US_ASCII);

	private static final HexFormat HEX = HexFormat.of();

	/** Extensions of files that are compressed already: zstd is not even tried. */
	private static final Set<String> COMPRESSED = Set.of("jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "mp4",
			"mov", "3gp", "m4v", "webm", "opus", "ogg", "mp3", "m4a", "aac", "amr", "zip", "gz", "7z", "rar", "xz",
			"bz2", "zst", "docx", "xlsx", "pptx", "pdf");

	private final ObjectStore store;

	private final DataKeys dataKeys;

	private final JdbcTemplate jdbc;

	private final Holders holders;

	private final RetentionPolicies retention;

	private final ChunkStore chunks;

	private final Clock clock;

	private final TransactionTemplate newTransaction;

	private final JsonMapper mapper = JsonMapper.builder().build();

	Originals(ObjectStore store, StoreWriter writer, DataKeys dataKeys, JdbcTemplate jdbc, Holders holders,
			RetentionPolicies retention, PlatformTransactionManager transactionManager, VaultProperties properties,
			Clock clock) {
		this.store = store;
		this.dataKeys = dataKeys;
		this.jdbc = jdbc;
		this.holders = holders;
		this.retention = retention;
		this.chunks = new ChunkStore(store, writer, jdbc, properties.originals().compressionLevel(), 5,
				properties.originals().packSize().toBytes());
		this.clock = clock;
		this.newTransaction = new TransactionTemplate(transactionManager);
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** The erasure scope of a custodian's receipts. */
	static KeyScope receiptScope(String custodian) {
		return new KeyScope("receipt:" + HeldConversation.escape(custodian), custodian, null, null);
	}

	/** The erasure scope of an original of several conversations, or of none. */
	static KeyScope fileScope(String custodian, String sha256) {
		return new KeyScope("original:" + HeldConversation.escape(custodian) + ":" + sha256, custodian, null, null);
	}

	ExportReceipt receive(ExportSubmission submission) {
		Optional<ExportReceipt> known = receipt(submission.intakeKey());
		if (known.isPresent()) {
			return known.get();
		}
		Hashed hashed = hash(submission);
		int custodianId = this.holders.custodian(submission.custodian());
		WriteOptions options = this.retention.resolver(List.of(submission.custodian()), this.clock.instant())
			.writeOptions(submission.source(), submission.custodian());
		return this.newTransaction.execute((status) -> {
			// received_at is fixed by the first attempt's row, so that a replay seals the
			// very same receipt.
			this.jdbc.update("INSERT INTO vault_receipt (intake_key, custodian_id, archive_sha256, archive_size, "
					+ "entries, received_at, object_key, stored_length, stored_sha256, data_key_id, retain_until) "
					+ "VALUES (?, ?, decode(?, 'hex'), ?, ?, ?, '', 0, '\\x'::bytea, 0, ?) "
					+ "ON CONFLICT (intake_key) DO NOTHING", submission.intakeKey(), custodianId,
					hashed.export().sha256(), hashed.export().size(), hashed.entries().size(),
					Timestamp.from(this.clock.instant()), Timestamp.from(options.retainUntil()));
			Map<String, Object> row = this.jdbc.queryForMap(
					"SELECT id, received_at, object_key FROM vault_receipt WHERE intake_key = ? FOR UPDATE",
					submission.intakeKey());
			long id = ((Number) row.get("id")).longValue();
			Instant receivedAt = ((Timestamp) row.get("received_at")).toInstant();
			ExportReceipt receipt = new ExportReceipt(id, submission.intakeKey(), submission.custodian(), receivedAt,
					hashed.export(),
					hashed.entries()
						.stream()
						.map((e) -> new ExportReceipt.Entry(id, e.ordinal(), e.name(), e.size(), e.sha256(),
								e.problem()))
						.toList());
			if (((String) row.get("object_key")).isEmpty()) {
				seal(receipt, options);
			}
			return receipt;
		});
	}

	private void seal(ExportReceipt receipt, WriteOptions options) {
		byte[] json = canonical(receipt);
		DataKey key = this.dataKeys.forKeyScopes(List.of(receiptScope(receipt.custodian())))
			.get(receiptScope(receipt.custodian()).name());
		byte[] id = Sha256.digest().digest(receipt.intakeKey().getBytes(StandardCharsets.UTF_8));
		String objectKey = "receipts/" + HEX.formatHex(id, 0, 1) + "/" + HEX.formatHex(id);
		byte[] compressed = Pack.compress(json, 3, 5);
		byte[] payload = (compressed != null) ? compressed : json;
		byte[] seed = Sha256.digest().digest(ByteBuffer.allocate(64).put(id).put(Sha256.digest().digest(json)).array());
		byte[] sealed = new BlockCipher().seal(key, (compressed != null) ? BlockKind.COMPRESSED : 0, json.length,
				payload, payload.length, seed, context(id));
		byte[] object = new byte[RECEIPT_MAGIC.length + sealed.length];
		System.arraycopy(RECEIPT_MAGIC, 0, object, 0, RECEIPT_MAGIC.length);
		System.arraycopy(sealed, 0, object, RECEIPT_MAGIC.length, sealed.length);
		if (this.store.put(objectKey, object, options) == PutOutcome.ALREADY_PRESENT) {
			long size = this.store.head(objectKey).map((head) -> head.size()).orElse(-1L);
			if (size != object.length) {
				throw new VaultIntegrityException("Receipt object " + objectKey + " in " + this.store.name()
						+ " exists but holds " + size + " bytes, not the expected " + object.length);
			}
		}
		this.jdbc.update(
				"UPDATE vault_receipt SET object_key = ?, stored_length = ?, stored_sha256 = ?, "
						+ "data_key_id = ? WHERE id = ?",
				objectKey, object.length, Sha256.digest().digest(object), key.id(), receipt.id());
		List<Object[]> entries = new ArrayList<>();
		for (ExportReceipt.Entry entry : receipt.entries()) {
			entries.add(new Object[] { receipt.id(), entry.ordinal(), entry.sha256(), entry.size() });
		}
		this.jdbc.batchUpdate("INSERT INTO vault_receipt_entry (receipt_id, ordinal, sha256, size) "
				+ "VALUES (?, ?, decode(?, 'hex'), ?) ON CONFLICT DO NOTHING", entries);
	}

	private static byte[] context(byte[] receiptId) {
		return ByteBuffer.allocate(40).put("receipt:".getBytes(StandardCharsets.US_ASCII)).put(receiptId).array();
	}

	private static byte[] canonical(ExportReceipt receipt) {
		Map<String, Object> json = new TreeMap<>();
		json.put("custodian", receipt.custodian());
		List<Object> entries = new ArrayList<>();
		for (ExportReceipt.Entry entry : receipt.entries()) {
			Map<String, Object> e = new TreeMap<>();
			e.put("name", entry.name());
			if (entry.problem() != null) {
				e.put("problem", entry.problem());
			}
			if (entry.sha256() != null) {
				e.put("sha256", entry.sha256());
			}
			e.put("size", entry.size());
			entries.add(e);
		}
		json.put("entries", entries);
		Map<String, Object> export = new TreeMap<>();
		export.put("format", receipt.export().format());
		export.put("kind", receipt.export().kind().name());
		export.put("name", receipt.export().name());
		export.put("path", receipt.export().path());
		if (receipt.export().sha256() != null) {
			export.put("sha256", receipt.export().sha256());
		}
		export.put("size", receipt.export().size());
		json.put("export", export);
		json.put("intake", receipt.intakeKey());
		json.put("receivedAt", receipt.receivedAt().toString());
		json.put("v", 2);
		return CanonicalJson.write(json);
	}

	/**
	 * A receipt by its intake key, read back from its sealed object.
	 * @param intakeKey the key
	 * @return the receipt, if it was received and sealed
	 */
	Optional<ExportReceipt> receipt(String intakeKey) {
		List<Long> ids = this.jdbc.queryForList(
				"SELECT id FROM vault_receipt WHERE intake_key = ? AND object_key <> ''", Long.class, intakeKey);
		return ids.stream().findFirst().map(this::receipt);
	}

	/**
	 * A receipt by id, read back from its sealed object: its hash checked against the
	 * index, decrypted and authenticated.
	 * @param id the receipt id
	 * @return the receipt
	 * @throws java.util.NoSuchElementException if there is no such receipt
	 */
	ExportReceipt receipt(long id) {
		Map<String, Object> row = this.jdbc.queryForMap(
				"SELECT object_key, stored_sha256, received_at FROM vault_receipt WHERE id = ? AND object_key <> ''",
				id);
		String objectKey = (String) row.get("object_key");
		byte[] object;
		try (InputStream in = this.store.get(objectKey)
			.orElseThrow(() -> new VaultIntegrityException(
					"Receipt object " + objectKey + " is missing from " + this.store.name()))) {
			object = in.readAllBytes();
		}
		catch (IOException | ObjectStoreException ex) {
			throw new VaultIntegrityException("Cannot read receipt object " + objectKey + ": " + ex.getMessage(), ex);
		}
		return open(id, objectKey, object, (byte[]) row.get("stored_sha256"));
	}

	ExportReceipt open(long id, String objectKey, byte[] object, byte[] expectedSha256) {
		String where = "receipt " + id + " in " + this.store.name() + " object " + objectKey;
		if (!MessageDigest.isEqual(Sha256.digest().digest(object), expectedSha256)) {
			throw new VaultIntegrityException("Stored bytes of " + where + " do not have the SHA-256 the index holds");
		}
		byte[] sealed = java.util.Arrays.copyOfRange(object, RECEIPT_MAGIC.length, object.length);
		BlockCipher.Opened opened;
		try {
			opened = new BlockCipher().open(sealed, this.dataKeys::byId, context(Pack.packId(objectKey)), where);
		}
		catch (TamperedCiphertextException ex) {
			throw new VaultIntegrityException("Cannot decrypt " + where + ": " + ex.getMessage(), ex);
		}
		byte[] json = ((opened.flags() & BlockKind.COMPRESSED) != 0)
				? Pack.decompress(opened.payload(), opened.plainLength(), where) : opened.payload();
		JsonNode node = this.mapper.readTree(json);
		List<ExportReceipt.Entry> entries = new ArrayList<>();
		int ordinal = 0;
		for (JsonNode e : node.path("entries")) {
			entries.add(new ExportReceipt.Entry(id, ordinal++, e.get("name").stringValue(), e.get("size").asLong(),
					e.has("sha256") ? e.get("sha256").stringValue() : null,
					e.has("problem") ? e.get("problem").stringValue() : null));
		}
		JsonNode export = node.get("export");
		return new ExportReceipt(id, node.get("intake").stringValue(), node.get("custodian").stringValue(),
				Instant.parse(node.get("receivedAt").stringValue()),
				new ExportReceipt.Export(export.get("name").stringValue(), export.get("path").stringValue(),
						ExportReceipt.ExportKind.valueOf(export.get("kind").stringValue()),
						export.get("format").stringValue(),
						export.has("sha256") ? export.get("sha256").stringValue() : null, export.get("size").asLong()),
				entries);
	}

	private Hashed hash(ExportSubmission submission) {
		try (ExportFiles files = ExportFiles.open(submission.export())) {
			List<ExportReceipt.Entry> entries = new ArrayList<>();
			long total = 0;
			for (ExportFiles.FileEntry file : files.entries()) {
				int ordinal = entries.size();
				if (file.problem() != null) {
					entries.add(new ExportReceipt.Entry(0, ordinal, file.name(), file.size(), null, file.problem()));
					continue;
				}
				try (InputStream in = files.open(file)) {
					Sha256.Hashed hashed = Sha256.hex(in);
					entries.add(new ExportReceipt.Entry(0, ordinal, file.name(), hashed.size(), hashed.sha256(), null));
					total += hashed.size();
				}
				catch (IOException ex) {
					entries.add(new ExportReceipt.Entry(0, ordinal, file.name(), file.size(), null,
							"unreadable: " + ((ex.getMessage() != null) ? ex.getMessage() : ex.toString())));
				}
			}
			String sha = null;
			long size = total;
			if (files.kind() == ExportReceipt.ExportKind.FILE) {
				sha = entries.get(0).sha256();
				size = entries.get(0).size();
			}
			else if (files.kind() == ExportReceipt.ExportKind.ZIP) {
				try (InputStream in = Files.newInputStream(submission.export())) {
					Sha256.Hashed archive = Sha256.hex(in);
					sha = archive.sha256();
					size = archive.size();
				}
			}
			Path name = submission.export().getFileName();
			ExportReceipt.Export export = new ExportReceipt.Export((name != null) ? name.toString() : "",
					submission.export().toString(), files.kind(), submission.format(), sha, size);
			return new Hashed(export, entries);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read export " + submission.export(), ex);
		}
	}

	private record Hashed(ExportReceipt.Export export, List<ExportReceipt.Entry> entries) {
	}

	/**
	 * Records which conversations were read from which receipt entries, in the chunk's
	 * transaction.
	 * @param rows receipt id, entry ordinal, {@code vault_conversation} id
	 */
	void recordConversations(List<Object[]> rows) {
		if (!rows.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO vault_receipt_conversation (receipt_id, entry, conversation) "
					+ "VALUES (?, ?, ?) ON CONFLICT DO NOTHING", rows);
		}
	}

	OriginalsSummary store(ExportReceipt receipt, SourcePlatform source) {
		long stored = 0;
		int files = 0;
		int shared = 0;
		WriteOptions options = this.retention.resolver(List.of(receipt.custodian()), this.clock.instant())
			.writeOptions(source, receipt.custodian());
		List<Map<String, Object>> pending = this.jdbc.queryForList(
				"SELECT ordinal, encode(sha256, 'hex') AS sha256 FROM vault_receipt_entry WHERE receipt_id = ? AND "
						+ "file_id IS NULL AND sha256 IS NOT NULL ORDER BY ordinal",
				receipt.id());
		if (pending.isEmpty()) {
			return new OriginalsSummary(0, 0, 0);
		}
		try (ExportFiles export = ExportFiles.open(Path.of(receipt.export().path()))) {
			for (Map<String, Object> row : pending) {
				int ordinal = ((Number) row.get("ordinal")).intValue();
				String sha = (String) row.get("sha256");
				ExportReceipt.Entry entry = receipt.entries().get(ordinal);
				ExportFiles.FileEntry file = export.entries()
					.stream()
					.filter((candidate) -> candidate.name().equals(entry.name()))
					.findFirst()
					.orElseThrow(() -> new VaultIntegrityException("Export " + receipt.export().path()
							+ " no longer holds " + entry.name() + ", which its receipt lists"));
				long written = this.newTransaction
					.execute((status) -> storeEntry(receipt, ordinal, sha, export, file, options));
				if (written >= 0) {
					stored += written;
					files++;
				}
				else {
					shared++;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read export " + receipt.export().path(), ex);
		}
		this.jdbc.update("UPDATE vault_receipt SET originals_stored_at = ? WHERE id = ?",
				Timestamp.from(this.clock.instant()), receipt.id());
		return new OriginalsSummary(files, shared, stored);
	}

	/** Stores one entry; returns the bytes written, or -1 when it is stored as media. */
	private long storeEntry(ExportReceipt receipt, int ordinal, String sha, ExportFiles export,
			ExportFiles.FileEntry file, WriteOptions options) {
		List<Long> media = this.jdbc
			.queryForList("SELECT id FROM vault_file WHERE kind = 2 AND sha256 = decode(?, 'hex')", Long.class, sha);
		if (!media.isEmpty()) {
			link(receipt.id(), ordinal, media.get(0));
			return -1;
		}
		List<Integer> conversations = this.jdbc.queryForList(
				"SELECT conversation FROM vault_receipt_conversation WHERE receipt_id = ? AND entry = ?", Integer.class,
				receipt.id(), ordinal);
		KeyScope scope = (conversations.size() == 1) ? this.holders.holder(conversations.get(0)).keyScope()
				: fileScope(receipt.custodian(), sha);
		DataKey key = this.dataKeys.forKeyScopes(List.of(scope)).get(scope.name());
		Optional<ChunkStore.StoredFile> known = this.chunks.find(sha, key.id());
		if (known.isPresent()) {
			link(receipt.id(), ordinal, known.get().id());
			return 0;
		}
		try (InputStream in = export.open(file)) {
			ChunkStore.StoredFile stored = this.chunks.store(in,
					new ChunkStore.FileSpec(KIND, key, FastCdc.ORIGINALS, compressible(file.name()), options, null, sha,
							"Export file " + file.name() + " of " + receipt.export().path()));
			link(receipt.id(), ordinal, stored.id());
			return stored.storedBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file.name() + " of export " + receipt.export().path(), ex);
		}
	}

	private void link(long receiptId, int ordinal, long fileId) {
		this.jdbc.update("UPDATE vault_receipt_entry SET file_id = ? WHERE receipt_id = ? AND ordinal = ?", fileId,
				receiptId, ordinal);
	}

	static boolean compressible(String name) {
		int dot = name.lastIndexOf('.');
		return dot < 0 || !COMPRESSED.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
	}

}
