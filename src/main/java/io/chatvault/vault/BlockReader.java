package io.chatvault.vault;

import java.security.MessageDigest;
import java.util.Arrays;
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

	private final BlockCipher cipher;

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
		this(store, dataKeys, zstd, new BlockCipher());
	}

	/**
	 * A reader with the caller's decompression context and cipher.
	 * @param store where blocks are read
	 * @param dataKeys the data keys
	 * @param zstd a decompression context for this reader alone, closed by the caller;
	 * {@code null}: a new one for every block
	 * @param cipher a cipher for this reader alone
	 */
	BlockReader(ObjectStore store, DataKeys dataKeys, ZstdDecompressCtx zstd, BlockCipher cipher) {
		this.store = store;
		this.dataKeys = dataKeys;
		this.zstd = zstd;
		this.cipher = cipher;
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
		Plain plain = openHashed(block, sealed, 0, sealed.length, where, null);
		return plain.bytes();
	}

	/**
	 * Opens a block that lies in a larger array (a pack read whole), its sealed bytes
	 * checked against the index's SHA-256 by the caller.
	 * @param block where it is
	 * @param bytes holds its sealed bytes
	 * @param offset where they start
	 * @param length how many
	 * @param where names it for messages
	 * @param into where an uncompressed payload may be decrypted (if it is long enough),
	 * or {@code null}
	 * @return its plaintext: the first {@link Plain#length()} bytes of
	 * {@link Plain#bytes()} (the whole array, unless it is {@code into})
	 */
	Plain openHashed(PackIndex.BlockRef block, byte[] bytes, int offset, int length, String where, byte[] into) {
		BlockCipher.Opened opened;
		try {
			opened = this.cipher.open(bytes, offset, length, this.dataKeys::byId,
					Pack.context(Pack.packId(block.objectKey()), block.ordinal()), where, into);
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
			byte[] payload = (opened.payloadLength() == opened.payload().length) ? opened.payload()
					: Arrays.copyOf(opened.payload(), opened.payloadLength());
			byte[] plain = (this.zstd != null) ? Pack.decompress(this.zstd, payload, opened.plainLength(), where)
					: Pack.decompress(payload, opened.plainLength(), where);
			return new Plain(plain, plain.length);
		}
		return new Plain(opened.payload(), opened.payloadLength());
	}

	/**
	 * A block's plaintext.
	 *
	 * @param bytes holds it
	 * @param length its first bytes that are the plaintext
	 */
	record Plain(byte[] bytes, int length) {
	}

	String where(PackIndex.BlockRef block, String what) {
		return what + " in " + this.store.name() + " object " + block.objectKey() + " at " + block.offset() + "+"
				+ block.length() + " (block " + block.ordinal() + ")";
	}

}
