package io.chatvault.audit;

import java.time.Instant;
import java.util.HexFormat;

/**
 * One anchor of the audit chain: an object in the write-once store that holds the hashes
 * of a run of entries, so that no change to those entries in PostgreSQL, however careful,
 * goes unseen.
 *
 * @param number the anchor's number, from 1, without gaps
 * @param firstSequence the first entry it covers
 * @param lastSequence the last entry it covers (the head of the chain when it was
 * written)
 * @param lastHash the hash of that entry
 * @param objectKey where it is in the object store
 * @param objectSha256 SHA-256 of the object's bytes (the next anchor names it)
 * @param reason why it was written ({@code job.end execution:42},
 * {@code daily 2025-03-01})
 * @param anchoredAt when it was written
 */
public record AuditAnchor(long number, long firstSequence, long lastSequence, byte[] lastHash, String objectKey,
		byte[] objectSha256, String reason, Instant anchoredAt) {

	/** The hash of the last entry, as hex. */
	public String lastHashHex() {
		return HexFormat.of().formatHex(this.lastHash);
	}

}
