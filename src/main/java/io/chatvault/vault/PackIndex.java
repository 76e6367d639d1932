package io.chatvault.vault;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.storage.WriteOptions;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The index rows of packs and their blocks ({@code vault_pack}, {@code vault_block}), and
 * where a block is for reading it back. Rows go in in the caller's transaction; inserting
 * a pack or block that a replay already indexed finds the existing rows.
 */
final class PackIndex {

	private static final HexFormat HEX = HexFormat.of();

	private final JdbcTemplate jdbc;

	PackIndex(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Indexes a pack and its blocks.
	 * @param pack the pack as written
	 * @param options its retention
	 * @return the id of each block, by ordinal; a chunk block whose chunk another pack
	 * indexed first gets that pack's block id (its own bytes stay unreferenced)
	 */
	long[] insert(Pack.Finished pack, WriteOptions options) {
		return insert(pack, new RetentionPolicies.RetentionClass(null, false, options));
	}

	long[] insert(Pack.Finished pack, RetentionPolicies.RetentionClass retention) {
		WriteOptions options = retention.options();
		// DO UPDATE, not DO NOTHING, so that RETURNING yields the id of a replay's row.
		long packId = this.jdbc.queryForObject(
				"INSERT INTO vault_pack (object_key, size, sha256, blocks, retain_until, lock_mode, retention_policy, "
						+ "retention_statutory) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (object_key) DO UPDATE SET "
						+ "object_key = excluded.object_key RETURNING id",
				Long.class, pack.objectKey(), pack.bytes().length, pack.sha256(), pack.blocks().size(),
				Timestamp.from(options.retainUntil()), options.lockMode().name(), retention.policy(),
				retention.statutory());
		int n = pack.blocks().size();
		int[] ordinals = new int[n];
		long[] offsets = new long[n];
		int[] lengths = new int[n];
		int[] plain = new int[n];
		int[] entries = new int[n];
		short[] kinds = new short[n];
		long[] keys = new long[n];
		String[] shas = new String[n];
		String[] chunks = new String[n];
		for (int i = 0; i < n; i++) {
			Pack.PackedBlock block = pack.blocks().get(i);
			ordinals[i] = block.ordinal();
			offsets[i] = block.offset();
			lengths[i] = block.length();
			plain[i] = block.plainLength();
			entries[i] = block.entries();
			kinds[i] = (short) block.kind().code();
			keys[i] = block.dataKeyId();
			shas[i] = HEX.formatHex(block.sha256());
			chunks[i] = (block.kind().chunk()) ? HEX.formatHex(block.identity()) : null;
		}
		long[] ids = new long[n];
		this.jdbc.query(
				"""
						INSERT INTO vault_block (pack_id, ordinal, pack_offset, stored_length, plain_length, entries, kind,
						                         data_key_id, stored_sha256, chunk_id)
						SELECT ?, b.ordinal, b.pack_offset, b.stored_length, b.plain_length, b.entries, b.kind, b.data_key_id,
						       decode(b.sha, 'hex'), decode(b.chunk, 'hex')
						FROM unnest(?::int[], ?::bigint[], ?::int[], ?::int[], ?::int[], ?::smallint[], ?::bigint[], ?::text[],
						            ?::text[]) AS b(ordinal, pack_offset, stored_length, plain_length, entries, kind, data_key_id,
						                            sha, chunk)
						ON CONFLICT DO NOTHING
						RETURNING ordinal, id
						""",
				(rs) -> {
					ids[rs.getInt(1)] = rs.getLong(2);
				}, packId, ordinals, offsets, lengths, plain, entries, kinds, keys, shas, chunks);
		List<Integer> missing = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			if (ids[i] == 0) {
				missing.add(i);
			}
		}
		if (!missing.isEmpty()) {
			// A replay (the rows are there under this pack), or a chunk another writer
			// indexed first (its block is elsewhere).
			this.jdbc.query("SELECT ordinal, id FROM vault_block WHERE pack_id = ? AND ordinal = ANY (?::int[])",
					(rs) -> {
						ids[rs.getInt(1)] = rs.getLong(2);
					}, packId, missing.stream().mapToInt(Integer::intValue).toArray());
			for (int i : missing) {
				if (ids[i] == 0 && chunks[i] != null) {
					ids[i] = this.jdbc.queryForObject(
							"SELECT id FROM vault_block WHERE data_key_id = ? AND chunk_id = decode(?, 'hex')",
							Long.class, keys[i], chunks[i]);
				}
			}
		}
		return ids;
	}

	/**
	 * The blocks already holding some chunks under a key.
	 * @param dataKeyId the key
	 * @param chunkIds keyed chunk ids
	 * @return chunk id (hex) to block id, for those found
	 */
	Map<String, Long> chunks(long dataKeyId, Collection<String> chunkIds) {
		Map<String, Long> found = new HashMap<>();
		if (chunkIds.isEmpty()) {
			return found;
		}
		this.jdbc.query("SELECT encode(chunk_id, 'hex'), id FROM vault_block WHERE data_key_id = ? AND chunk_id IN "
				+ "(SELECT decode(c, 'hex') FROM unnest(?::text[]) c)", (rs) -> {
					found.put(rs.getString(1), rs.getLong(2));
				}, dataKeyId, chunkIds.toArray(String[]::new));
		return found;
	}

	/**
	 * Where a block is.
	 * @param blockId the block
	 * @return its place, or empty if there is no such block
	 */
	Optional<BlockRef> block(long blockId) {
		return this.jdbc
			.query("""
					SELECT b.id, p.object_key, b.pack_offset, b.stored_length, b.stored_sha256, b.data_key_id, b.ordinal,
					       b.kind, b.plain_length
					FROM vault_block b JOIN vault_pack p ON p.id = b.pack_id WHERE b.id = ?
					""",
					(rs, i) -> new BlockRef(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getBytes(5),
							rs.getLong(6), rs.getInt(7), BlockKind.of(rs.getInt(8)), rs.getInt(9)),
					blockId)
			.stream()
			.findFirst();
	}

	/**
	 * Where several blocks are, with one query.
	 * @param blockIds the blocks
	 * @return the places of those that exist, by id
	 */
	Map<Long, BlockRef> blocks(Collection<Long> blockIds) {
		Map<Long, BlockRef> found = new HashMap<>();
		this.jdbc.query("""
				SELECT b.id, p.object_key, b.pack_offset, b.stored_length, b.stored_sha256, b.data_key_id, b.ordinal,
				       b.kind, b.plain_length
				FROM vault_block b JOIN vault_pack p ON p.id = b.pack_id WHERE b.id = ANY (?::bigint[])
				""", (rs) -> {
			found.put(rs.getLong(1), new BlockRef(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
					rs.getBytes(5), rs.getLong(6), rs.getInt(7), BlockKind.of(rs.getInt(8)), rs.getInt(9)));
		}, (Object) blockIds.stream().mapToLong(Long::longValue).toArray());
		return found;
	}

	/**
	 * The index rows of the files some chunks belong to, in one query.
	 * @param chunkBlockIds block ids of chunks
	 * @param each called with each file's SHA-256, data key, size and chunk count
	 */
	void filesOfBlocks(java.util.Collection<Long> chunkBlockIds, FileRow each) {
		this.jdbc.query("""
				SELECT f.sha256, f.data_key_id, f.size, f.chunks FROM vault_file f
				WHERE f.id IN (SELECT c.file_id FROM vault_file_chunk c WHERE c.block_id = ANY (?))
				""", (rs) -> {
			each.accept(rs.getBytes(1), rs.getLong(2), rs.getLong(3), rs.getInt(4));
		}, (Object) chunkBlockIds.stream().mapToLong(Long::longValue).toArray());
	}

	/** A file's index row, as {@link #filesOfBlocks} hands it on. */
	@FunctionalInterface
	interface FileRow {

		void accept(byte[] sha256, long dataKeyId, long size, int chunks);

	}

	/**
	 * Every block the index places in a pack, in one query.
	 * @param packId the pack
	 * @param each called with each block's place and its chunk id ({@code null} unless a
	 * chunk)
	 */
	void blocksOfPack(long packId, java.util.function.BiConsumer<BlockRef, byte[]> each) {
		this.jdbc.query("""
				SELECT b.id, p.object_key, b.pack_offset, b.stored_length, b.stored_sha256, b.data_key_id, b.ordinal,
				       b.kind, b.plain_length, b.chunk_id
				FROM vault_block b JOIN vault_pack p ON p.id = b.pack_id WHERE b.pack_id = ?
				""", (rs) -> {
			each.accept(new BlockRef(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getBytes(5),
					rs.getLong(6), rs.getInt(7), BlockKind.of(rs.getInt(8)), rs.getInt(9)), rs.getBytes(10));
		}, packId);
	}

	/**
	 * A block's place, as the index has it.
	 *
	 * @param id the block id
	 * @param objectKey its pack's object key
	 * @param offset its first byte in the pack
	 * @param length its sealed length
	 * @param sha256 the SHA-256 of its sealed bytes
	 * @param dataKeyId the key that sealed it
	 * @param ordinal its place in the pack
	 * @param kind what it holds
	 * @param plainLength its plaintext length
	 */
	record BlockRef(long id, String objectKey, long offset, int length, byte[] sha256, long dataKeyId, int ordinal,
			BlockKind kind, int plainLength) {
	}

}
