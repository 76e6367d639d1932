package io.chatvault.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Principals, their grants and their personal access tokens. Grants are data changed only
 * here, each change an audit-log entry in the same transaction ({@code
 * principal.create}, {@code principal.disable}, {@code grant.create},
 * {@code grant.revoke}, {@code token.create}, {@code token.revoke}). A grant beyond its
 * role's least privilege ({@link Role#beyondRole}) is refused unless an admin gives a
 * justification, and is then reported by every permission audit while it lives.
 */
@Service
@EnableConfigurationProperties(AccessProperties.class)
public class Principals {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final AuditLog audit;

	private final Clock clock;

	private final Custodians custodians;

	private final Revocations revocations;

	private final AccessProperties properties;

	Principals(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, AuditLog audit, Clock clock,
			Custodians custodians, Revocations revocations, AccessProperties properties) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.audit = audit;
		this.clock = clock;
		this.custodians = custodians;
		this.revocations = revocations;
		this.properties = properties;
	}

	/**
	 * A principal by id.
	 * @param id the principal id
	 * @return the principal, if there is one
	 */
	public Optional<Principal> find(String id) {
		return this.jdbc.query("SELECT * FROM access_principal WHERE id = ?", Principals::principal, id)
			.stream()
			.findFirst();
	}

	/** Every principal, by id. */
	public List<Principal> list() {
		return this.jdbc.query("SELECT * FROM access_principal ORDER BY id", Principals::principal);
	}

	/**
	 * Creates a principal.
	 * @param id the principal id
	 * @param name the person's name
	 * @param custodianId the custodian they are, if any
	 * @param hrEmployeeId their HR employee id; defaults to the custodian's
	 * @param actor who creates it
	 * @return the principal
	 * @throws IllegalArgumentException if the id is taken or the custodian unknown or
	 * departed
	 */
	public Principal create(String id, String name, Optional<String> custodianId, Optional<String> hrEmployeeId,
			Actor actor) {
		Custodian.checkId("principal id", id);
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("principal " + id + " needs a name");
		}
		return this.transaction.execute((status) -> {
			if (find(id).isPresent()) {
				throw new IllegalArgumentException("principal " + id + " already exists");
			}
			Optional<String> hr = hrEmployeeId;
			if (custodianId.isPresent()) {
				Custodian custodian = this.custodians.find(custodianId.get())
					.orElseThrow(() -> new IllegalArgumentException("no custodian " + custodianId.get()));
				if (!custodian.active()) {
					throw new IllegalArgumentException("custodian " + custodian.id() + " has departed");
				}
				hr = hr.or(custodian::hrEmployeeId);
			}
			Instant now = this.clock.instant();
			this.jdbc.update(
					"INSERT INTO access_principal (id, name, hr_employee_id, custodian_id, created_at, "
							+ "created_by) VALUES (?, ?, ?, ?, ?, ?)",
					id, name, hr.orElse(null), custodianId.orElse(null), Timestamp.from(now), actor.id());
			Map<String, Object> details = new LinkedHashMap<>();
			custodianId.ifPresent((c) -> details.put("custodian", c));
			hr.ifPresent((h) -> details.put("hrEmployeeId", h));
			append(actor, "principal.create", "principal:" + id, details);
			return find(id).orElseThrow();
		});
	}

	/**
	 * Disables a principal: every grant and token revoked at once.
	 * @param id the principal
	 * @param reason why
	 * @param actor who disables it
	 * @return what was revoked
	 */
	public RevokedAccess disable(String id, String reason, Actor actor) {
		return this.transaction.execute((status) -> {
			requirePrincipal(id);
			return this.revocations.revokePrincipal(id, actor, reason);
		});
	}

	/**
	 * Gives a principal a role over a scope.
	 * @param principalId the principal
	 * @param role the role
	 * @param scope the scope
	 * @param expiresAt when it ends by itself, if it does
	 * @param reason why (a ticket, an approval)
	 * @param beyondRole a justification, to grant beyond the role's least privilege
	 * @param actor who grants it
	 * @return the grant
	 * @throws IllegalArgumentException if the principal is disabled or the grant beyond
	 * its role without a justification
	 */
	public Grant grant(String principalId, Role role, GrantScope scope, Optional<Instant> expiresAt,
			Optional<String> reason, Optional<String> beyondRole, Actor actor) {
		return this.transaction.execute((status) -> {
			Principal principal = requirePrincipal(principalId);
			if (!principal.enabled()) {
				throw new IllegalArgumentException("principal " + principalId + " is disabled");
			}
			Instant now = this.clock.instant();
			if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
				throw new IllegalArgumentException("the grant would expire before it starts (" + expiresAt.get() + ")");
			}
			Optional<String> group = principal.custodianId().flatMap(this.custodians::group);
			Optional<String> excess = role.beyondRole(scope, principal.custodianId(), group);
			Optional<String> justification = beyondRole.map(String::trim).filter((j) -> !j.isEmpty());
			if (excess.isPresent() && justification.isEmpty()) {
				throw new IllegalArgumentException("grant refused: " + excess.get()
						+ "; to grant it anyway, give the justification (--beyond-role \"...\"): the permission audit "
						+ "reports it every month");
			}
			Long id = this.jdbc.queryForObject(
					"INSERT INTO access_grant (principal_id, role, scope, reason, beyond_role, granted_at, granted_by, "
							+ "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
					Long.class, principalId, role.key(), scope.toString(), reason.orElse(null),
					excess.isPresent() ? justification.get() : null, Timestamp.from(now), actor.id(),
					expiresAt.map(Timestamp::from).orElse(null));
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("principal", principalId);
			details.put("grantRole", role.key());
			details.put("scope", scope.toString());
			reason.ifPresent((r) -> details.put("reason", r));
			expiresAt.ifPresent((e) -> details.put("expiresAt", e.toString()));
			if (excess.isPresent()) {
				details.put("beyondRole", justification.get());
			}
			append(actor, "grant.create", "grant:" + id, details);
			return grants(Optional.of(principalId), true).stream()
				.filter((g) -> g.id() == id)
				.findFirst()
				.orElseThrow();
		});
	}

	/**
	 * After a custodian moved: revokes the live grants of the principals who are that
	 * custodian that no longer fit their role (a supervisor's grant on the group they
	 * left), except those granted beyond role on purpose, with a justification.
	 * @param custodianId the custodian who moved
	 * @param reason why
	 * @param actor who revokes
	 * @return what was revoked
	 */
	public RevokedAccess revokeGrantsBeyondRole(String custodianId, String reason, Actor actor) {
		return this.transaction.execute((status) -> {
			Optional<String> group = this.custodians.group(custodianId);
			int revoked = 0;
			for (String principal : this.jdbc.queryForList("SELECT id FROM access_principal WHERE custodian_id = ?",
					String.class, custodianId)) {
				for (Grant grant : grants(Optional.of(principal), false)) {
					if (grant.beyondRole().isEmpty()
							&& grant.role().beyondRole(grant.scope(), Optional.of(custodianId), group).isPresent()
							&& this.revocations.revokeGrant(grant.id(), actor, reason)) {
						revoked++;
					}
				}
			}
			return new RevokedAccess(revoked, 0, 0);
		});
	}

	/**
	 * Revokes everything of the principals with an HR employee id (a leaver who is no
	 * custodian, such as an administrator) and disables them.
	 * @param hrEmployeeId the HR employee id
	 * @param reason why
	 * @param actor who revokes
	 * @return what was revoked
	 */
	public RevokedAccess revokeEmployee(String hrEmployeeId, String reason, Actor actor) {
		return this.transaction.execute((status) -> {
			RevokedAccess revoked = RevokedAccess.NONE;
			for (String principal : this.jdbc.queryForList(
					"SELECT id FROM access_principal WHERE hr_employee_id = ? ORDER BY id", String.class,
					hrEmployeeId)) {
				revoked = revoked.plus(this.revocations.revokePrincipal(principal, actor, reason));
			}
			return revoked;
		});
	}

	/**
	 * Revokes a grant.
	 * @param grantId the grant
	 * @param reason why
	 * @param actor who revokes it
	 * @return whether it was live
	 */
	public boolean revokeGrant(long grantId, String reason, Actor actor) {
		return this.transaction.execute((status) -> this.revocations.revokeGrant(grantId, actor, reason));
	}

	/**
	 * Grants, of one principal or all.
	 * @param principalId a principal, or empty for all
	 * @param includeRevoked whether revoked and expired grants are listed too
	 * @return the grants by id
	 */
	public List<Grant> grants(Optional<String> principalId, boolean includeRevoked) {
		Instant now = this.clock.instant();
		return this.jdbc
			.query("SELECT * FROM access_grant WHERE (CAST(? AS TEXT) IS NULL OR principal_id = ?) ORDER BY id",
					Principals::grant, principalId.orElse(null), principalId.orElse(null))
			.stream()
			.filter((grant) -> includeRevoked || grant.liveAt(now))
			.toList();
	}

	/**
	 * Creates a personal access token. Its secret is in the result and nowhere else.
	 * @param principalId whose it is
	 * @param label what it is for
	 * @param lifetime how long it works; empty for the configured default
	 * @param actor who creates it (an admin, or the principal itself)
	 * @return the token and its secret
	 * @throws IllegalArgumentException if the principal is disabled or the lifetime
	 * exceeds the maximum
	 */
	public IssuedToken createToken(String principalId, String label, Optional<Duration> lifetime, Actor actor) {
		Duration life = lifetime.orElse(this.properties.token().defaultLifetime());
		Duration max = this.properties.token().maxLifetime();
		if (life.isNegative() || life.isZero() || life.compareTo(max) > 0) {
			throw new IllegalArgumentException("a token lives at most " + max.toDays()
					+ " days (chatvault.access.token.max-lifetime), not " + life.toDays() + " days");
		}
		return this.transaction.execute((status) -> {
			Principal principal = requirePrincipal(principalId);
			if (!principal.enabled()) {
				throw new IllegalArgumentException("principal " + principalId + " is disabled");
			}
			TokenSecrets.Parsed secret = TokenSecrets.generate();
			Instant now = this.clock.instant();
			Instant expires = now.plus(life);
			this.jdbc.update(
					"INSERT INTO access_token (id, principal_id, label, secret_sha256, created_at, created_by, "
							+ "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
					secret.id(), principalId, label, TokenSecrets.hash(secret.secret()), Timestamp.from(now),
					actor.id(), Timestamp.from(expires));
			append(actor, "token.create", "token:" + secret.id(),
					Map.of("principal", principalId, "label", label, "expiresAt", expires.toString()));
			return new IssuedToken(token(secret.id()).orElseThrow(), secret.token());
		});
	}

	/**
	 * Revokes a token: it stops working at once.
	 * @param tokenId the token id
	 * @param reason why
	 * @param actor who revokes it
	 * @return whether it was live
	 */
	public boolean revokeToken(String tokenId, String reason, Actor actor) {
		return this.transaction.execute((status) -> this.revocations.revokeToken(tokenId, actor, reason));
	}

	/**
	 * A token by id.
	 * @param tokenId the token id
	 * @return the token, if there is one
	 */
	public Optional<TokenInfo> token(String tokenId) {
		return this.jdbc.query("SELECT * FROM access_token WHERE id = ?", Principals::tokenInfo, tokenId)
			.stream()
			.findFirst();
	}

	/**
	 * Tokens, of one principal or all.
	 * @param principalId a principal, or empty for all
	 * @return the tokens, newest first
	 */
	public List<TokenInfo> tokens(Optional<String> principalId) {
		return this.jdbc.query(
				"SELECT * FROM access_token WHERE (CAST(? AS TEXT) IS NULL OR principal_id = ?) ORDER BY created_at DESC, id",
				Principals::tokenInfo, principalId.orElse(null), principalId.orElse(null));
	}

	/**
	 * Creates the first admin: a principal with an admin grant and a token, allowed only
	 * while no enabled principal holds a live admin grant. Audited under the
	 * operating-system user who ran it.
	 * @param principalId the admin's principal id (created if it does not exist)
	 * @param name the admin's name
	 * @param actor the operating-system user
	 * @return the admin's first token
	 * @throws IllegalStateException if there is an admin already
	 */
	public IssuedToken bootstrap(String principalId, String name, Actor actor) {
		return this.transaction.execute((status) -> {
			// Serializes concurrent bootstraps: only one can see "no admin".
			this.jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, 0x4356_4143_4345_5353L);
			Integer admins = this.jdbc.queryForObject("SELECT count(*) FROM access_grant g JOIN access_principal p "
					+ "ON p.id = g.principal_id WHERE g.role = 'admin' AND g.revoked_at IS NULL AND p.disabled_at IS NULL "
					+ "AND (g.expires_at IS NULL OR g.expires_at > ?)", Integer.class,
					Timestamp.from(this.clock.instant()));
			if (admins != null && admins > 0) {
				throw new IllegalStateException(
						"there is an admin already: ask them for a grant (bootstrap works only without one)");
			}
			if (find(principalId).isEmpty()) {
				create(principalId, name, Optional.empty(), Optional.empty(), actor);
			}
			grant(principalId, Role.ADMIN, GrantScope.NONE, Optional.empty(), Optional.of("bootstrap"),
					Optional.empty(), actor);
			return createToken(principalId, "bootstrap", Optional.empty(), actor);
		});
	}

	private Principal requirePrincipal(String id) {
		return find(id).orElseThrow(() -> new IllegalArgumentException("no principal " + id));
	}

	private void append(Actor actor, String action, String target, Map<String, Object> details) {
		this.audit.append(new AuditEvent(actor.id(), actor.role(), action, target, "success", details));
	}

	static Principal principal(ResultSet rs, int row) throws SQLException {
		return new Principal(rs.getString("id"), rs.getString("name"),
				Optional.ofNullable(rs.getString("hr_employee_id")), Optional.ofNullable(rs.getString("custodian_id")),
				rs.getTimestamp("created_at").toInstant(), instant(rs, "disabled_at"), instant(rs, "last_used_at"));
	}

	static Grant grant(ResultSet rs, int row) throws SQLException {
		return new Grant(rs.getLong("id"), rs.getString("principal_id"), Role.fromKey(rs.getString("role")),
				GrantScope.parse(rs.getString("scope")), Optional.ofNullable(rs.getString("reason")),
				Optional.ofNullable(rs.getString("beyond_role")), rs.getTimestamp("granted_at").toInstant(),
				rs.getString("granted_by"), instant(rs, "expires_at"), instant(rs, "revoked_at"));
	}

	static TokenInfo tokenInfo(ResultSet rs, int row) throws SQLException {
		return new TokenInfo(rs.getString("id"), rs.getString("principal_id"), rs.getString("label"),
				rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"),
				rs.getTimestamp("expires_at").toInstant(), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
	}

	private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
	}

}
