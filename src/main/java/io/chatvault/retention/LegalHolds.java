package io.chatvault.retention;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.chatvault.access.Actor;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.storage.ObjectStore;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Legal holds ({@code retention_hold}): placing one records the case, then sets the
 * store's legal hold (S3 Object Lock legal hold, the filesystem store's sidecar) on every
 * object holding a record in its scope: the record packs, the packs of their conversation
 * states and attachments, and the custodians' receipts, original export files and
 * quarantined input. Each object is listed in {@code retention_hold_object} once set, so
 * placing the same case again (or {@link #refresh}, which disposition runs first) reaches
 * objects written since, and a crash part-way is finished by doing it again. Releasing
 * clears the flag on the objects no other live case lists. Disposition never removes a
 * record in the scope of a live hold. Every change is an audit-log entry.
 */
public class LegalHolds {

	/**
	 * The records of a set of custodians (first holder or further holder) sent in a
	 * range: {@code ?::text[]}, from, from, to, to, repeated for both holder kinds.
	 */
	private static final String RECORDS_IN_SCOPE = """
			SELECT m.message_id, m.block_id, m.conversation FROM vault_message m
			  JOIN vault_conversation c ON c.id = m.conversation JOIN vault_custodian u ON u.id = c.custodian_id
			  WHERE u.name = ANY (?::text[]) AND (?::timestamptz IS NULL OR m.sent_at >= ?)
			  AND (?::timestamptz IS NULL OR m.sent_at < ?)
			UNION
			SELECT m.message_id, m.block_id, m.conversation FROM vault_message_holder h
			  JOIN vault_custodian u ON u.id = h.custodian_id JOIN vault_message m ON m.message_id = h.message_id
			  WHERE u.name = ANY (?::text[]) AND (?::timestamptz IS NULL OR m.sent_at >= ?)
			  AND (?::timestamptz IS NULL OR m.sent_at < ?)
			""";

	private static final String OBJECTS_IN_SCOPE = "WITH r AS (" + RECORDS_IN_SCOPE + """
			)
			SELECT p.object_key FROM vault_pack p WHERE p.id IN (
			  SELECT b.pack_id FROM vault_block b WHERE b.id IN (SELECT block_id FROM r)
			  UNION SELECT b.pack_id FROM vault_conversation_state s JOIN vault_block b ON b.id = s.block_id
			    WHERE s.conversation IN (SELECT conversation FROM r)
			  UNION SELECT b.pack_id FROM vault_message_attachment a JOIN vault_file_chunk fc ON fc.file_id = a.file_id
			    JOIN vault_block b ON b.id = fc.block_id WHERE a.message_id IN (SELECT message_id FROM r)
			  UNION SELECT b.pack_id FROM vault_receipt rc JOIN vault_custodian u ON u.id = rc.custodian_id
			    JOIN vault_receipt_entry e ON e.receipt_id = rc.id JOIN vault_file_chunk fc ON fc.file_id = e.file_id
			    JOIN vault_block b ON b.id = fc.block_id WHERE u.name = ANY (?::text[]))
			UNION SELECT rc.object_key FROM vault_receipt rc JOIN vault_custodian u ON u.id = rc.custodian_id
			  WHERE u.name = ANY (?::text[]) AND rc.object_key <> ''
			UNION SELECT q.object_key FROM vault_quarantine q WHERE q.custodian = ANY (?::text[])
			ORDER BY 1
			""";

	private final JdbcTemplate jdbc;

	private final ObjectStore store;

	private final AuditLog audit;

	private final Clock clock;

	private final TransactionTemplate transaction;

	public LegalHolds(JdbcTemplate jdbc, ObjectStore store, AuditLog audit, Clock clock,
			PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.store = store;
		this.audit = audit;
		this.clock = clock;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	/**
	 * Places a hold, or extends a live case of the same scope to the objects written
	 * since.
	 * @param caseName the case
	 * @param custodians the custodians in scope (at least one)
	 * @param from start of the range, if limited
	 * @param to end of the range, if limited
	 * @param reason why
	 * @param actor who
	 * @return the hold, with the number of objects it holds
	 * @throws IllegalArgumentException for a released case, or a live case of another
	 * scope
	 */
	public LegalHold create(String caseName, Set<String> custodians, Optional<Instant> from, Optional<Instant> to,
			String reason, Actor actor) {
		if (caseName == null || caseName.isBlank()) {
			throw new IllegalArgumentException("a hold needs a case name");
		}
		if (custodians.isEmpty()) {
			throw new IllegalArgumentException("a hold needs at least one custodian (--custodian)");
		}
		if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
			throw new IllegalArgumentException("--to " + to.get() + " is not after --from " + from.get());
		}
		List<String> scope = List.copyOf(new TreeSet<>(custodians));
		Optional<LegalHold> existing = find(caseName);
		if (existing.isPresent()) {
			LegalHold hold = existing.get();
			if (!hold.active()) {
				throw new IllegalArgumentException("case " + caseName + " was released at " + hold.releasedAt().get()
						+ "; a new hold needs a new case name");
			}
			if (!hold.custodians().equals(scope) || !hold.from().equals(from) || !hold.to().equals(to)) {
				throw new IllegalArgumentException("case " + caseName + " holds " + describe(hold)
						+ " already; release it or use another case name");
			}
		}
		else {
			this.transaction.executeWithoutResult((status) -> {
				this.jdbc.update(
						"INSERT INTO retention_hold (case_name, custodians, from_at, to_at, reason, created_at, "
								+ "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
						caseName, scope.toArray(String[]::new), from.map(Timestamp::from).orElse(null),
						to.map(Timestamp::from).orElse(null), reason, Timestamp.from(this.clock.instant()), actor.id());
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("custodians", scope);
				from.ifPresent((f) -> details.put("from", f.toString()));
				to.ifPresent((t) -> details.put("to", t.toString()));
				details.put("reason", (reason != null) ? reason : "");
				this.audit.append(new AuditEvent(actor.id(), actor.role(), "hold.create", "case:" + caseName, "success",
						details));
			});
		}
		int added = apply(find(caseName).orElseThrow());
		if (existing.isPresent() && added > 0) {
			this.audit.append(new AuditEvent(actor.id(), actor.role(), "hold.extend", "case:" + caseName, "success",
					Map.of("objects", added)));
		}
		return find(caseName).orElseThrow();
	}

	/**
	 * Sets the legal hold on the objects of every live case written since it was placed.
	 * @return how many objects were newly held
	 */
	public int refresh() {
		int added = 0;
		for (LegalHold hold : list()) {
			if (hold.active()) {
				added += apply(hold);
			}
		}
		return added;
	}

	private int apply(LegalHold hold) {
		Set<String> already = new TreeSet<>(this.jdbc.queryForList(
				"SELECT object_key FROM retention_hold_object WHERE case_name = ?", String.class, hold.caseName()));
		int added = 0;
		for (String key : objectKeys(hold.custodians(), hold.from(), hold.to())) {
			if (already.contains(key)) {
				continue;
			}
			this.store.setLegalHold(key, true);
			this.jdbc.update("INSERT INTO retention_hold_object (case_name, object_key, held_at) VALUES (?, ?, ?) "
					+ "ON CONFLICT DO NOTHING", hold.caseName(), key, Timestamp.from(this.clock.instant()));
			added++;
		}
		return added;
	}

	/**
	 * Every object holding a record of the custodians sent in the range, or their
	 * receipts, originals and quarantined input.
	 * @param custodians the custodians
	 * @param from start, if limited
	 * @param to end, if limited
	 * @return the object keys, sorted
	 */
	public List<String> objectKeys(List<String> custodians, Optional<Instant> from, Optional<Instant> to) {
		String[] names = custodians.toArray(String[]::new);
		Timestamp f = from.map(Timestamp::from).orElse(null);
		Timestamp t = to.map(Timestamp::from).orElse(null);
		return this.jdbc.queryForList(OBJECTS_IN_SCOPE, String.class, names, f, f, t, t, names, f, f, t, t, names,
				names, names);
	}

	/**
	 * Releases a case: clears the legal hold on its objects that no other live case
	 * lists. Releasing a released case again finishes a release a crash interrupted.
	 * @param caseName the case
	 * @param actor who
	 * @return the hold as released
	 * @throws IllegalArgumentException for an unknown case
	 */
	public LegalHold release(String caseName, Actor actor) {
		LegalHold hold = find(caseName)
			.orElseThrow(() -> new IllegalArgumentException("no hold for case " + caseName + " (chatvault hold list)"));
		if (hold.active()) {
			this.transaction.executeWithoutResult((status) -> {
				this.jdbc.update("UPDATE retention_hold SET released_at = ?, released_by = ? WHERE case_name = ?",
						Timestamp.from(this.clock.instant()), actor.id(), caseName);
				this.audit.append(new AuditEvent(actor.id(), actor.role(), "hold.release", "case:" + caseName,
						"success", Map.of("custodians", hold.custodians(), "objects", hold.objects())));
			});
		}
		List<String> release = this.jdbc.queryForList("""
				SELECT o.object_key FROM retention_hold_object o WHERE o.case_name = ? AND NOT EXISTS (
				  SELECT 1 FROM retention_hold_object other JOIN retention_hold h ON h.case_name = other.case_name
				  WHERE other.object_key = o.object_key AND h.released_at IS NULL)
				ORDER BY 1
				""", String.class, caseName);
		for (String key : release) {
			if (this.store.head(key).isPresent()) {
				this.store.setLegalHold(key, false);
			}
		}
		return find(caseName).orElseThrow();
	}

	/**
	 * Every case, newest first.
	 * @return the holds
	 */
	public List<LegalHold> list() {
		return this.jdbc.query(SELECT + " ORDER BY h.created_at DESC, h.case_name", (rs, row) -> hold(rs));
	}

	/**
	 * One case.
	 * @param caseName the case
	 * @return the hold, if there is one
	 */
	public Optional<LegalHold> find(String caseName) {
		return this.jdbc.query(SELECT + " WHERE h.case_name = ?", (rs, row) -> hold(rs), caseName).stream().findFirst();
	}

	/**
	 * The live cases that cover any of a set of custodians.
	 * @param custodians the custodians
	 * @return the cases
	 */
	public List<LegalHold> activeFor(Set<String> custodians) {
		List<LegalHold> holding = new ArrayList<>();
		for (LegalHold hold : list()) {
			if (hold.active() && hold.custodians().stream().anyMatch(custodians::contains)) {
				holding.add(hold);
			}
		}
		return holding;
	}

	private static final String SELECT = "SELECT h.case_name, h.custodians, h.from_at, h.to_at, h.reason, "
			+ "h.created_at, h.created_by, h.released_at, h.released_by, "
			+ "(SELECT count(*) FROM retention_hold_object o WHERE o.case_name = h.case_name) FROM retention_hold h";

	private static LegalHold hold(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new LegalHold(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()), instant(rs, 3),
				instant(rs, 4), rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7), instant(rs, 8),
				Optional.ofNullable(rs.getString(9)), rs.getLong(10));
	}

	private static Optional<Instant> instant(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
		Timestamp value = rs.getTimestamp(column);
		return Optional.ofNullable(value).map(Timestamp::toInstant);
	}

	static String describe(LegalHold hold) {
		return "custodians " + String.join(",", hold.custodians()) + hold.from().map((f) -> " from " + f).orElse("")
				+ hold.to().map((t) -> " to " + t).orElse("");
	}

	/**
	 * The SQL condition that a record {@code m} (a {@code vault_message} row, its
	 * conversation {@code c}) is in the scope of a live hold.
	 */
	public static final String RECORD_HELD = """
			EXISTS (SELECT 1 FROM retention_hold h WHERE h.released_at IS NULL
			  AND (h.from_at IS NULL OR m.sent_at >= h.from_at) AND (h.to_at IS NULL OR m.sent_at < h.to_at)
			  AND (EXISTS (SELECT 1 FROM vault_custodian u WHERE u.id = c.custodian_id AND u.name = ANY (h.custodians))
			    OR EXISTS (SELECT 1 FROM vault_message_holder mh JOIN vault_custodian u ON u.id = mh.custodian_id
			      WHERE mh.message_id = m.message_id AND u.name = ANY (h.custodians))))
			""";

}
