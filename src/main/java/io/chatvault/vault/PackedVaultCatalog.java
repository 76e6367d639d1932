package io.chatvault.vault;

import java.io.IOException;
import java.io.InputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.chatvault.message.Sha256;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.ObjectStoreException;
import io.chatvault.storage.ReplicatedObjectStore;
import io.chatvault.storage.WriteOptions;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link VaultCatalog} over the index tables.
 */
final class PackedVaultCatalog implements VaultCatalog {

	private static final HexFormat HEX = HexFormat.of();

	private final ObjectStore store;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final ContentChecks checks;

	private final PackChecks packChecks;

	PackedVaultCatalog(ObjectStore store, JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
			ContentChecks checks) {
		this.store = store;
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.checks = checks;
		this.packChecks = checks.packChecks();
	}

	private static String select(ItemKind kind) {
		return switch (kind) {
			case PACK -> "SELECT id, object_key, 0, size, encode(sha256, 'hex'), object_key, 0 FROM vault_pack x";
			case RECORD_BLOCK, CONVERSATION_BLOCK, ORIGINAL_CHUNK, MEDIA_CHUNK, FILE_MANIFEST ->
				"SELECT x.id, p.object_key, x.pack_offset, x.stored_length, encode(x.stored_sha256, 'hex'), "
						+ "p.object_key || '#' || x.ordinal, CASE WHEN x.kind = 1 THEN x.entries ELSE 0 END "
						+ "FROM vault_block x JOIN vault_pack p ON p.id = x.pack_id";
			case RECEIPT -> "SELECT id, object_key, 0, stored_length, encode(stored_sha256, 'hex'), object_key, 0 "
					+ "FROM vault_receipt x";
			case QUARANTINE ->
				"SELECT id, object_key, 0, stored_length, stored_sha256, fingerprint, 0 " + "FROM vault_quarantine x";
		};
	}

	/** The index table of a kind's items. */
	private static String table(ItemKind kind) {
		return switch (kind) {
			case PACK -> "vault_pack";
			case RECEIPT -> "vault_receipt";
			case QUARANTINE -> "vault_quarantine";
			default -> "vault_block";
		};
	}

	private static String where(ItemKind kind) {
		return switch (kind) {
			case PACK, QUARANTINE -> "TRUE";
			case RECEIPT -> "x.object_key <> ''";
			case RECORD_BLOCK -> "x.kind = 1";
			case CONVERSATION_BLOCK -> "x.kind = 2";
			case ORIGINAL_CHUNK -> "x.kind = 3";
			case MEDIA_CHUNK -> "x.kind = 4";
			case FILE_MANIFEST -> "x.kind = 5";
		};
	}

	private static StoredItem item(ItemKind kind, ResultSet rs) throws SQLException {
		return new StoredItem(kind, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
				rs.getString(6), rs.getInt(7));
	}

	@Override
	public long count(ItemKind kind) {
		return this.jdbc.queryForObject("SELECT count(*) FROM " + table(kind) + " x WHERE " + where(kind), Long.class);
	}

	@Override
	public List<StoredItem> items(ItemKind kind, long afterId, int limit) {
		return this.jdbc.query(select(kind) + " WHERE " + where(kind) + " AND x.id > ? ORDER BY x.id LIMIT ?",
				(rs, i) -> item(kind, rs), afterId, limit);
	}

	@Override
	public List<Drawable> drawable(ItemKind kind, long afterId, int limit) {
		String records = (kind == ItemKind.RECORD_BLOCK) ? "x.entries" : "0";
		return this.jdbc.query(
				"SELECT x.id, " + records + " FROM " + table(kind) + " x WHERE " + where(kind)
						+ " AND x.id > ? ORDER BY x.id LIMIT ?",
				(rs, i) -> new Drawable(rs.getLong(1), rs.getInt(2)), afterId, limit);
	}

	@Override
	public Optional<StoredItem> item(ItemKind kind, long id) {
		return this.jdbc.query(select(kind) + " WHERE " + where(kind) + " AND x.id = ?", (rs, i) -> item(kind, rs), id)
			.stream()
			.findFirst();
	}

	@Override
	public long records() {
		return this.jdbc.queryForObject("SELECT coalesce(sum(records), 0) FROM vault_message_count", Long.class);
	}

	@Override
	public Verification verify(StoredItem item, Depth depth) {
		ObjectStore primary = (this.store instanceof ReplicatedObjectStore replicated) ? replicated.primary()
				: this.store;
		return verify(item, primary, depth);
	}

	@Override
	public List<PackItems> packs(long afterPackId, long toPackId, int limit) {
		List<StoredItem> packs = this.jdbc.query(
				select(ItemKind.PACK) + " WHERE x.id > ? AND x.id <= ? ORDER BY x.id LIMIT ?",
				(rs, i) -> item(ItemKind.PACK, rs), afterPackId, toPackId, limit);
		if (packs.isEmpty()) {
			return List.of();
		}
		java.util.Map<Long, List<StoredItem>> blocks = new java.util.HashMap<>();
		java.util.Map<Long, List<PackIndex.BlockRef>> refs = new java.util.HashMap<>();
		java.util.Map<Long, byte[]> chunkIds = new java.util.HashMap<>();
		ItemKind[] kinds = { null, ItemKind.RECORD_BLOCK, ItemKind.CONVERSATION_BLOCK, ItemKind.ORIGINAL_CHUNK,
				ItemKind.MEDIA_CHUNK, ItemKind.FILE_MANIFEST };
		// The blocks' items and, in the same rows, their places for the check
		// (PackIndex.blocksOfPack's columns).
		this.jdbc.query(select(ItemKind.RECORD_BLOCK).replace(" FROM ",
				", x.kind, x.pack_id, x.stored_sha256, x.data_key_id, x.ordinal, x.plain_length, x.chunk_id FROM ")
				// The pack ids bound on both sides of the join: with x's alone, the
				// planner hashed the whole of vault_pack for every page (28 ms a page of
				// 50 packs over 8,859 packs, against 1 ms).
				+ " WHERE x.pack_id > ? AND x.pack_id <= ? AND p.id > ? AND p.id <= ? ORDER BY x.id", (rs) -> {
					long packId = rs.getLong(9);
					StoredItem block = item(kinds[rs.getInt(8)], rs);
					blocks.computeIfAbsent(packId, (pack) -> new java.util.ArrayList<>()).add(block);
					refs.computeIfAbsent(packId, (pack) -> new java.util.ArrayList<>())
						.add(new PackIndex.BlockRef(block.id(), block.objectKey(), block.offset(), (int) block.length(),
								rs.getBytes(10), rs.getLong(11), rs.getInt(12), BlockKind.of(rs.getInt(8)),
								rs.getInt(13)));
					byte[] chunkId = rs.getBytes(14);
					if (chunkId != null) {
						chunkIds.put(block.id(), chunkId);
					}
				}, afterPackId, packs.get(packs.size() - 1).id(), afterPackId, packs.get(packs.size() - 1).id());
		java.util.Map<Long, PackRows> rows = this.packChecks.rows(packs.stream().map(StoredItem::id).toList(), refs,
				chunkIds);
		return packs.stream()
			.map((pack) -> new PackItems(pack, blocks.getOrDefault(pack.id(), List.of()), rows.get(pack.id())))
			.toList();
	}

	@Override
	public void prepare(List<PackItems> packs) {
		this.packChecks.prepare(packs);
	}

	@Override
	public PackVerification verifyPack(PackItems pack, boolean whole) {
		ObjectStore primary = (this.store instanceof ReplicatedObjectStore replicated) ? replicated.primary()
				: this.store;
		return this.packChecks.verify(pack, whole, primary);
	}

	@Override
	public Verification verifyReplica(StoredItem item, Depth depth) {
		return verify(item, replicated().replica(), depth);
	}

	private Verification verify(StoredItem item, ObjectStore from, Depth depth) {
		String name = from.name();
		if (item.kind() == ItemKind.QUARANTINE && !parts(item).isEmpty()) {
			return verifyParts(item, from, depth);
		}
		byte[] bytes;
		try {
			bytes = read(from, item);
		}
		catch (ObjectStoreException | IOException | IllegalArgumentException ex) {
			return new Verification(item, name, false, null, "cannot read " + item.objectKey() + " at " + item.offset()
					+ "+" + item.length() + " from " + name + ": " + ex.getMessage(), 0, 0);
		}
		String actual = Sha256.hex(bytes);
		if (!actual.equals(item.sha256())) {
			return new Verification(item, name, false, actual, item.objectKey() + " at " + item.offset() + "+"
					+ item.length() + " in " + name + " has SHA-256 " + actual + ", the index says " + item.sha256(), 0,
					bytes.length);
		}
		if (depth == Depth.STORED) {
			return new Verification(item, name, true, actual, null, item.records(), bytes.length);
		}
		try {
			int records = this.checks.check(item, bytes, name);
			return new Verification(item, name, true, actual, null, records, bytes.length);
		}
		catch (VaultIntegrityException | io.chatvault.crypto.KeyUnavailableException ex) {
			return new Verification(item, name, false, actual, ex.getMessage(), 0, bytes.length,
					ex instanceof io.chatvault.crypto.ErasedException);
		}
	}

	/** The parts of quarantined input streamed in parts: key and stored SHA-256 each. */
	private List<String[]> parts(StoredItem item) {
		return this.jdbc.query(
				"SELECT p.object_key, p.stored_sha256 FROM vault_quarantine_part p JOIN vault_quarantine q "
						+ "ON q.fingerprint = p.fingerprint WHERE q.id = ? ORDER BY p.part_index",
				(rs, i) -> new String[] { rs.getString(1), rs.getString(2) }, item.id());
	}

	/**
	 * Quarantined input in parts: each part's stored SHA-256, and their list's hash
	 * against the row; to content depth, the raw bytes' SHA-256.
	 */
	private Verification verifyParts(StoredItem item, ObjectStore from, Depth depth) {
		java.security.MessageDigest listed = Sha256.digest();
		java.security.MessageDigest raw = Sha256.digest();
		long read = 0;
		String erased = null;
		for (String[] part : parts(item)) {
			byte[] sealed;
			try (InputStream in = from.get(part[0]).orElseThrow(() -> new IOException("no such object"))) {
				sealed = in.readAllBytes();
			}
			catch (ObjectStoreException | IOException ex) {
				return new Verification(item, from.name(), false, null,
						"cannot read " + part[0] + " from " + from.name() + ": " + ex.getMessage(), 0, read);
			}
			read += sealed.length;
			String sha = Sha256.hex(sealed);
			if (!sha.equals(part[1])) {
				return new Verification(item, from.name(), false, sha,
						part[0] + " in " + from.name() + " has SHA-256 " + sha + ", the index says " + part[1], 0,
						read);
			}
			listed.update(sha.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			if (depth == Depth.CONTENT && erased == null) {
				try {
					raw.update(this.checks.decryptQuarantine(part[0], sealed));
				}
				catch (io.chatvault.crypto.ErasedException ex) {
					// The rest is checked to the stored SHA-256 only.
					erased = ex.getMessage();
				}
				catch (VaultIntegrityException | io.chatvault.crypto.KeyUnavailableException ex) {
					return new Verification(item, from.name(), false, sha, ex.getMessage(), 0, read);
				}
			}
		}
		String actual = HEX.formatHex(listed.digest());
		if (!actual.equals(item.sha256())) {
			return new Verification(item, from.name(), false, actual,
					"the parts of " + item.key() + " do not add up to the SHA-256 the index holds", 0, read);
		}
		if (erased != null) {
			return new Verification(item, from.name(), false, actual, erased, 0, read, true);
		}
		if (depth == Depth.CONTENT) {
			String rawSha = this.jdbc.queryForObject("SELECT raw_sha256 FROM vault_quarantine WHERE id = ?",
					String.class, item.id());
			if (!HEX.formatHex(raw.digest()).equals(rawSha)) {
				return new Verification(item, from.name(), false, actual,
						"the parts of " + item.key() + " decrypt to other bytes than the index names", 0, read);
			}
		}
		return new Verification(item, from.name(), true, actual, null, 0, read);
	}

	private static byte[] read(ObjectStore from, StoredItem item) throws IOException {
		boolean whole = item.kind() == ItemKind.PACK || item.kind() == ItemKind.RECEIPT
				|| item.kind() == ItemKind.QUARANTINE;
		if (whole) {
			try (InputStream in = from.get(item.objectKey())
				.orElseThrow(() -> new IOException("no such object in " + from.name()))) {
				return in.readAllBytes();
			}
		}
		return from.read(item.objectKey(), item.offset(), Math.toIntExact(item.length()));
	}

	private ReplicatedObjectStore replicated() {
		if (this.store instanceof ReplicatedObjectStore replicated) {
			return replicated;
		}
		throw new UnsupportedOperationException("The object store " + this.store.name() + " has no replica");
	}

	@Override
	public Repair repair(StoredItem item, String reason) {
		ReplicatedObjectStore replicated = replicated();
		if (item.kind() == ItemKind.QUARANTINE && !parts(item).isEmpty()) {
			return repairParts(item, reason, replicated);
		}
		Whole whole = whole(item);
		byte[] copy;
		try (InputStream in = replicated.getFromReplica(whole.objectKey())
			.orElseThrow(() -> new VaultIntegrityException(
					"The replica has no copy of " + whole.objectKey() + " to repair " + item.key() + " from"))) {
			copy = in.readAllBytes();
		}
		catch (IOException ex) {
			throw new VaultIntegrityException("Cannot read the replica's copy of " + whole.objectKey(), ex);
		}
		String actual = Sha256.hex(copy);
		if (!actual.equals(whole.sha256())) {
			throw new VaultIntegrityException("The replica's copy of " + whole.objectKey() + " has SHA-256 " + actual
					+ ", the index says " + whole.sha256() + ": it cannot repair " + item.key());
		}
		int repairs = this.jdbc.queryForObject("SELECT count(*) FROM vault_repair WHERE old_key LIKE ?", Integer.class,
				baseKey(whole.objectKey()) + "%");
		String newKey = baseKey(whole.objectKey()) + ".r" + (repairs + 1);
		// The replica's retention and legal hold go with the copy, as restoreFromReplica
		// does.
		Optional<io.chatvault.storage.StoredObject> head = replicated.replica().head(whole.objectKey());
		java.time.Instant retainUntil = head.map(io.chatvault.storage.StoredObject::retainUntil)
			.filter((until) -> until != null && until.isAfter(whole.retainUntil()))
			.orElse(whole.retainUntil());
		// A replay after a crash between this put and the index update finds its own copy
		// under the same key: ALREADY_PRESENT, size checked.
		replicated.put(newKey, copy, new WriteOptions(retainUntil, whole.lockMode(),
				head.map(io.chatvault.storage.StoredObject::legalHold).orElse(false)));
		long size = replicated.primary().head(newKey).map(io.chatvault.storage.StoredObject::size).orElse(-1L);
		if (size != copy.length) {
			throw new VaultIntegrityException("The repaired copy " + newKey + " in " + replicated.primary().name()
					+ " holds " + size + " bytes, not the " + copy.length + " of the replica's copy");
		}
		this.transaction.executeWithoutResult((status) -> {
			int updated = this.jdbc.update("UPDATE " + whole.table() + " SET object_key = ? WHERE object_key = ?",
					newKey, whole.objectKey());
			if (updated != 1) {
				throw new IllegalStateException("The index names " + whole.objectKey() + " " + updated + " times");
			}
			this.jdbc.update(
					"INSERT INTO vault_repair (object_kind, item_id, old_key, new_key, reason) VALUES (?, ?, ?, ?, ?)",
					item.kind().name().toLowerCase(Locale.ROOT), item.id(), whole.objectKey(), newKey, reason);
		});
		return new Repair(item, whole.objectKey(), newKey);
	}

	/** Repairs the damaged or lost parts of quarantined input, each under a new key. */
	private Repair repairParts(StoredItem item, String reason, ReplicatedObjectStore replicated) {
		String first = null;
		String firstNew = null;
		for (String[] part : parts(item)) {
			Optional<String> primarySha;
			try (InputStream in = replicated.primary().get(part[0]).orElse(null)) {
				primarySha = Optional.ofNullable((in != null) ? Sha256.hex(in.readAllBytes()) : null);
			}
			catch (IOException | ObjectStoreException ex) {
				primarySha = Optional.empty();
			}
			if (primarySha.filter(part[1]::equals).isPresent()) {
				continue;
			}
			byte[] copy;
			try (InputStream in = replicated.getFromReplica(part[0])
				.orElseThrow(() -> new VaultIntegrityException("The replica has no copy of " + part[0]))) {
				copy = in.readAllBytes();
			}
			catch (IOException ex) {
				throw new VaultIntegrityException("Cannot read the replica's copy of " + part[0], ex);
			}
			if (!Sha256.hex(copy).equals(part[1])) {
				throw new VaultIntegrityException(
						"The replica's copy of " + part[0] + " does not match the index either");
			}
			int repairs = this.jdbc.queryForObject("SELECT count(*) FROM vault_repair WHERE old_key LIKE ?",
					Integer.class, baseKey(part[0]) + "%");
			String newKey = baseKey(part[0]) + ".r" + (repairs + 1);
			java.time.Instant retainUntil = replicated.replica()
				.head(part[0])
				.map(io.chatvault.storage.StoredObject::retainUntil)
				.orElse(java.time.Instant.now());
			replicated.put(newKey, copy, new WriteOptions(retainUntil, WriteOptions.LockMode.COMPLIANCE, false));
			this.transaction.executeWithoutResult((status) -> {
				this.jdbc.update("UPDATE vault_quarantine_part SET object_key = ? WHERE object_key = ?", newKey,
						part[0]);
				this.jdbc.update("INSERT INTO vault_repair (object_kind, item_id, old_key, new_key, reason) "
						+ "VALUES ('quarantine', ?, ?, ?, ?)", item.id(), part[0], newKey, reason);
			});
			if (first == null) {
				first = part[0];
				firstNew = newKey;
			}
		}
		return new Repair(item, first, firstNew);
	}

	private static String baseKey(String objectKey) {
		int repaired = objectKey.indexOf(".r", objectKey.lastIndexOf('/'));
		return (repaired > 0) ? objectKey.substring(0, repaired) : objectKey;
	}

	/** The whole object holding an item, as the index has it. */
	private Whole whole(StoredItem item) {
		return switch (item.kind()) {
			case RECEIPT -> this.jdbc.queryForObject(
					"SELECT object_key, encode(stored_sha256, 'hex'), retain_until FROM vault_receipt WHERE id = ?",
					(rs, i) -> new Whole("vault_receipt", rs.getString(1), rs.getString(2), instant(rs),
							WriteOptions.LockMode.COMPLIANCE),
					item.id());
			case QUARANTINE -> this.jdbc.queryForObject(
					"SELECT object_key, stored_sha256, quarantined_at FROM vault_quarantine WHERE id = ?",
					(rs, i) -> new Whole("vault_quarantine", rs.getString(1), rs.getString(2),
							this.store.head(rs.getString(1))
								.map(io.chatvault.storage.StoredObject::retainUntil)
								.orElse(instant(rs)),
							WriteOptions.LockMode.COMPLIANCE),
					item.id());
			default -> this.jdbc.queryForObject(
					"SELECT object_key, encode(sha256, 'hex'), retain_until, lock_mode FROM vault_pack WHERE object_key = ?",
					(rs, i) -> new Whole("vault_pack", rs.getString(1), rs.getString(2), instant(rs),
							WriteOptions.LockMode.valueOf(rs.getString(4))),
					item.objectKey());
		};
	}

	private static java.time.Instant instant(ResultSet rs) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(3);
		return timestamp.toInstant();
	}

	private record Whole(String table, String objectKey, String sha256, java.time.Instant retainUntil,
			WriteOptions.LockMode lockMode) {
	}

	@Override
	public List<String> objectKeysOfCustodian(String custodian) {
		return this.jdbc.queryForList(
				"""
						SELECT p.object_key FROM vault_pack p WHERE p.id IN (
						  SELECT b.pack_id FROM vault_block b JOIN vault_data_key k ON k.id = b.data_key_id WHERE k.custodian = ?
						  UNION
						  SELECT b.pack_id FROM vault_block b JOIN vault_file_chunk fc ON fc.block_id = b.id
						  JOIN vault_message_attachment a ON a.file_id = fc.file_id
						  JOIN vault_message m ON m.message_id = a.message_id
						  JOIN vault_conversation c ON c.id = m.conversation JOIN vault_custodian u ON u.id = c.custodian_id
						  WHERE u.name = ?)
						UNION SELECT r.object_key FROM vault_receipt r JOIN vault_custodian u ON u.id = r.custodian_id
						  WHERE u.name = ? AND r.object_key <> ''
						UNION SELECT q.object_key FROM vault_quarantine q WHERE q.custodian = ?
						ORDER BY 1
						""",
				String.class, custodian, custodian, custodian, custodian);
	}

	@Override
	public List<String> objectKeysOfConversation(String source, String conversationId) {
		return this.jdbc.queryForList("""
				SELECT p.object_key FROM vault_pack p WHERE p.id IN (
				  SELECT b.pack_id FROM vault_block b JOIN vault_data_key k ON k.id = b.data_key_id
				  WHERE k.source = ? AND k.conversation_id = ?
				  UNION
				  SELECT b.pack_id FROM vault_block b JOIN vault_file_chunk fc ON fc.block_id = b.id
				  JOIN vault_message_attachment a ON a.file_id = fc.file_id
				  JOIN vault_message m ON m.message_id = a.message_id
				  JOIN vault_conversation c ON c.id = m.conversation
				  WHERE c.source = ? AND c.conversation_id = ?)
				ORDER BY 1
				""", String.class, source, conversationId, source, conversationId);
	}

}
