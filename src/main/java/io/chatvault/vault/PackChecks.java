package io.chatvault.vault;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.github.luben.zstd.ZstdDecompressCtx;
import io.chatvault.crypto.BlockCipher;
import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.ErasedException;
import io.chatvault.crypto.KeyUnavailableException;
import io.chatvault.message.Sha256;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.ObjectStoreException;
import io.chatvault.vault.VaultCatalog.PackItems;
import io.chatvault.vault.VaultCatalog.PackVerification;
import io.chatvault.vault.VaultCatalog.StoredItem;
import io.chatvault.vault.VaultCatalog.Verification;

/**
 * {@link VaultCatalog#verifyPack}: a pack and some of its blocks checked to content depth
 * with each byte read once. The pack's index rows come with its page of packs
 * ({@link PackRows}; in one query of their own without), the pack is read whole and
 * sequentially (or, when only some blocks are asked for, block by block), the SHA-256 of
 * the whole object (and of a block, unless the pack's matched) is computed over the bytes
 * in memory, each block is opened (AES-GCM in 16 KiB segments, see
 * {@link io.chatvault.crypto.BlockCipher}) where it lies in them, decompressed and
 * checked by {@link ContentChecks#checkOpened}, and the index rows of every record of the
 * pack are fetched in one query ({@link RecordReader#checkPlaces}). Thread-safe: each
 * thread keeps its own buffers, cipher and digest ({@link Scratch}).
 */
final class PackChecks {

	private static final HexFormat HEX = HexFormat.of();

	private final DataKeys dataKeys;

	private final PackIndex packs;

	private final ContentChecks checks;

	private final RecordReader records;

	private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

	PackChecks(DataKeys dataKeys, PackIndex packs, ContentChecks checks, RecordReader records) {
		this.dataKeys = dataKeys;
		this.packs = packs;
		this.checks = checks;
		this.records = records;
	}

	/**
	 * The index rows of a page of packs ({@link VaultCatalog#packs}), as read with it;
	 * what checking some of them needs besides is loaded by {@link #prepare}.
	 * @param packIds the page's packs
	 * @param refs their blocks, by pack id
	 * @param chunkIds the blocks' chunk ids, by block id
	 * @return the rows, by pack id
	 */
	Map<Long, PackRows> rows(List<Long> packIds, Map<Long, List<PackIndex.BlockRef>> refs, Map<Long, byte[]> chunkIds) {
		Map<Long, PackRows> rows = new HashMap<>();
		for (Long packId : packIds) {
			rows.put(packId, new PackRows(refs.getOrDefault(packId, List.of()), chunkIds));
		}
		return rows;
	}

	/**
	 * {@link VaultCatalog#prepare}: the data keys of the blocks to be checked, in one
	 * query, and the rows of the files whose manifests are to be checked (found through
	 * the chunks of the manifests' packs), in one more.
	 * @param packs packs read with their rows, each with the blocks to be checked
	 */
	void prepare(List<PackItems> packs) {
		java.util.Set<Long> keys = new java.util.HashSet<>();
		List<Long> chunks = new ArrayList<>();
		List<PackRows> withManifests = new ArrayList<>();
		for (PackItems items : packs) {
			PackRows rows = items.rows();
			if (rows == null) {
				continue;
			}
			java.util.Set<Long> checked = new java.util.HashSet<>();
			for (StoredItem block : items.blocks()) {
				checked.add(block.id());
			}
			boolean manifests = false;
			for (PackIndex.BlockRef ref : rows.blocks()) {
				if (checked.contains(ref.id())) {
					keys.add(ref.dataKeyId());
					manifests |= ref.kind() == BlockKind.FILE;
				}
			}
			if (manifests) {
				withManifests.add(rows);
				for (PackIndex.BlockRef ref : rows.blocks()) {
					if (ref.kind() == BlockKind.MEDIA || ref.kind() == BlockKind.ORIGINAL) {
						chunks.add(ref.id());
					}
				}
			}
		}
		this.dataKeys.preload(keys);
		if (!chunks.isEmpty()) {
			Map<String, long[]> files = new HashMap<>();
			this.packs.filesOfBlocks(chunks, (sha256, keyId, size, count) -> files.put(PackRows.fileKey(sha256, keyId),
					new long[] { size, count }));
			withManifests.forEach((rows) -> rows.files(files));
		}
	}

	PackVerification verify(PackItems items, boolean whole, ObjectStore from) {
		StoredItem pack = items.pack();
		String name = from.name();
		Map<Long, PackIndex.BlockRef> refs = new HashMap<>();
		Map<Integer, PackIndex.BlockRef> byOrdinal = new HashMap<>();
		PackRows rows = items.rows();
		Map<Long, byte[]> chunkIds;
		if (rows != null) {
			chunkIds = rows.chunkIds();
			for (PackIndex.BlockRef ref : rows.blocks()) {
				refs.put(ref.id(), ref);
				byOrdinal.put(ref.ordinal(), ref);
			}
		}
		else {
			Map<Long, byte[]> ids = new HashMap<>();
			this.packs.blocksOfPack(pack.id(), (ref, chunkId) -> {
				refs.put(ref.id(), ref);
				byOrdinal.put(ref.ordinal(), ref);
				if (chunkId != null) {
					ids.put(ref.id(), chunkId);
				}
			});
			chunkIds = ids;
		}
		long read = 0;
		Scratch scratch = this.scratch.get();
		// The pack read whole: its first `length` bytes of `bytes` (a buffer this thread
		// keeps for packs up to Scratch.KEPT bytes).
		byte[] bytes = null;
		int length = 0;
		Verification packCheck = null;
		String unreadable = null;
		// The ordinals of the blocks whose stored bytes the pack check hashed already.
		java.util.Set<Integer> hashedByPack = java.util.Set.of();
		if (whole) {
			try {
				length = scratch.readWhole(from, pack.objectKey(), pack.length());
				bytes = scratch.pack;
				read += length;
			}
			catch (ObjectStoreException | IOException ex) {
				unreadable = "cannot read " + pack.objectKey() + " from " + name + ": " + ex.getMessage();
				packCheck = new Verification(pack, name, false, null, unreadable, 0, 0);
			}
			if (bytes != null) {
				scratch.sha256.update(bytes, 0, length);
				String actual = HEX.formatHex(scratch.sha256.digest());
				if (!actual.equals(pack.sha256())) {
					packCheck = new Verification(pack, name, false, actual, pack.objectKey() + " at 0+" + pack.length()
							+ " in " + name + " has SHA-256 " + actual + ", the index says " + pack.sha256(), 0,
							length);
				}
				else {
					try {
						hashedByPack = this.checks.checkPack(pack.objectKey(), bytes, length, byOrdinal);
						packCheck = new Verification(pack, name, true, actual, null, 0, length);
					}
					catch (VaultIntegrityException ex) {
						packCheck = new Verification(pack, name, false, actual, ex.getMessage(), 0, length);
					}
				}
			}
		}
		// One decompression context for the pack's blocks (a new one per block costs more
		// than decompressing a small block).
		ZstdDecompressCtx zstd = new ZstdDecompressCtx();
		BlockReader reader = new BlockReader(from, this.dataKeys, zstd, scratch.cipher);
		MessageDigest sha256 = scratch.sha256;
		RecordReader.Places places = new RecordReader.Places();
		List<Verification> blocks = new ArrayList<>(items.blocks().size());
		try {
			for (StoredItem block : items.blocks()) {
				PackIndex.BlockRef ref = refs.get(block.id());
				if (ref == null) {
					blocks.add(new Verification(block, name, false, null,
							"block " + block.id() + " is no longer indexed in " + pack.objectKey(), 0, 0));
					continue;
				}
				String where = "block " + ref.ordinal() + " of " + ref.objectKey() + " in " + name;
				byte[] sealed;
				int sealedAt;
				long blockRead = 0;
				if (whole) {
					if (bytes == null || ref.offset() < 0 || ref.length() < 0 || ref.offset() + ref.length() > length) {
						blocks.add(new Verification(block, name, false, null, (bytes == null) ? unreadable
								: where + " lies beyond the " + length + " bytes of the object", 0, 0));
						continue;
					}
					sealed = bytes;
					sealedAt = (int) ref.offset();
				}
				else {
					try {
						sealed = from.read(ref.objectKey(), ref.offset(), ref.length());
						sealedAt = 0;
						blockRead = sealed.length;
						read += blockRead;
					}
					catch (ObjectStoreException | IllegalArgumentException ex) {
						blocks.add(new Verification(block, name, false, null, "cannot read " + ref.objectKey() + " at "
								+ ref.offset() + "+" + ref.length() + " from " + name + ": " + ex.getMessage(), 0, 0));
						continue;
					}
				}
				int sealedLength = whole ? ref.length() : sealed.length;
				String actual = block.sha256();
				if (!hashedByPack.contains(ref.ordinal())) {
					sha256.update(sealed, sealedAt, sealedLength);
					actual = HEX.formatHex(sha256.digest());
					if (!MessageDigest.isEqual(HEX.parseHex(actual), ref.sha256())) {
						blocks.add(new Verification(block, name, false, actual,
								ref.objectKey() + " at " + ref.offset() + "+" + ref.length() + " in " + name
										+ " has SHA-256 " + actual + ", the index says " + HEX.formatHex(ref.sha256()),
								0, blockRead));
						continue;
					}
				}
				try {
					// A chunk (up to 4 MiB) is decrypted into this thread's buffer, as it
					// is
					// only hashed; other blocks are decoded and get arrays of their own.
					boolean chunk = ref.kind() == BlockKind.MEDIA || ref.kind() == BlockKind.ORIGINAL;
					BlockReader.Plain plain = reader.openHashed(ref, sealed, sealedAt, sealedLength, where,
							chunk ? scratch.plain(ref.plainLength()) : null);
					int checked = this.checks.checkOpened(ref, plain.bytes(), plain.length(), where,
							chunkIds.get(ref.id()), rows, places);
					blocks.add(new Verification(block, name, true, actual, null, checked, blockRead));
				}
				catch (ErasedException ex) {
					blocks.add(new Verification(block, name, false, actual, ex.getMessage(), 0, blockRead, true));
				}
				catch (VaultIntegrityException | KeyUnavailableException ex) {
					blocks.add(new Verification(block, name, false, actual, ex.getMessage(), 0, blockRead));
				}
			}
		}
		finally {
			zstd.close();
			scratch.release();
		}
		Map<Long, String> misplaced = this.records.checkPlaces(places);
		if (!misplaced.isEmpty()) {
			for (int i = 0; i < blocks.size(); i++) {
				Verification check = blocks.get(i);
				String problem = misplaced.get(check.item().id());
				if (check.ok() && problem != null) {
					blocks.set(i, new Verification(check.item(), name, false, check.actualSha256(), problem, 0,
							check.bytesRead()));
				}
			}
		}
		return new PackVerification(packCheck, blocks, read);
	}

	/**
	 * What one thread keeps from pack to pack: the buffers a pack and a chunk's plaintext
	 * are read into (so that a pass over a large archive does not allocate, zero and
	 * collect an array the size of every pack and chunk), a cipher and a digest.
	 */
	private static final class Scratch {

		/**
		 * The largest buffer kept from one pack to the next (the default pack size is 8
		 * MB).
		 */
		static final int KEPT = 32 << 20;

		final BlockCipher cipher = new BlockCipher();

		final MessageDigest sha256 = Sha256.digest();

		byte[] pack = new byte[0];

		private byte[] plain = new byte[0];

		/**
		 * Reads a whole object in one sequential pass into {@link #pack} (a longer or
		 * shorter object than expected is read all the same: its hash tells).
		 * @return its length
		 */
		int readWhole(ObjectStore from, String key, long expected) throws IOException {
			try (InputStream in = from.get(key)
				.orElseThrow(() -> new IOException("no such object in " + from.name()))) {
				if (expected <= 0 || expected > Integer.MAX_VALUE - 16) {
					this.pack = in.readAllBytes();
					return this.pack.length;
				}
				if (this.pack.length < expected) {
					this.pack = new byte[(int) expected];
				}
				int n = in.readNBytes(this.pack, 0, (int) expected);
				if (n < expected) {
					return n;
				}
				byte[] more = in.readAllBytes();
				if (more.length == 0) {
					return n;
				}
				byte[] all = Arrays.copyOf(this.pack, n + more.length);
				System.arraycopy(more, 0, all, n, more.length);
				this.pack = all;
				return all.length;
			}
		}

		/** A buffer for a plaintext of this length. */
		byte[] plain(int length) {
			if (this.plain.length < length && length <= KEPT) {
				this.plain = new byte[length];
			}
			return this.plain;
		}

		/** Lets go of buffers larger than those kept. */
		void release() {
			if (this.pack.length > KEPT) {
				this.pack = new byte[0];
			}
		}

	}

}
