package io.chatvault.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The content of an anchor object: JSON an auditor can read with any tool.
 *
 * <pre>
 * {"format":"chatvault-audit-anchor/1","anchor":7,"previousAnchorSha256":"…",
 *  "firstSequence":101,"lastSequence":150,"lastHash":"…","entryHashes":["…",…],
 *  "reason":"job.end execution:42","anchoredAt":"2025-03-01T02:00:00.123Z"}
 * </pre>
 *
 * {@code entryHashes} lists the hash of every entry from {@code firstSequence} to
 * {@code lastSequence}, so that verification names the very entry that was changed even
 * when the whole chain after it was recomputed; {@code previousAnchorSha256} is the
 * SHA-256 of the previous anchor object's bytes (null for anchor 1), which chains the
 * anchors too.
 *
 * @param number the anchor number
 * @param previousAnchorSha256 SHA-256 of the previous anchor object, or null for the
 * first
 * @param firstSequence the first entry covered
 * @param lastSequence the last entry covered
 * @param entryHashes the hashes of the covered entries, in order
 * @param reason why it was written
 * @param anchoredAt when
 */
record AnchorDocument(long number, byte[] previousAnchorSha256, long firstSequence, long lastSequence,
		List<byte[]> entryHashes, String reason, Instant anchoredAt) {

	static final String FORMAT = "chatvault-audit-anchor/1";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HexFormat HEX = HexFormat.of();

	AnchorDocument {
		entryHashes = List.copyOf(entryHashes);
		if (entryHashes.size() != lastSequence - firstSequence + 1) {
			throw new IllegalArgumentException("anchor " + number + " covers entries " + firstSequence + "-"
					+ lastSequence + " but lists " + entryHashes.size() + " hashes");
		}
	}

	byte[] lastHash() {
		return this.entryHashes.get(this.entryHashes.size() - 1);
	}

	/**
	 * The hash anchored for an entry.
	 * @param sequence an entry this anchor covers
	 * @return its hash
	 */
	byte[] hashOf(long sequence) {
		return this.entryHashes.get((int) (sequence - this.firstSequence));
	}

	boolean covers(long sequence) {
		return sequence >= this.firstSequence && sequence <= this.lastSequence;
	}

	byte[] toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("format", FORMAT);
		json.put("anchor", this.number);
		json.put("previousAnchorSha256",
				(this.previousAnchorSha256 != null) ? HEX.formatHex(this.previousAnchorSha256) : null);
		json.put("firstSequence", this.firstSequence);
		json.put("lastSequence", this.lastSequence);
		json.put("lastHash", HEX.formatHex(lastHash()));
		json.put("entryHashes", this.entryHashes.stream().map(HEX::formatHex).toList());
		json.put("reason", this.reason);
		json.put("anchoredAt", this.anchoredAt.toString());
		return JSON.writeValueAsBytes(json);
	}

	/**
	 * Reads an anchor object.
	 * @param bytes the object's content
	 * @return the document
	 * @throws IllegalArgumentException if it is not a well-formed anchor
	 */
	static AnchorDocument parse(byte[] bytes) {
		JsonNode json;
		try {
			json = JSON.readTree(bytes);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("not JSON: " + ex.getMessage(), ex);
		}
		if (json == null || !FORMAT.equals(text(json, "format"))) {
			throw new IllegalArgumentException("not a " + FORMAT + " document");
		}
		try {
			List<byte[]> hashes = new ArrayList<>();
			for (JsonNode hash : json.required("entryHashes")) {
				hashes.add(hash32(hash.asString()));
			}
			JsonNode previous = json.get("previousAnchorSha256");
			AnchorDocument document = new AnchorDocument(json.required("anchor").asLong(),
					(previous == null || previous.isNull()) ? null : hash32(previous.asString()),
					json.required("firstSequence").asLong(), json.required("lastSequence").asLong(), hashes,
					text(json, "reason"), Instant.parse(text(json, "anchoredAt")));
			if (!ChainRow.same(document.lastHash(), hash32(text(json, "lastHash")))) {
				throw new IllegalArgumentException("lastHash differs from the last of entryHashes");
			}
			return document;
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
	}

	private static String text(JsonNode json, String field) {
		JsonNode node = json.get(field);
		return (node != null && !node.isNull()) ? node.asString() : null;
	}

	private static byte[] hash32(String hex) {
		byte[] bytes = HEX.parseHex(hex);
		if (bytes.length != 32) {
			throw new IllegalArgumentException("a hash of " + bytes.length + " bytes: " + hex);
		}
		return bytes;
	}

}
