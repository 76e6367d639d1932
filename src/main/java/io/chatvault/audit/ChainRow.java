package io.chatvault.audit;

import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/**
 * A row of {@code audit_entry} exactly as stored, the details as their stored text: what
 * verification and anchoring hash. Parsing and re-serializing the details would hide an
 * edit that keeps the JSON equivalent but changes its characters.
 *
 * @param sequence the sequence column (which an edit may have changed)
 * @param recordedAt when it was recorded
 * @param actor who acted
 * @param role the actor's role
 * @param action what was done
 * @param target what it was done to
 * @param outcome the outcome
 * @param details the details text as stored
 * @param previousHash the stored previous hash
 * @param entryHash the stored hash
 */
record ChainRow(long sequence, Instant recordedAt, String actor, String role, String action, String target,
		String outcome, String details, byte[] previousHash, byte[] entryHash) {

	static final String COLUMNS = "sequence, recorded_at, actor, role, action, target, outcome, details, previous_hash, entry_hash";

	/**
	 * The hash this row's content has at a given place of the chain.
	 * @param previous the hash of the entry before that place
	 * @param position the sequence of that place
	 * @return the 32-byte hash
	 */
	byte[] hashAt(byte[] previous, long position) {
		AuditEvent event = new AuditEvent(this.actor, this.role, this.action, this.target, this.outcome, Map.of());
		return AuditChain.hash(previous, position, this.recordedAt, event, this.details);
	}

	static boolean same(byte[] a, byte[] b) {
		return a != null && b != null && MessageDigest.isEqual(a, b);
	}

	static ChainRow map(ResultSet rs, int row) throws SQLException {
		return new ChainRow(rs.getLong("sequence"), rs.getTimestamp("recorded_at").toInstant(), rs.getString("actor"),
				rs.getString("role"), rs.getString("action"), rs.getString("target"), rs.getString("outcome"),
				rs.getString("details"), rs.getBytes("previous_hash"), rs.getBytes("entry_hash"));
	}

}
