package io.chatvault.audit;

import java.time.Instant;

/**
 * One entry of the audit log as stored: its place in the chain, when it was recorded, the
 * event, and the hashes that chain it to the entry before.
 *
 * @param sequence the entry's position, from 1, without gaps
 * @param recordedAt when it was appended (microsecond precision, as PostgreSQL keeps it)
 * @param event what happened
 * @param previousHash the hash of the entry before (32 zero bytes for the first)
 * @param hash SHA-256 over the previous hash and this entry's canonical form
 */
public record AuditEntry(long sequence, Instant recordedAt, AuditEvent event, byte[] previousHash, byte[] hash) {

	public String hashHex() {
		return java.util.HexFormat.of().formatHex(this.hash);
	}

}
