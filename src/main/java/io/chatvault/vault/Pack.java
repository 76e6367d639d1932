package io.chatvault.vault;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The layout of a pack object: {@code "CVPK"} and a version byte, the sealed records one
 * after another, a JSON manifest of the entries, and a 16-byte trailer (the manifest's
 * offset and length, {@code "CVPM"}). Packs are written once and never appended to: one
 * pack per archived chunk keeps a crash from ever leaving a half-written pack behind.
 */
final class Pack {

	private static final byte[] MAGIC = { 'C', 'V', 'P', 'K', 1 };

	private static final byte[] TRAILER_MAGIC = "CVPM".getBytes(StandardCharsets.US_ASCII);

	private static final int TRAILER_LENGTH = 16;

	private Pack() {
	}

	/** The key of the pack holding exactly these records: a replay gets the same key. */
	static String objectKey(List<String> messageIdsAndHashes) {
		String id = Sha256.hexOfFields(messageIdsAndHashes.toArray(String[]::new));
		return "packs/" + id.substring(0, 2) + "/" + id + ".pack";
	}

	/** Builds one pack in memory. */
	static final class Builder {

		private final ByteArrayOutputStream bytes;

		private final List<PackEntry> entries = new ArrayList<>();

		Builder(int expectedSize) {
			this.bytes = new ByteArrayOutputStream(expectedSize + 1024);
			this.bytes.writeBytes(MAGIC);
		}

		PackEntry add(String messageId, String recordSha256, long dataKeyId, byte[] sealed) {
			PackEntry entry = new PackEntry(messageId, this.bytes.size(), sealed.length, recordSha256,
					Sha256.hex(sealed), dataKeyId);
			this.bytes.writeBytes(sealed);
			this.entries.add(entry);
			return entry;
		}

		List<PackEntry> entries() {
			return this.entries;
		}

		byte[] finish(JsonMapper mapper) {
			long manifestOffset = this.bytes.size();
			byte[] manifest = mapper.writeValueAsBytes(Map.of("format", 1, "entries", this.entries));
			this.bytes.writeBytes(manifest);
			this.bytes.writeBytes(ByteBuffer.allocate(TRAILER_LENGTH)
				.putLong(manifestOffset)
				.putInt(manifest.length)
				.put(TRAILER_MAGIC)
				.array());
			return this.bytes.toByteArray();
		}

	}

	/**
	 * Reads the manifest of a whole pack.
	 * @param pack the pack's bytes
	 * @param mapper the JSON mapper
	 * @return its entries
	 * @throws IllegalArgumentException if it is not a pack
	 */
	static List<PackEntry> manifest(byte[] pack, JsonMapper mapper) {
		if (pack.length < MAGIC.length + TRAILER_LENGTH || !Arrays.equals(pack, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
				|| !Arrays.equals(pack, pack.length - 4, pack.length, TRAILER_MAGIC, 0, 4)) {
			throw new IllegalArgumentException("not a pack (bad magic or trailer)");
		}
		ByteBuffer trailer = ByteBuffer.wrap(pack, pack.length - TRAILER_LENGTH, TRAILER_LENGTH);
		int offset = Math.toIntExact(trailer.getLong());
		int length = trailer.getInt();
		Manifest manifest = mapper.readValue(pack, offset, length, new TypeReference<Manifest>() {
		});
		return manifest.entries();
	}

	record Manifest(int format, List<PackEntry> entries) {
	}

}
