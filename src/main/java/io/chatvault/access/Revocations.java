package io.chatvault.access;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Takes access away: revokes grants and tokens and disables principals, each with its
 * audit-log entry ({@code grant.revoke}, {@code token.revoke},
 * {@code principal.disable}). Rows are stamped, never deleted. Callers run these inside
 * their transaction, so that a departure and its revocations commit together.
 */
@Component
class Revocations {

	private final JdbcTemplate jdbc;

	private final AuditLog audit;

	private final Clock clock;

	Revocations(JdbcTemplate jdbc, AuditLog audit, Clock clock) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Revokes everything of the principals who are an employee: those linked to the
	 * custodian and those with the employee's HR id.
	 * @param custodianId the custodian
	 * @param hrEmployeeId the HR employee id, if known
	 * @param actor who revokes
	 * @param reason why
	 * @return what was revoked
	 */
	RevokedAccess revokeEmployee(String custodianId, Optional<String> hrEmployeeId, Actor actor, String reason) {
		List<String> principals = this.jdbc.queryForList(
				"SELECT id FROM access_principal WHERE custodian_id = ? OR (CAST(? AS TEXT) IS NOT NULL AND hr_employee_id = ?) "
						+ "ORDER BY id",
				String.class, custodianId, hrEmployeeId.orElse(null), hrEmployeeId.orElse(null));
		RevokedAccess revoked = RevokedAccess.NONE;
		for (String principal : principals) {
			revoked = revoked.plus(revokePrincipal(principal, actor, reason));
		}
		return revoked;
	}

	/**
	 * Revokes every live grant and token of a principal and disables it.
	 * @param principalId the principal
	 * @param actor who revokes
	 * @param reason why
	 * @return what was revoked
	 */
	RevokedAccess revokePrincipal(String principalId, Actor actor, String reason) {
		int grants = 0;
		for (Long grant : this.jdbc.queryForList(
				"SELECT id FROM access_grant WHERE principal_id = ? AND revoked_at IS NULL ORDER BY id", Long.class,
				principalId)) {
			grants += revokeGrant(grant, actor, reason) ? 1 : 0;
		}
		int tokens = 0;
		for (String token : this.jdbc.queryForList(
				"SELECT id FROM access_token WHERE principal_id = ? AND revoked_at IS NULL ORDER BY id", String.class,
				principalId)) {
			tokens += revokeToken(token, actor, reason) ? 1 : 0;
		}
		int disabled = this.jdbc.update(
				"UPDATE access_principal SET disabled_at = ?, disabled_by = ?, "
						+ "disabled_reason = ? WHERE id = ? AND disabled_at IS NULL",
				now(), actor.id(), reason, principalId);
		if (disabled == 1) {
			append(actor, "principal.disable", "principal:" + principalId, Map.of("reason", reason));
		}
		return new RevokedAccess(grants, tokens, disabled);
	}

	boolean revokeGrant(long grantId, Actor actor, String reason) {
		List<Map<String, Object>> grant = this.jdbc.queryForList(
				"UPDATE access_grant SET revoked_at = ?, revoked_by = ?, revoke_reason = ? "
						+ "WHERE id = ? AND revoked_at IS NULL RETURNING principal_id, role, scope",
				now(), actor.id(), reason, grantId);
		if (grant.isEmpty()) {
			return false;
		}
		append(actor, "grant.revoke", "grant:" + grantId, Map.of("principal", grant.get(0).get("principal_id"),
				"grantRole", grant.get(0).get("role"), "scope", grant.get(0).get("scope"), "reason", reason));
		return true;
	}

	boolean revokeToken(String tokenId, Actor actor, String reason) {
		List<String> principal = this.jdbc.queryForList(
				"UPDATE access_token SET revoked_at = ?, revoked_by = ?, revoke_reason = ? "
						+ "WHERE id = ? AND revoked_at IS NULL RETURNING principal_id",
				String.class, now(), actor.id(), reason, tokenId);
		if (principal.isEmpty()) {
			return false;
		}
		append(actor, "token.revoke", "token:" + tokenId, Map.of("principal", principal.get(0), "reason", reason));
		return true;
	}

	private Timestamp now() {
		return Timestamp.from(this.clock.instant());
	}

	private void append(Actor actor, String action, String target, Map<String, Object> details) {
		this.audit.append(new AuditEvent(actor.id(), actor.role(), action, target, "success", details));
	}

}
