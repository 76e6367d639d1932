package io.chatvault.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit log in PostgreSQL ({@code audit_entry}). Appends are serialized by a
 * transaction-scoped advisory lock, so the chain has no gaps and no forks whatever the
 * number of processes; the table refuses updates, deletes and truncation by trigger
 * ({@code V20__audit_log.sql}), and the chain makes any edit that gets past that visible
 * to verification.
 */
@Repository
class JdbcAuditLog implements AuditLog {

	/**
	 * The advisory lock key of the chain ("CVAUDIT1"), apart from the run locks' keys.
	 */
	private static final long CHAIN_LOCK = 0x4356_4155_4449_5431L;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final Clock clock;

	JdbcAuditLog(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, Clock clock) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	@Override
	public AuditEntry append(AuditEvent event) {
		return this.transaction.execute((status) -> {
			this.jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, CHAIN_LOCK);
			Optional<AuditEntry> head = head();
			long sequence = head.map(AuditEntry::sequence).orElse(0L) + 1;
			byte[] previous = head.map(AuditEntry::hash).orElse(AuditChain.GENESIS);
			Instant recordedAt = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
			String details = AuditChain.canonicalDetails(event.details());
			byte[] hash = AuditChain.hash(previous, sequence, recordedAt, event, details);
			this.jdbc.update("""
					INSERT INTO audit_entry (sequence, recorded_at, actor, role, action, target, outcome, details,
						previous_hash, entry_hash)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
					""", sequence, Timestamp.from(recordedAt), event.actor(), event.role(), event.action(),
					event.target(), event.outcome(), details, previous, hash);
			return new AuditEntry(sequence, recordedAt, event, previous, hash);
		});
	}

	@Override
	public Optional<AuditEntry> head() {
		return this.jdbc.query("""
				SELECT sequence, recorded_at, actor, role, action, target, outcome, details, previous_hash, entry_hash
				FROM audit_entry ORDER BY sequence DESC LIMIT 1
				""", JdbcAuditLog::entry).stream().findFirst();
	}

	/**
	 * Maps a row of {@code audit_entry}.
	 * @param rs the row
	 * @param row its number
	 * @return the entry
	 * @throws SQLException if a column cannot be read
	 */
	static AuditEntry entry(ResultSet rs, int row) throws SQLException {
		AuditEvent event = new AuditEvent(rs.getString("actor"), rs.getString("role"), rs.getString("action"),
				rs.getString("target"), rs.getString("outcome"), AuditChain.parseDetails(rs.getString("details")));
		return new AuditEntry(rs.getLong("sequence"), rs.getTimestamp("recorded_at").toInstant(), event,
				rs.getBytes("previous_hash"), rs.getBytes("entry_hash"));
	}

}
