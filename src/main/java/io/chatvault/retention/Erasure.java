package io.chatvault.retention;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.chatvault.access.Actor;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.crypto.DataKeys;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * GDPR erasure by crypto-shredding: destroys exactly the data keys of a custodian or of a
 * conversation (every custodian's copy), and the keys of media only records of that scope
 * attach. The write-once objects stay and can no longer be read; every reader then meets
 * {@link io.chatvault.crypto.ErasedException} ("erased: ... at ...") for them.
 *
 * <p>
 * Refused ({@link Refused}, exit code 12) with the reason: under a live legal hold (a
 * case naming the custodian, or covering a record of the conversation), inside a
 * statutory retention (a record in scope whose pack was written under a statutory policy
 * and whose retain-until has not passed), or, for a custodian, when records sealed under
 * their keys are also held by other custodians (both ends of a chat exported it): those
 * copies belong to the others too, so the conversation is erased instead. A refusal is an
 * audit-log entry too.
 */
public class Erasure {

	private final JdbcTemplate jdbc;

	private final DataKeys dataKeys;

	private final AuditLog audit;

	private final Clock clock;

	private final TransactionTemplate transaction;

	public Erasure(JdbcTemplate jdbc, DataKeys dataKeys, AuditLog audit, Clock clock,
			PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.dataKeys = dataKeys;
		this.audit = audit;
		this.clock = clock;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	/**
	 * What is erased: a custodian, or a conversation (source and id).
	 *
	 * @param custodian the custodian, or {@code null}
	 * @param source the conversation's source, or {@code null}
	 * @param conversationId the conversation, or {@code null}
	 */
	public record Scope(String custodian, String source, String conversationId) {

		public static Scope custodian(String custodian) {
			return new Scope(Objects.requireNonNull(custodian), null, null);
		}

		public static Scope conversation(String source, String conversationId) {
			return new Scope(null, Objects.requireNonNull(source), Objects.requireNonNull(conversationId));
		}

		boolean isCustodian() {
			return this.custodian != null;
		}

		String kind() {
			return isCustodian() ? "custodian" : "conversation";
		}

		String describe() {
			return isCustodian() ? "custodian " + this.custodian
					: "conversation " + this.source + ":" + this.conversationId;
		}

	}

	/**
	 * What an erasure did.
	 *
	 * @param id the erasure's id
	 * @param keysDestroyed the data keys destroyed
	 * @param records the records that can no longer be read
	 */
	public record Result(long id, List<String> keysDestroyed, long records) {
	}

	/** An erasure the law or a hold forbids; the message says why. */
	public static class Refused extends RuntimeException {

		public Refused(String message) {
			super(message);
		}

	}

	/**
	 * Erases a scope.
	 * @param scope the scope
	 * @param reason why (the request's reference)
	 * @param actor who
	 * @return what was destroyed
	 * @throws Refused under a hold, inside a statutory retention, or for shared records
	 */
	public Result erase(Scope scope, String reason, Actor actor) {
		Instant now = this.clock.instant();
		String keys = scope.isCustodian() ? "SELECT id FROM vault_data_key WHERE custodian = ? AND destroyed_at IS NULL"
				: "SELECT id FROM vault_data_key WHERE source = ? AND conversation_id = ? AND destroyed_at IS NULL";
		Object[] keyArgs = scope.isCustodian() ? new Object[] { scope.custodian() }
				: new Object[] { scope.source(), scope.conversationId() };
		String records = "FROM vault_message m JOIN vault_block b ON b.id = m.block_id JOIN vault_pack p ON p.id = b.pack_id "
				+ "JOIN vault_conversation c ON c.id = m.conversation WHERE b.data_key_id IN (" + keys + ")";
		String refusal = refusal(scope, records, keyArgs, now);
		if (refusal != null) {
			this.audit.append(new AuditEvent(actor.id(), actor.role(), "retention.erase", target(scope), "refused",
					Map.of("reason", reason, "refusal", refusal)));
			throw new Refused("erasure of " + scope.describe() + " refused: " + refusal);
		}
		return this.transaction.execute((status) -> {
			long count = this.jdbc.queryForObject("SELECT count(*) " + records, Long.class, keyArgs);
			// Media attached only by records of the scope goes with it.
			List<Long> ids = new ArrayList<>(this.jdbc.queryForList(keys, Long.class, keyArgs));
			ids.addAll(this.jdbc.queryForList("SELECT DISTINCT f.data_key_id FROM vault_file f "
					+ "JOIN vault_message_attachment a ON a.file_id = f.id JOIN vault_message m ON m.message_id = a.message_id "
					+ "JOIN vault_block b ON b.id = m.block_id WHERE f.kind = 2 AND b.data_key_id IN (" + keys + ") "
					+ "AND NOT EXISTS (SELECT 1 FROM vault_message_attachment a2 JOIN vault_message m2 "
					+ "ON m2.message_id = a2.message_id JOIN vault_block b2 ON b2.id = m2.block_id "
					+ "WHERE a2.file_id = f.id AND b2.data_key_id NOT IN (" + keys + "))", Long.class,
					concat(keyArgs, keyArgs)));
			if (!scope.isCustodian()) {
				// An export file read only for this conversation holds its records' text:
				// it goes with them, whatever key sealed it (a file stored before its
				// conversation was known is sealed under the custodian's file scope). A
				// file that also holds other conversations stays (their records too).
				ids.addAll(this.jdbc.queryForList("SELECT DISTINCT f.data_key_id FROM vault_file f "
						+ "JOIN vault_receipt_entry e ON e.file_id = f.id "
						+ "JOIN vault_receipt_conversation rc ON rc.receipt_id = e.receipt_id AND rc.entry = e.ordinal "
						+ "JOIN vault_conversation c ON c.id = rc.conversation "
						+ "WHERE f.kind = 1 AND c.source = ? AND c.conversation_id = ? AND NOT EXISTS ("
						+ "SELECT 1 FROM vault_receipt_entry e2 JOIN vault_receipt_conversation rc2 "
						+ "ON rc2.receipt_id = e2.receipt_id AND rc2.entry = e2.ordinal "
						+ "JOIN vault_conversation c2 ON c2.id = rc2.conversation WHERE e2.file_id = f.id "
						+ "AND NOT (c2.source = ? AND c2.conversation_id = ?))", Long.class, scope.source(),
						scope.conversationId(), scope.source(), scope.conversationId()));
			}
			long erasure = this.jdbc.queryForObject(
					"INSERT INTO retention_erasure (scope_kind, custodian, source, conversation_id, reason, "
							+ "requested_by, erased_at, keys_destroyed, records) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?) "
							+ "RETURNING id",
					Long.class, scope.kind(), scope.custodian(), scope.source(), scope.conversationId(), reason,
					actor.id(), Timestamp.from(now), count);
			// The search tokens of the erased records go too (keyed hashes of their words
			// would still tell whether a record held a word): empty, so that no search
			// finds them and search-backfill, which fills NULL tokens, leaves them.
			this.jdbc.update("UPDATE vault_message SET tokens = '{}' WHERE block_id IN "
					+ "(SELECT b.id FROM vault_block b WHERE b.data_key_id IN (" + keys + ")) "
					+ "AND tokens IS DISTINCT FROM '{}'", keyArgs);
			List<String> destroyed = new ArrayList<>();
			for (Long id : ids) {
				String name = this.jdbc.queryForObject("SELECT scope FROM vault_data_key WHERE id = ?", String.class,
						id);
				if (this.dataKeys.destroy(name, "erasure " + erasure + ": " + reason).isPresent()) {
					destroyed.add(name);
					this.jdbc.update(
							"INSERT INTO retention_erased_key (erasure_id, data_key_id, scope) VALUES (?, ?, ?)",
							erasure, id, name);
				}
			}
			if (scope.isCustodian()) {
				// Records of others this custodian also held: they no longer hold them.
				this.jdbc.update("DELETE FROM vault_message_holder WHERE custodian_id IN "
						+ "(SELECT id FROM vault_custodian WHERE name = ?)", scope.custodian());
			}
			this.jdbc.update("UPDATE retention_erasure SET keys_destroyed = ? WHERE id = ?", destroyed.size(), erasure);
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("erasure", erasure);
			details.put("reason", reason);
			details.put("keysDestroyed", destroyed);
			details.put("records", count);
			this.audit
				.append(new AuditEvent(actor.id(), actor.role(), "retention.erase", target(scope), "success", details));
			return new Result(erasure, destroyed, count);
		});
	}

	private String refusal(Scope scope, String records, Object[] keyArgs, Instant now) {
		if (scope.isCustodian()) {
			List<String> cases = this.jdbc
				.queryForList("SELECT case_name FROM retention_hold WHERE released_at IS NULL AND ? = ANY (custodians) "
						+ "ORDER BY case_name", String.class, scope.custodian());
			if (!cases.isEmpty()) {
				return "under legal hold " + String.join(", ", cases);
			}
		}
		else {
			List<String> cases = this.jdbc.queryForList(
					"SELECT DISTINCT h.case_name FROM retention_hold h JOIN vault_custodian u ON u.name = ANY (h.custodians) "
							+ "JOIN vault_conversation c ON c.custodian_id = u.id WHERE h.released_at IS NULL "
							+ "AND c.source = ? AND c.conversation_id = ? ORDER BY 1",
					String.class, scope.source(), scope.conversationId());
			if (!cases.isEmpty()) {
				return "under legal hold " + String.join(", ", cases);
			}
		}
		List<Map<String, Object>> statutory = this.jdbc.queryForList(
				"SELECT p.retention_policy, max(p.retain_until) AS until " + records
						+ " AND p.retention_statutory AND p.retain_until > ? GROUP BY 1 ORDER BY 1",
				concat(keyArgs, new Object[] { Timestamp.from(now) }));
		if (!statutory.isEmpty()) {
			List<String> policies = new ArrayList<>();
			for (Map<String, Object> row : statutory) {
				policies.add(row.get("retention_policy") + " until " + ((Timestamp) row.get("until")).toInstant());
			}
			return "inside the statutory retention of " + String.join(", ", policies);
		}
		if (scope.isCustodian()) {
			List<String> others = this.jdbc.queryForList(
					"SELECT DISTINCT u.name "
							+ records.replace("FROM vault_message m",
									"FROM vault_message m JOIN vault_message_holder h ON h.message_id = m.message_id "
											+ "JOIN vault_custodian u ON u.id = h.custodian_id")
							+ " AND u.name <> ? ORDER BY 1",
					String.class, concat(keyArgs, new Object[] { scope.custodian() }));
			if (!others.isEmpty()) {
				return "records sealed under " + scope.custodian() + "'s keys are also held by "
						+ String.join(", ", others) + "; erase those conversations with --conversation instead";
			}
		}
		return null;
	}

	private static String target(Scope scope) {
		return scope.isCustodian() ? "custodian:" + scope.custodian()
				: "conversation:" + scope.source() + ":" + scope.conversationId();
	}

	private static Object[] concat(Object[] a, Object[] b) {
		Object[] all = new Object[a.length + b.length];
		System.arraycopy(a, 0, all, 0, a.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

}
