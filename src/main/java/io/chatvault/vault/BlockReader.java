package io.chatvault.vault;

import java.security.MessageDigest;
import java.util.HexFormat;

import com.github.luben.zstd.ZstdDecompressCtx;
import io.chatvault.crypto.BlockCipher;
import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.TamperedCiphertextException;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.ObjectStoreException;

/**
 * Reads one block back: its byte range from its pack, checked against the SHA-256 the
 * index holds, opened (every segment authenticated, bound to its pack and place),
 * decompressed, and checked for the kind the index expects. Any mismatch is a
 * {@link VaultIntegrityException} naming the store, the object, the offset and the block.
 * One instance per thread.
 */
final class BlockReader {

	private static final HexFormat HEX = HexFormat.of();

	private final ObjectStore store;

	private final DataKeys dataKeys;

	private final BlockCipher cipher = new BlockCipher();

	private final MessageDigest sha256 = io.chatvault.message.Sha256.digest();

	private final ZstdDecompressCtx zstd;

	BlockReader(ObjectStore store, DataKeys dataKeys) {
		this(store, dataKeys, null);
	}

	/**
	 * A reader that decompresses with the caller's context.
	 * @param store where blocks are read
	 * @param dataKeys the data keys
	 * @param zstd a decompression context for this reader alone, closed by the caller;
	 * {@code null}: a new one for every block
	 */
	BlockReader(ObjectStore store, DataKeys dataKeys, ZstdDecompressCtx zstd) {
		this.store = store;
		this.dataKeys = dataKeys;
		this.zstd = zstd;
	}

	/**
	 * Reads and opens a block.
	 * @param block where it is
	 * @param what names what is read, for messages ("message 3f2a...")
	 * @return its plaintext
	 */
	byte[] open(PackIndex.BlockRef block, String what) {
		String where = where(block, what);
		byte[] sealed;
		try {
			sealed = this.store.read(block.objectKey(), block.offset(), block.length());
		}
		catch (ObjectStoreException ex) {
			throw new VaultIntegrityException("Cannot read " + where + ": " + ex.getMessage(), ex);
		}
		return open(block, sealed, where);
	}

	/**
	 * Opens a block read elsewhere (from the replica).
	 * @param block where it is
	 * @param sealed its sealed bytes
	 * @param where names it for messages
	 * @return its plaintext
	 */
	byte[] open(PackIndex.BlockRef block, byte[] sealed, String where) {
		byte[] actual = this.sha256.digest(sealed);
		if (!MessageDigest.isEqual(actual, block.sha256())) {
			throw new VaultIntegrityException("Stored bytes of " + where + " have SHA-256 " + HEX.formatHex(actual)
					+ ", the index says " + HEX.formatHex(block.sha256()));
		}
		return openHashed(block, sealed, where);
	}

	/**
	 * Opens a block whose sealed bytes the caller has already checked against the SHA-256
	 * the index holds (a pack read whole, hashed once).
	 * @param block where it is
	 * @param sealed its sealed bytes, hash checked
	 * @param where names it for messages
	 * @return its plaintext
	 */
	byte[] openHashed(PackIndex.BlockRef block, byte[] sealed, String where) {
		BlockCipher.Opened opened;
		try {
			opened = this.cipher.open(sealed, this.dataKeys::byId,
					Pack.context(Pack.packId(block.objectKey()), block.ordinal()), where);
		}
		catch (TamperedCiphertextException ex) {
			throw new VaultIntegrityException("Cannot decrypt " + where + ": " + ex.getMessage(), ex);
		}
		int kind = opened.flags() & 0x0F;
		if (kind != block.kind().code() || opened.plainLength() != block.plainLength()) {
			throw new VaultIntegrityException(
					where + " holds a " + BlockKind.of(kind).label() + " block of " + opened.plainLength()
							+ " bytes, the index says a " + block.kind().label() + " block of " + block.plainLength());
		}
		if ((opened.flags() & BlockKind.COMPRESSED) != 0) {
			return (this.zstd != null) ? Pack.decompress(this.zstd, opened.payload(), opened.plainLength(), where)
					: Pack.decompress(opened.payload(), opened.plainLength(), where);
		}
		return opened.payload();
	}

	String where(PackIndex.BlockRef block, String what) {
		return what + " in " + this.store.name() + " object " + block.objectKey() + " at " + block.offset() + "+"
				+ block.length() + " (block " + block.ordinal() + ")";
	}

}
