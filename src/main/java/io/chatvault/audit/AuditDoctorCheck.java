package io.chatvault.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.chatvault.cli.DoctorCheck;

/**
 * {@code chatvault doctor}: how well the audit log is protected where this process
 * connects, and whether its anchors are current. Warnings (the application's role could
 * change or unprotect the log; entries older than a day are not anchored) do not fail
 * {@code doctor}: the chain and its anchors still catch any change, so they are ok
 * findings whose detail starts with "warning:" and says what to do.
 */
@Component
class AuditDoctorCheck implements DoctorCheck {

	/** Entries older than this without an anchor mean the daily anchor is not running. */
	static final Duration ANCHOR_OVERDUE = Duration.ofHours(26);

	private final JdbcTemplate jdbc;

	private final Clock clock;

	AuditDoctorCheck(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public String name() {
		return "audit log";
	}

	@Override
	public Finding check() {
		try {
			Map<String, Object> role = this.jdbc.queryForMap("""
					SELECT current_user AS role,
						(SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
						pg_has_role(current_user, (SELECT relowner FROM pg_class
							WHERE oid = 'audit_entry'::regclass), 'USAGE') AS owner,
						has_table_privilege('audit_entry', 'UPDATE') OR has_table_privilege('audit_entry', 'DELETE')
							OR has_table_privilege('audit_entry', 'TRUNCATE') AS can_change
					""");
			List<String> warnings = new ArrayList<>();
			String name = String.valueOf(role.get("role"));
			if (Boolean.TRUE.equals(role.get("superuser")) || Boolean.TRUE.equals(role.get("owner"))) {
				warnings.add("the application connects as " + name + ", which "
						+ (Boolean.TRUE.equals(role.get("superuser")) ? "is a superuser" : "owns audit_entry")
						+ " and could disable the append-only triggers (the chain and its anchors still catch any change); "
						+ "for enforcement in the database, connect as a least-privileged role: "
						+ "chatvault.db.application-role, see docs/audit.md");
			}
			else if (Boolean.TRUE.equals(role.get("can_change"))) {
				warnings.add("the application's role " + name
						+ " may UPDATE, DELETE or TRUNCATE audit_entry (only the triggers refuse it): "
						+ "set chatvault.db.application-role=" + name + " so that migrations revoke it");
			}
			Instant oldestUnanchored = this.jdbc.queryForObject("""
					SELECT min(recorded_at) FROM audit_entry
					WHERE sequence > coalesce((SELECT max(last_sequence) FROM audit_anchor), 0)
					""", (rs, row) -> (rs.getTimestamp(1) != null) ? rs.getTimestamp(1).toInstant() : null);
			if (oldestUnanchored != null
					&& Duration.between(oldestUnanchored, this.clock.instant()).compareTo(ANCHOR_OVERDUE) > 0) {
				warnings.add("entries since " + oldestUnanchored
						+ " are not anchored in the object store: schedule chatvault run audit-anchor day=<today> daily");
			}
			String detail = "append-only by trigger; the application connects as " + name
					+ ((warnings.isEmpty()) ? ", which can neither change the log nor disable its triggers" : "");
			return warnings.isEmpty() ? Finding.ok(detail) : Finding.ok("warning: " + String.join("; ", warnings));
		}
		catch (RuntimeException ex) {
			return Finding.problem("cannot check the audit log: " + ex.getMessage(),
					"check the database (chatvault doctor's database line)");
		}
	}

}
