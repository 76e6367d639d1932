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
 * with each byte read once. The pack's index rows come in one query, the pack is read
 * whole and sequentially (or, when only some blocks are asked for, block by block), the
 * SHA-256 of the whole object and of each block are computed over the bytes in memory,
 * each block is opened (AES-GCM in 16 KiB segments, see
 * {@link io.chatvault.crypto.BlockCipher}), decompressed and checked by
 * {@link ContentChecks#checkOpened}, and the index rows of every record of the pack are
 * fetched in one query ({@link RecordReader#checkPlaces}). Not thread-bound: each call
 * makes its own cipher and digests.
 */
final class PackChecks {

	private static final HexFormat HEX = HexFormat.of();

	private final DataKeys dataKeys;

	private final PackIndex packs;

	private final ContentChecks checks;

	private final RecordReader records;

	PackChecks(DataKeys dataKeys, PackIndex packs, ContentChecks checks, RecordReader records) {
		this.dataKeys = dataKeys;
		this.packs = packs;
		this.checks = checks;
		this.records = records;
	}

	PackVerification verify(PackItems items, boolean whole, ObjectStore from) {
		StoredItem pack = items.pack();
		String name = from.name();
		Map<Long, PackIndex.BlockRef> refs = new HashMap<>();
		Map<Long, byte[]> chunkIds = new HashMap<>();
		Map<Integer, PackIndex.BlockRef> byOrdinal = new HashMap<>();
		this.packs.blocksOfPack(pack.id(), (ref, chunkId) -> {
			refs.put(ref.id(), ref);
			byOrdinal.put(ref.ordinal(), ref);
			if (chunkId != null) {
				chunkIds.put(ref.id(), chunkId);
			}
		});
		long read = 0;
		byte[] bytes = null;
		Verification packCheck = null;
		String unreadable = null;
		// The ordinals of the blocks whose stored bytes the pack check hashed already.
		java.util.Set<Integer> hashedByPack = java.util.Set.of();
		if (whole) {
			try {
				bytes = readWhole(from, pack.objectKey(), pack.length());
				read += bytes.length;
			}
			catch (ObjectStoreException | IOException ex) {
				unreadable = "cannot read " + pack.objectKey() + " from " + name + ": " + ex.getMessage();
				packCheck = new Verification(pack, name, false, null, unreadable, 0, 0);
			}
			if (bytes != null) {
				String actual = Sha256.hex(bytes);
				if (!actual.equals(pack.sha256())) {
					packCheck = new Verification(pack, name, false, actual, pack.objectKey() + " at 0+" + pack.length()
							+ " in " + name + " has SHA-256 " + actual + ", the index says " + pack.sha256(), 0,
							bytes.length);
				}
				else {
					try {
						hashedByPack = this.checks.checkPack(pack.objectKey(), bytes, byOrdinal);
						packCheck = new Verification(pack, name, true, actual, null, 0, bytes.length);
					}
					catch (VaultIntegrityException ex) {
						packCheck = new Verification(pack, name, false, actual, ex.getMessage(), 0, bytes.length);
					}
				}
			}
		}
		// One decompression context for the pack's blocks (a new one per block costs more
		// than decompressing a small block).
		ZstdDecompressCtx zstd = new ZstdDecompressCtx();
		BlockReader reader = new BlockReader(from, this.dataKeys, zstd);
		MessageDigest sha256 = Sha256.digest();
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
				long blockRead = 0;
				if (whole) {
					if (bytes == null || ref.offset() + ref.length() > bytes.length) {
						blocks
							.add(new Verification(block, name, false, null,
									(bytes == null) ? unreadable
											: where + " lies beyond the " + bytes.length + " bytes of the object",
									0, 0));
						continue;
					}
					sealed = Arrays.copyOfRange(bytes, (int) ref.offset(), (int) ref.offset() + ref.length());
				}
				else {
					try {
						sealed = from.read(ref.objectKey(), ref.offset(), ref.length());
						blockRead = sealed.length;
						read += blockRead;
					}
					catch (ObjectStoreException | IllegalArgumentException ex) {
						blocks.add(new Verification(block, name, false, null, "cannot read " + ref.objectKey() + " at "
								+ ref.offset() + "+" + ref.length() + " from " + name + ": " + ex.getMessage(), 0, 0));
						continue;
					}
				}
				String actual = block.sha256();
				if (!hashedByPack.contains(ref.ordinal())) {
					actual = HEX.formatHex(sha256.digest(sealed));
					if (!MessageDigest.isEqual(HEX.parseHex(actual), ref.sha256())) {
						blocks.add(new Verification(block, name, false, actual,
								ref.objectKey() + " at " + ref.offset() + "+" + ref.length() + " in " + name
										+ " has SHA-256 " + actual + ", the index says " + HEX.formatHex(ref.sha256()),
								0, blockRead));
						continue;
					}
				}
				try {
					byte[] plain = reader.openHashed(ref, sealed, where);
					int checked = this.checks.checkOpened(ref, plain, where, chunkIds.get(ref.id()), places);
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
	 * Reads a whole object in one sequential pass into an array of its expected size (a
	 * longer or shorter object is read all the same: its hash tells).
	 */
	static byte[] readWhole(ObjectStore from, String key, long expected) throws IOException {
		try (InputStream in = from.get(key).orElseThrow(() -> new IOException("no such object in " + from.name()))) {
			if (expected <= 0 || expected > Integer.MAX_VALUE - 16) {
				return in.readAllBytes();
			}
			byte[] bytes = new byte[(int) expected];
			int n = in.readNBytes(bytes, 0, bytes.length);
			if (n < bytes.length) {
				return Arrays.copyOf(bytes, n);
			}
			byte[] more = in.readAllBytes();
			if (more.length == 0) {
				return bytes;
			}
			byte[] all = Arrays.copyOf(bytes, bytes.length + more.length);
			System.arraycopy(more, 0, all, bytes.length, more.length);
			return all;
		}
	}

}
