package io.chatvault.vault;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A pack's index rows as {@link VaultCatalog#packs} read them with its page of packs, for
 * {@link VaultCatalog#verifyPack}: its blocks' places (with the chunk ids), and the file
 * rows of the files whose chunks the page holds. A page of packs takes three queries (its
 * blocks, their data keys, their files) instead of a query per pack for its blocks, one
 * per data key and one per file manifest. The rows are the index as it was when the page
 * was read, as the page's own items are. Opaque outside the vault.
 */
public final class PackRows {

	private static final HexFormat HEX = HexFormat.of();

	private final List<PackIndex.BlockRef> blocks;

	private final Map<Long, byte[]> chunkIds;

	private Map<String, long[]> files = Map.of();

	PackRows(List<PackIndex.BlockRef> blocks, Map<Long, byte[]> chunkIds) {
		this.blocks = blocks;
		this.chunkIds = chunkIds;
	}

	/**
	 * The file rows {@link VaultCatalog#prepare} read for the pack's page, by
	 * {@link #fileKey}.
	 */
	void files(Map<String, long[]> files) {
		this.files = files;
	}

	/** Every block the index places in the pack. */
	List<PackIndex.BlockRef> blocks() {
		return this.blocks;
	}

	/** The chunk ids the index holds, by block id. */
	Map<Long, byte[]> chunkIds() {
		return this.chunkIds;
	}

	/**
	 * The size and chunk count of a file, as its index row has them, if the page read it.
	 * @param sha256 the file's hex SHA-256
	 * @param dataKeyId its data key
	 * @return {@code {size, chunks}}, or {@code null} when the page did not read it (look
	 * it up)
	 */
	long[] file(String sha256, long dataKeyId) {
		return this.files.get(fileKey(sha256, dataKeyId));
	}

	static String fileKey(byte[] sha256, long dataKeyId) {
		return HEX.formatHex(sha256) + "/" + dataKeyId;
	}

	static String fileKey(String sha256, long dataKeyId) {
		return sha256 + "/" + dataKeyId;
	}

}
