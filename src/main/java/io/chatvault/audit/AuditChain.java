package io.chatvault.audit;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;

import io.chatvault.message.Sha256;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How an entry is hashed into the chain: SHA-256 over the previous entry's hash and every
 * field of this one, each length-prefixed so that no two different entries hash alike,
 * the details as canonical JSON (keys sorted). Writing and verifying use this one class,
 * so the two can never disagree.
 */
public final class AuditChain {

	/** The previous hash of the first entry. */
	public static final byte[] GENESIS = new byte[32];

	private static final JsonMapper CANONICAL = JsonMapper.builder()
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
		.build();

	private AuditChain() {
	}

	/**
	 * The canonical JSON of an event's details, as stored and hashed.
	 * @param details the details
	 * @return JSON text with keys sorted
	 */
	public static String canonicalDetails(Map<String, Object> details) {
		return CANONICAL.writeValueAsString(details);
	}

	/**
	 * Parses stored details back.
	 * @param json canonical JSON text
	 * @return the details
	 */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> parseDetails(String json) {
		return CANONICAL.readValue(json, Map.class);
	}

	/**
	 * The hash of an entry as stored.
	 * @param previousHash the previous entry's hash
	 * @param sequence the entry's sequence
	 * @param recordedAt when it was recorded
	 * @param event the event
	 * @param detailsJson the details exactly as stored
	 * @return the 32-byte hash
	 */
	public static byte[] hash(byte[] previousHash, long sequence, Instant recordedAt, AuditEvent event,
			String detailsJson) {
		MessageDigest digest = Sha256.digest();
		digest.update(previousHash);
		Sha256.updateField(digest, Long.toString(sequence));
		Sha256.updateField(digest, recordedAt.toString());
		Sha256.updateField(digest, event.actor());
		Sha256.updateField(digest, event.role());
		Sha256.updateField(digest, event.action());
		Sha256.updateField(digest, event.target());
		Sha256.updateField(digest, event.outcome());
		Sha256.updateField(digest, detailsJson);
		return digest.digest();
	}

}
