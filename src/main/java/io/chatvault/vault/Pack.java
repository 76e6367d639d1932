package io.chatvault.vault;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.chatvault.crypto.BlockCipher;
import io.chatvault.crypto.DataKey;
import io.chatvault.message.Sha256;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The layout of a pack object (format 2): {@code "CVP2"}, the sealed blocks one after
 * another, a manifest (canonical JSON, in the clear: block kinds, places, key ids,
 * hashes; metadata only) and a 16-byte trailer (the manifest's offset and length,
 * {@code "CVPE"}). A pack is written once and never appended to.
 *
 * <p>
 * A pack's id is the SHA-256 of its blocks' kinds, data key ids and content hashes, known
 * before anything is sealed; every block is sealed with the pack id and its ordinal as
 * associated data, and with a nonce seed derived from them and its content. So a pack
 * built again from the same blocks (a chunk replayed after a crash) has the same key and
 * the same bytes, and a block moved to another place, in this pack or another, does not
 * authenticate.
 */
final class Pack {

	static final byte[] MAGIC = "CVP2".getBytes(StandardCharsets.US_ASCII);

	static final byte[] TRAILER_MAGIC = "CVPE".getBytes(StandardCharsets.US_ASCII);

	static final int TRAILER_LENGTH = 16;

	private static final HexFormat HEX = HexFormat.of();

	private Pack() {
	}

	/** The object key of a pack. */
	static String objectKey(byte[] packId) {
		String hex = HEX.formatHex(packId);
		return "packs/" + hex.substring(0, 2) + "/" + hex;
	}

	/**
	 * The pack id in an object key: the 64 hex digits after the last slash (a repaired
	 * copy's key adds a suffix after them).
	 */
	static byte[] packId(String objectKey) {
		int slash = objectKey.lastIndexOf('/');
		return HEX.parseHex(objectKey, slash + 1, slash + 65);
	}

	/** The associated data of a block: the pack id and the block's ordinal. */
	static byte[] context(byte[] packId, int ordinal) {
		return ByteBuffer.allocate(36).put(packId).putInt(ordinal).array();
	}

	/**
	 * Compresses with zstd when that saves at least the given share.
	 * @return the compressed bytes, or {@code null} to store as is
	 */
	static byte[] compress(byte[] plain, int level, int minimumSavingPercent) {
		if (plain.length < 256) {
			return null;
		}
		byte[] target = new byte[(int) Zstd.compressBound(plain.length)];
		long n = Zstd.compressByteArray(target, 0, target.length, plain, 0, plain.length, level);
		if (Zstd.isError(n)) {
			return null;
		}
		long worthIt = (long) plain.length * (100 - minimumSavingPercent) / 100;
		return (n <= worthIt) ? Arrays.copyOf(target, (int) n) : null;
	}

	/** Decompresses a payload to its known length, with a context of its own. */
	static byte[] decompress(byte[] payload, int plainLength, String name) {
		try (ZstdDecompressCtx context = new ZstdDecompressCtx()) {
			return decompress(context, payload, plainLength, name);
		}
	}

	/**
	 * {@link #decompress(byte[], int, String)} with a decompression context the caller
	 * keeps for many blocks (making one costs more than decompressing a small block).
	 * @param context the caller's context, used by one thread at a time
	 * @param payload the compressed bytes
	 * @param plainLength what they must decompress to
	 * @param name names the block in messages
	 * @return the plaintext
	 */
	static byte[] decompress(ZstdDecompressCtx context, byte[] payload, int plainLength, String name) {
		byte[] plain = new byte[plainLength];
		int n;
		try {
			n = context.decompressByteArray(plain, 0, plain.length, payload, 0, payload.length);
		}
		catch (ZstdException ex) {
			throw new VaultIntegrityException(name + " does not decompress to its " + plainLength + " bytes", ex);
		}
		if (n != plainLength) {
			throw new VaultIntegrityException(name + " does not decompress to its " + plainLength + " bytes");
		}
		return plain;
	}

	/**
	 * A block to be packed.
	 *
	 * @param kind what it holds
	 * @param key the data key it is sealed under
	 * @param identity 32 bytes naming its content: the SHA-256 of the plaintext, or a
	 * chunk's keyed id
	 * @param plainLength the plaintext's length
	 * @param payload the plaintext, or its compressed form
	 * @param compressed whether the payload is compressed
	 * @param entries how many records it holds (1 for other kinds)
	 */
	record BlockInput(BlockKind kind, DataKey key, byte[] identity, int plainLength, byte[] payload, boolean compressed,
			int entries) {
	}

	/**
	 * A block as packed.
	 *
	 * @param ordinal its place in the pack
	 * @param kind what it holds
	 * @param dataKeyId the data key it is sealed under
	 * @param identity its content identity (see {@link BlockInput})
	 * @param offset its first byte in the pack
	 * @param length its sealed length
	 * @param sha256 the SHA-256 of its sealed bytes
	 * @param plainLength its plaintext length
	 * @param entries how many records it holds
	 */
	record PackedBlock(int ordinal, BlockKind kind, long dataKeyId, byte[] identity, long offset, int length,
			byte[] sha256, int plainLength, int entries) {
	}

	/**
	 * A finished pack.
	 *
	 * @param id the pack id
	 * @param objectKey its object key
	 * @param bytes the object's bytes
	 * @param sha256 the SHA-256 of the bytes
	 * @param blocks its blocks, in order
	 */
	record Finished(byte[] id, String objectKey, byte[] bytes, byte[] sha256, List<PackedBlock> blocks) {
	}

	/** Collects blocks, then seals and lays them out. */
	static final class Builder {

		private final List<BlockInput> blocks = new ArrayList<>();

		private long payloadBytes;

		void add(BlockInput block) {
			this.blocks.add(block);
			this.payloadBytes += block.payload().length;
		}

		boolean isEmpty() {
			return this.blocks.isEmpty();
		}

		int size() {
			return this.blocks.size();
		}

		long payloadBytes() {
			return this.payloadBytes;
		}

		/** The pack id: known before anything is sealed. */
		byte[] id() {
			MessageDigest digest = Sha256.digest();
			digest.update("chatvault-pack-v2".getBytes(StandardCharsets.US_ASCII));
			ByteBuffer entry = ByteBuffer.allocate(1 + 8);
			for (BlockInput block : this.blocks) {
				entry.clear();
				entry.put((byte) block.kind().code()).putLong(block.key().id());
				digest.update(entry.array());
				digest.update(block.identity());
			}
			return digest.digest();
		}

		/**
		 * Seals the blocks and lays out the pack.
		 * @param cipher a cipher for this thread
		 * @return the pack
		 */
		Finished finish(BlockCipher cipher) {
			byte[] id = id();
			ByteArrayOutputStream bytes = new ByteArrayOutputStream(
					(int) Math.min(Integer.MAX_VALUE - 64, this.payloadBytes + 64L * this.blocks.size() + 4096));
			bytes.writeBytes(MAGIC);
			List<PackedBlock> packed = new ArrayList<>(this.blocks.size());
			MessageDigest sha = Sha256.digest();
			for (int ordinal = 0; ordinal < this.blocks.size(); ordinal++) {
				BlockInput block = this.blocks.get(ordinal);
				byte[] seed = Sha256.digest()
					.digest(ByteBuffer.allocate(23 + 32 + 4 + 32)
						.put("chatvault-block-seed-v2".getBytes(StandardCharsets.US_ASCII), 0, 23)
						.put(id)
						.putInt(ordinal)
						.put(block.identity())
						.array());
				int flags = block.kind().code() | (block.compressed() ? BlockKind.COMPRESSED : 0);
				byte[] sealed = cipher.seal(block.key(), flags, block.plainLength(), block.payload(),
						block.payload().length, seed, context(id, ordinal));
				packed.add(new PackedBlock(ordinal, block.kind(), block.key().id(), block.identity(), bytes.size(),
						sealed.length, sha.digest(sealed), block.plainLength(), block.entries()));
				bytes.writeBytes(sealed);
			}
			long manifestOffset = bytes.size();
			byte[] manifest = manifest(id, packed);
			bytes.writeBytes(manifest);
			bytes.writeBytes(ByteBuffer.allocate(TRAILER_LENGTH)
				.putLong(manifestOffset)
				.putInt(manifest.length)
				.put(TRAILER_MAGIC)
				.array());
			byte[] all = bytes.toByteArray();
			return new Finished(id, objectKey(id), all, Sha256.digest().digest(all), packed);
		}

	}

	static byte[] manifest(byte[] id, List<PackedBlock> blocks) {
		List<Object> entries = new ArrayList<>(blocks.size());
		for (PackedBlock block : blocks) {
			Map<String, Object> json = new TreeMap<>();
			if (block.kind().chunk()) {
				json.put("chunk", HEX.formatHex(block.identity()));
			}
			json.put("entries", block.entries());
			json.put("key", block.dataKeyId());
			json.put("kind", block.kind().label());
			json.put("length", block.length());
			json.put("offset", block.offset());
			json.put("plain", block.plainLength());
			json.put("sha256", HEX.formatHex(block.sha256()));
			entries.add(json);
		}
		Map<String, Object> json = new TreeMap<>();
		json.put("blocks", entries);
		json.put("pack", HEX.formatHex(id));
		json.put("v", 2);
		return CanonicalJson.write(json);
	}

	/**
	 * Reads the manifest of a whole pack: what an index rebuild starts from.
	 * @param pack the pack's bytes
	 * @param mapper a JSON mapper
	 * @return its blocks, with chunk ids as identities of chunk blocks (others have none)
	 * @throws IllegalArgumentException if it is not a pack
	 */
	static List<PackedBlock> manifest(byte[] pack, JsonMapper mapper) {
		return manifest(pack, pack.length, mapper);
	}

	/**
	 * Reads the manifest of a whole pack held in the first bytes of an array.
	 * @param bytes holds the pack
	 * @param length the pack's length
	 * @param mapper a JSON mapper
	 * @return its blocks
	 * @throws IllegalArgumentException if it is not a pack
	 */
	static List<PackedBlock> manifest(byte[] bytes, int length, JsonMapper mapper) {
		if (length < MAGIC.length + TRAILER_LENGTH || length > bytes.length
				|| !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
				|| !Arrays.equals(bytes, length - 4, length, TRAILER_MAGIC, 0, 4)) {
			throw new IllegalArgumentException("not a format 2 pack (bad magic or trailer)");
		}
		ByteBuffer trailer = ByteBuffer.wrap(bytes, length - TRAILER_LENGTH, TRAILER_LENGTH);
		long offset = trailer.getLong();
		int manifestLength = trailer.getInt();
		if (offset < 0 || manifestLength < 0 || offset + manifestLength > length - TRAILER_LENGTH) {
			throw new IllegalArgumentException("its trailer places the manifest outside the pack");
		}
		List<PackedBlock> lean = new LeanManifest(bytes, (int) offset, (int) offset + manifestLength).blocks();
		return (lean != null) ? lean : jsonManifest(bytes, (int) offset, manifestLength, mapper);
	}

	/**
	 * Reads a manifest with the JSON parser (whatever its form).
	 * @param bytes holds it
	 * @param offset where it starts
	 * @param length its length
	 * @param mapper a JSON mapper
	 * @return its blocks
	 */
	static List<PackedBlock> jsonManifest(byte[] bytes, int offset, int length, JsonMapper mapper) {
		JsonNode manifest = mapper.readTree(bytes, offset, length);
		List<PackedBlock> blocks = new ArrayList<>();
		int ordinal = 0;
		for (JsonNode block : manifest.path("blocks")) {
			byte[] chunk = block.has("chunk") ? HEX.parseHex(block.get("chunk").stringValue()) : null;
			blocks.add(new PackedBlock(ordinal++, BlockKind.ofLabel(block.get("kind").stringValue()),
					block.get("key").asLong(), chunk, block.get("offset").asLong(), block.get("length").asInt(),
					HEX.parseHex(block.get("sha256").stringValue()), block.get("plain").asInt(),
					block.get("entries").asInt()));
		}
		return blocks;
	}

	/**
	 * A reading of a manifest in the exact canonical form {@link #manifest(byte[], List)}
	 * writes (keys in that order, no whitespace, integers as {@code Long.toString} writes
	 * them, lower-case hex, known kinds), in one pass without a JSON tree. It only
	 * vouches: anything else gives {@code null}, and the manifest is then read by the
	 * JSON parser, which gives the same blocks for every manifest this reads
	 * ({@code PackManifestTests}).
	 */
	static final class LeanManifest {

		private static final byte[] START = ascii("{\"blocks\":[");

		private static final byte[] END = ascii("],\"pack\":\"");

		private static final byte[] VERSION = ascii("\",\"v\":2}");

		private static final byte[] CHUNK = ascii("{\"chunk\":\"");

		private static final byte[] ENTRIES_AFTER_CHUNK = ascii("\",\"entries\":");

		private static final byte[] ENTRIES = ascii("{\"entries\":");

		private static final byte[] KEY = ascii(",\"key\":");

		private static final byte[] KIND = ascii(",\"kind\":\"");

		private static final byte[] LENGTH = ascii("\",\"length\":");

		private static final byte[] OFFSET = ascii(",\"offset\":");

		private static final byte[] PLAIN = ascii(",\"plain\":");

		private static final byte[] SHA256 = ascii(",\"sha256\":\"");

		private static final byte[] CLOSE = ascii("\"}");

		private static final BlockKind[] KINDS = BlockKind.values();

		private static final byte[][] LABELS = new byte[KINDS.length][];

		static {
			for (int i = 0; i < KINDS.length; i++) {
				LABELS[i] = ascii(KINDS[i].label());
			}
		}

		private final byte[] bytes;

		private final int end;

		private int at;

		/** Whether a number was not as {@code Long.toString} writes it. */
		private boolean bad;

		LeanManifest(byte[] bytes, int from, int to) {
			this.bytes = bytes;
			this.at = from;
			this.end = to;
		}

		/** The blocks, or {@code null} when the manifest is not in the canonical form. */
		List<PackedBlock> blocks() {
			if (!literal(START)) {
				return null;
			}
			List<PackedBlock> blocks = new ArrayList<>();
			int ordinal = 0;
			while (this.at < this.end && this.bytes[this.at] == '{') {
				if (ordinal > 0 && this.bytes[this.at - 1] != ',') {
					return null;
				}
				byte[] chunk = null;
				if (literal(CHUNK)) {
					chunk = hex();
					if (chunk == null || !literal(ENTRIES_AFTER_CHUNK)) {
						return null;
					}
				}
				else if (!literal(ENTRIES)) {
					return null;
				}
				long entries = number();
				if (!literal(KEY)) {
					return null;
				}
				long key = number();
				BlockKind kind = literal(KIND) ? kind() : null;
				if (kind == null || !literal(LENGTH)) {
					return null;
				}
				long length = number();
				if (!literal(OFFSET)) {
					return null;
				}
				long offset = number();
				if (!literal(PLAIN)) {
					return null;
				}
				long plain = number();
				byte[] sha256 = literal(SHA256) ? hex() : null;
				if (this.bad || !isInt(entries) || !isInt(length) || !isInt(plain) || sha256 == null
						|| !literal(CLOSE)) {
					return null;
				}
				blocks.add(new PackedBlock(ordinal++, kind, key, chunk, offset, (int) length, sha256, (int) plain,
						(int) entries));
				if (this.at < this.end && this.bytes[this.at] == ',') {
					this.at++;
				}
			}
			if (ordinal > 0 && this.bytes[this.at - 1] == ',') {
				return null;
			}
			if (!literal(END) || hex() == null || !literal(VERSION) || this.at != this.end) {
				return null;
			}
			return blocks;
		}

		private boolean literal(byte[] expected) {
			if (this.end - this.at < expected.length
					|| !Arrays.equals(this.bytes, this.at, this.at + expected.length, expected, 0, expected.length)) {
				return false;
			}
			this.at += expected.length;
			return true;
		}

		/**
		 * An integer as {@code Long.toString} writes it; anything else sets {@link #bad}.
		 */
		private long number() {
			int start = this.at;
			if (this.at < this.end && this.bytes[this.at] == '-') {
				this.at++;
			}
			int digits = this.at;
			while (this.at < this.end && this.bytes[this.at] >= '0' && this.bytes[this.at] <= '9'
					&& this.at - digits <= 19) {
				this.at++;
			}
			int count = this.at - digits;
			boolean negative = digits > start;
			if (count == 0 || count > 19 || (count > 1 && this.bytes[digits] == '0')
					|| (negative && count == 1 && this.bytes[digits] == '0')) {
				this.bad = true;
				return 0;
			}
			try {
				return Long.parseLong(
						new String(this.bytes, start, this.at - start, java.nio.charset.StandardCharsets.US_ASCII));
			}
			catch (NumberFormatException ex) {
				this.bad = true;
				return 0;
			}
		}

		private static boolean isInt(long value) {
			return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
		}

		/** Lower-case hex up to the closing quote (not consumed), or {@code null}. */
		private byte[] hex() {
			int start = this.at;
			while (this.at < this.end && this.bytes[this.at] != '"') {
				byte c = this.bytes[this.at];
				if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
					return null;
				}
				this.at++;
			}
			int length = this.at - start;
			if (this.at == this.end || length == 0 || length % 2 != 0) {
				return null;
			}
			byte[] value = new byte[length / 2];
			for (int i = 0; i < value.length; i++) {
				value[i] = (byte) ((Character.digit(this.bytes[start + 2 * i], 16) << 4)
						| Character.digit(this.bytes[start + 2 * i + 1], 16));
			}
			return value;
		}

		private BlockKind kind() {
			for (int i = 0; i < LABELS.length; i++) {
				byte[] label = LABELS[i];
				if (this.end - this.at > label.length && this.bytes[this.at + label.length] == '"'
						&& Arrays.equals(this.bytes, this.at, this.at + label.length, label, 0, label.length)) {
					this.at += label.length;
					return KINDS[i];
				}
			}
			return null;
		}

		private static byte[] ascii(String text) {
			return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		}

	}

}
