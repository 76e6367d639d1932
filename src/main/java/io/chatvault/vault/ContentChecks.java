package io.chatvault.vault;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.StreamingAead;
import io.chatvault.crypto.TamperedCiphertextException;
import io.chatvault.message.Sha256;
import io.chatvault.storage.ObjectStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The deep check of one stored item from given bytes (a primary's or a replica's copy):
 * decrypt, decompress and compare what it holds with the index. See
 * {@link VaultCatalog.Depth#CONTENT}. Throws {@link VaultIntegrityException} with the
 * first problem.
 */
final class ContentChecks {

	private static final HexFormat HEX = HexFormat.of();

	private final ObjectStore store;

	private final DataKeys dataKeys;

	private final JdbcTemplate jdbc;

	private final RecordReader records;

	private final Originals originals;

	private final PackIndex packs;

	private final JsonMapper mapper = JsonMapper.builder().build();

	/** Each thread's keyed ids (a MAC instance each). */
	private final ThreadLocal<ContentIds> ids = ThreadLocal.withInitial(ContentIds::new);

	ContentChecks(ObjectStore store, DataKeys dataKeys, JdbcTemplate jdbc, RecordReader records, Originals originals) {
		this.store = store;
		this.dataKeys = dataKeys;
		this.jdbc = jdbc;
		this.records = records;
		this.originals = originals;
		this.packs = new PackIndex(jdbc);
	}

	/**
	 * The checks of a pack and its blocks from one read
	 * ({@link VaultCatalog#verifyPack}).
	 */
	PackChecks packChecks() {
		return new PackChecks(this.dataKeys, this.packs, this, this.records);
	}

	/**
	 * Checks an item's content.
	 * @param item the item
	 * @param bytes its stored bytes, whose SHA-256 already matched
	 * @param storeName where they were read
	 * @return the records checked
	 */
	int check(VaultCatalog.StoredItem item, byte[] bytes, String storeName) {
		return switch (item.kind()) {
			case PACK -> checkPack(item, bytes);
			case RECEIPT -> checkReceipt(item, bytes);
			case QUARANTINE -> checkQuarantine(item, bytes);
			default -> checkBlock(item, bytes, storeName);
		};
	}

	private int checkBlock(VaultCatalog.StoredItem item, byte[] bytes, String storeName) {
		PackIndex.BlockRef ref = this.packs.block(item.id())
			.orElseThrow(() -> new VaultIntegrityException("block " + item.id() + " is no longer indexed"));
		BlockReader reader = new BlockReader(this.store, this.dataKeys);
		String where = "block " + ref.ordinal() + " of " + ref.objectKey() + " in " + storeName;
		byte[] plain = reader.open(ref, bytes, where);
		RecordReader.Places places = new RecordReader.Places();
		int records = checkOpened(ref, plain, plain.length, where, null, null, places);
		String problem = this.records.checkPlaces(places).get(ref.id());
		if (problem != null) {
			throw new VaultIntegrityException(problem);
		}
		return records;
	}

	/**
	 * Checks what an opened block holds against the index (see
	 * {@link VaultCatalog.Depth#CONTENT}). For a records block, the index rows of its
	 * records are left to {@link RecordReader#checkPlaces}, so that a pack's blocks take
	 * one query.
	 * @param ref the block
	 * @param plain holds its plaintext
	 * @param length the plaintext's length: the first bytes of {@code plain}
	 * @param where names it in messages
	 * @param chunkId the chunk id the index holds for it, if the caller has it
	 * ({@code null}: looked up)
	 * @param rows the index rows its page of packs read, if any (a file manifest's file
	 * row is looked up when they do not hold it)
	 * @param places collects the ids of a records block's records
	 * @return the records decoded
	 * @throws VaultIntegrityException at the first problem
	 */
	int checkOpened(PackIndex.BlockRef ref, byte[] plain, int length, String where, byte[] chunkId, PackRows rows,
			RecordReader.Places places) {
		if (ref.kind() == BlockKind.MEDIA || ref.kind() == BlockKind.ORIGINAL) {
			byte[] recomputed = this.ids.get().of(this.dataKeys.byId(ref.dataKeyId()), plain, 0, length);
			byte[] indexed = (chunkId != null) ? chunkId
					: this.jdbc.queryForObject("SELECT chunk_id FROM vault_block WHERE id = ?", byte[].class, ref.id());
			if (!MessageDigest.isEqual(recomputed, indexed)) {
				throw new VaultIntegrityException(where + " holds other bytes than its chunk id names");
			}
			return 0;
		}
		if (length != plain.length) {
			plain = java.util.Arrays.copyOf(plain, length);
		}
		switch (ref.kind()) {
			case RECORDS:
				return this.records.decodeBlock(ref, plain, where, places);
			case CONVERSATION: {
				byte[] stateId = new ContentIds().of(this.dataKeys.byId(ref.dataKeyId()),
						Sha256.digest().digest(plain));
				Long named = this.jdbc
					.queryForList("SELECT block_id FROM vault_conversation_state WHERE state_id = ?", Long.class,
							stateId)
					.stream()
					.findFirst()
					.orElse(null);
				if (!Objects.equals(named, ref.id())) {
					throw new VaultIntegrityException(where + ": the conversation state it holds is indexed "
							+ ((named == null) ? "nowhere" : "in block " + named));
				}
				new CanonicalRecords().decodeConversation(plain);
				return 0;
			}
			case FILE: {
				JsonNode manifest = this.mapper.readTree(plain);
				String sha256 = manifest.path("sha256").asString("");
				long[] row = (rows != null) ? rows.file(sha256, ref.dataKeyId()) : null;
				if (row == null) {
					row = this.jdbc.query(
							"SELECT size, chunks FROM vault_file WHERE sha256 = decode(?, 'hex') AND data_key_id = ?",
							(rs, i) -> new long[] { rs.getLong(1), rs.getInt(2) }, sha256, ref.dataKeyId())
						.stream()
						.findFirst()
						.orElse(null);
				}
				if (row == null || row[0] != manifest.path("size").asLong()
						|| row[1] != manifest.path("chunks").size()) {
					throw new VaultIntegrityException(where + ": the file manifest of "
							+ manifest.path("sha256").asString("?") + " does not match the file's index row");
				}
				return 0;
			}
			default:
				throw new IllegalStateException("unexpected block kind " + ref.kind());
		}
	}

	private int checkPack(VaultCatalog.StoredItem item, byte[] bytes) {
		Map<Integer, PackIndex.BlockRef> indexed = new java.util.HashMap<>();
		this.packs.blocksOfPack(item.id(), (ref, chunkId) -> indexed.put(ref.ordinal(), ref));
		checkPack(item.objectKey(), bytes, bytes.length, indexed);
		return 0;
	}

	/**
	 * Checks a pack object's manifest against the index: every block the index places in
	 * this pack is where the manifest says, of its length, with the SHA-256 the index
	 * names, and inside the pack. The blocks' bytes are not hashed again: the pack's
	 * SHA-256, which matched the index before this is called, covers them and the
	 * manifest, so a block whose manifest entry matches its index row holds the bytes its
	 * stored SHA-256 was computed over when the pack was sealed. (What a second hash of
	 * each block would add is only whether the writer computed it right; whoever can
	 * change the stored pack and the index together can change a block's SHA-256 in both
	 * as well. What no one can forge without the data key, that the block is the
	 * authentic sealing of its pack and place, the decryption of each block checks.)
	 * @param objectKey the pack's key, for messages
	 * @param bytes holds the whole pack, whose SHA-256 already matched the index
	 * @param length the pack's length: the first bytes of {@code bytes}
	 * @param indexed the index's blocks of the pack, by ordinal
	 * @return the ordinals of the indexed blocks whose manifest entry matched the index
	 * (their stored SHA-256 is thereby checked)
	 * @throws VaultIntegrityException at the first problem
	 */
	java.util.Set<Integer> checkPack(String objectKey, byte[] bytes, int length,
			Map<Integer, PackIndex.BlockRef> indexed) {
		List<Pack.PackedBlock> blocks;
		try {
			blocks = Pack.manifest(bytes, length, this.mapper);
		}
		catch (RuntimeException ex) {
			throw new VaultIntegrityException(objectKey + ": its manifest cannot be read: " + ex.getMessage(), ex);
		}
		java.util.Set<Integer> matched = new java.util.HashSet<>();
		for (Pack.PackedBlock block : blocks) {
			PackIndex.BlockRef row = indexed.get(block.ordinal());
			if (row == null) {
				// A chunk another pack stored first is not indexed here: fine.
				continue;
			}
			if (row.offset() != block.offset() || row.length() != block.length()
					|| !MessageDigest.isEqual(row.sha256(), block.sha256())) {
				throw new VaultIntegrityException(
						objectKey + ": block " + block.ordinal() + " of its manifest does not match the index");
			}
			if (block.offset() < 0 || block.offset() + block.length() > length) {
				throw new VaultIntegrityException(objectKey + ": block " + block.ordinal() + " lies outside the pack");
			}
			matched.add(block.ordinal());
		}
		return matched;
	}

	private int checkReceipt(VaultCatalog.StoredItem item, byte[] bytes) {
		ExportReceipt receipt = this.originals.open(item.id(), item.objectKey(), bytes, HEX.parseHex(item.sha256()));
		List<Map<String, Object>> rows = this.jdbc.queryForList(
				"SELECT ordinal, encode(sha256, 'hex') AS sha256, size FROM vault_receipt_entry WHERE receipt_id = ? "
						+ "ORDER BY ordinal",
				item.id());
		if (rows.size() != receipt.entries().size()) {
			throw new VaultIntegrityException(
					"receipt " + item.id() + " lists " + receipt.entries().size() + " files, the index " + rows.size());
		}
		for (ExportReceipt.Entry entry : receipt.entries()) {
			Map<String, Object> row = rows.get(entry.ordinal());
			if (!Objects.equals(row.get("sha256"), entry.sha256())) {
				throw new VaultIntegrityException(
						"receipt " + item.id() + ": file " + entry.ordinal() + " has another SHA-256 in the index");
			}
		}
		return 0;
	}

	/** Decrypts one sealed quarantine object. */
	byte[] decryptQuarantine(String objectKey, byte[] sealed) {
		try {
			return StreamingAead.decrypt(sealed, this.dataKeys::byId, objectKey);
		}
		catch (TamperedCiphertextException ex) {
			throw new VaultIntegrityException("Cannot decrypt " + objectKey + ": " + ex.getMessage(), ex);
		}
	}

	private int checkQuarantine(VaultCatalog.StoredItem item, byte[] bytes) {
		String rawSha = this.jdbc.queryForObject("SELECT raw_sha256 FROM vault_quarantine WHERE id = ?", String.class,
				item.id());
		byte[] raw;
		try {
			raw = StreamingAead.decrypt(bytes, this.dataKeys::byId, item.objectKey());
		}
		catch (TamperedCiphertextException ex) {
			throw new VaultIntegrityException("Cannot decrypt " + item.objectKey() + ": " + ex.getMessage(), ex);
		}
		if (!Sha256.hex(raw).equals(rawSha)) {
			throw new VaultIntegrityException(
					item.objectKey() + " decrypts to other bytes than the quarantined raw " + "bytes the index names");
		}
		return 0;
	}

}
