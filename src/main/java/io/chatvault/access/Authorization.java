package io.chatvault.access;

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
import java.util.stream.Collectors;

import io.chatvault.audit.AuditEntry;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The one decision every reader asks for: may this token do this operation over this
 * scope? On refusal it appends an {@code access.denied} entry and throws
 * {@link AccessDeniedException} (one line, exit code 11). On success it appends the
 * decision (action = the operation, outcome {@code authorized}) and returns the
 * {@link Access}: the principal, role, token, and the scope in effect, by which the
 * reader filters every record. When the read ends the reader calls {@link #complete},
 * which appends the access-log entry with what was returned; if the process dies between
 * the two, the decision entry still shows the read began.
 * <p>
 * A token is accepted when it is of the form, its secret matches the stored hash, it is
 * neither revoked nor expired, its principal is enabled, and the custodian the principal
 * is has not departed. It is looked up at every request, so a revocation takes effect at
 * the next request. See docs/access.md.
 */
@Service
public class Authorization {

	private final JdbcTemplate jdbc;

	private final AuditLog audit;

	private final Clock clock;

	private final Custodians custodians;

	Authorization(JdbcTemplate jdbc, AuditLog audit, Clock clock, Custodians custodians) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.clock = clock;
		this.custodians = custodians;
	}

	/**
	 * Decides a request.
	 * @param request the token, operation, scope, query and client
	 * @return the authorized access, with the scope in effect
	 * @throws AccessDeniedException if it is refused (already in the audit log)
	 */
	public Access authorize(AccessRequest request) {
		Instant now = this.clock.instant();
		Authenticated who = authenticate(request.token(), request.operation().action(), request, now);
		List<Grant> allowing = who.grants()
			.stream()
			.filter((grant) -> grant.role().allows(request.operation()))
			.toList();
		if (allowing.isEmpty()) {
			throw deny(request, who, "no-grant",
					"access denied: " + who.principal().id() + " ("
							+ (who.grants().isEmpty() ? "no live grant" : roles(who.grants())) + ") may not "
							+ request.operation().action());
		}
		EffectiveScope effective = effectiveScope(request, who, allowing);
		String role = roles(allowing);
		this.jdbc.update("UPDATE access_token SET last_used_at = ? WHERE id = ?", Timestamp.from(now),
				who.token().id());
		this.jdbc.update("UPDATE access_principal SET last_used_at = ? WHERE id = ?", Timestamp.from(now),
				who.principal().id());
		Map<String, Object> details = details(request, Optional.of(who.token().id()));
		details.put("effectiveScope", effective.all() ? "all" : effective.custodians());
		details.put("grants", effective.grants());
		AuditEntry entry = this.audit.append(new AuditEvent(who.principal().id(), role, request.operation().action(),
				target(request), "authorized", details));
		return new Access(who.principal().id(), role, who.token().id(), request.operation(), request.scope(), effective,
				request.query(), request.client(), now, entry.sequence());
	}

	/**
	 * Writes the access-log entry of a read that ended: principal, role, token, time,
	 * operation, scope asked and in effect, query, records and bytes returned, client,
	 * outcome. Call it once per {@link Access}, also when the read failed.
	 * @param access the authorized access
	 * @param outcome what was returned, and whether it succeeded
	 * @return the entry as stored
	 */
	public AuditEntry complete(Access access, AccessOutcome outcome) {
		AccessRequest request = new AccessRequest(Optional.empty(), access.operation(), access.requested(),
				access.query(), access.client());
		Map<String, Object> details = details(request, Optional.of(access.tokenId()));
		details.put("effectiveScope", access.effective().all() ? "all" : access.effective().custodians());
		details.put("grants", access.effective().grants());
		details.put("records", outcome.records());
		details.put("bytes", outcome.bytes());
		details.put("authorizedAt", access.decidedAt().toString());
		details.put("authorizedEntry", access.authorizedEntry());
		outcome.failure().ifPresent((failure) -> details.put("failure", failure));
		return this.audit.append(new AuditEvent(access.principalId(), access.role(), access.operation().action(),
				target(request), outcome.outcome(), details));
	}

	/**
	 * Who a token is, without asking for an operation ({@code chatvault access whoami}).
	 * @param token the token presented
	 * @param client where the request comes from
	 * @return the principal, the token and the live grants
	 * @throws AccessDeniedException if the token is not accepted (audited)
	 */
	public Authenticated whoami(Optional<String> token, String client) {
		AccessRequest request = new AccessRequest(token, Operation.CONTENT_READ, ContentScope.NONE, "", client);
		return authenticate(request.token(), "access.whoami", request, this.clock.instant());
	}

	private Authenticated authenticate(Optional<String> token, String operation, AccessRequest request, Instant now) {
		if (token.isEmpty()) {
			throw deny(request, null, "no-token",
					"access denied: no token; set CHATVAULT_TOKEN to your personal access token "
							+ "(an admin creates one: chatvault access token create)",
					operation, Optional.empty());
		}
		Optional<TokenSecrets.Parsed> parsed = TokenSecrets.parse(token.get());
		if (parsed.isEmpty()) {
			throw deny(request, null, "invalid-token",
					"access denied: CHATVAULT_TOKEN is not a ChatVault token (cvt_<id>_<secret>)", operation,
					Optional.empty());
		}
		String tokenId = parsed.get().id();
		List<byte[]> hashes = this.jdbc.queryForList("SELECT secret_sha256 FROM access_token WHERE id = ?",
				byte[].class, tokenId);
		if (hashes.isEmpty() || !TokenSecrets.matches(parsed.get().secret(), hashes.get(0))) {
			throw deny(request, null, "invalid-token", "access denied: token " + tokenId + " is not valid", operation,
					Optional.of(tokenId));
		}
		TokenInfo info = this.jdbc.queryForObject("SELECT * FROM access_token WHERE id = ?", Principals::tokenInfo,
				tokenId);
		Principal principal = this.jdbc.queryForObject("SELECT * FROM access_principal WHERE id = ?",
				Principals::principal, info.principalId());
		List<Grant> grants = this.jdbc
			.query("SELECT * FROM access_grant WHERE principal_id = ? AND revoked_at IS NULL ORDER BY id",
					Principals::grant, principal.id())
			.stream()
			.filter((grant) -> grant.liveAt(now))
			.toList();
		Authenticated who = new Authenticated(principal, info, grants);
		if (info.revokedAt().isPresent()) {
			throw deny(request, who, "token-revoked",
					"access denied: token " + tokenId + " was revoked at " + info.revokedAt().get(), operation);
		}
		if (!info.liveAt(now)) {
			throw deny(request, who, "token-expired", "access denied: token " + tokenId + " expired at "
					+ info.expiresAt() + "; create a new one (chatvault access token create)", operation);
		}
		if (!principal.enabled()) {
			throw deny(request, who, "principal-disabled",
					"access denied: principal " + principal.id() + " is disabled", operation);
		}
		Optional<Custodian> custodian = principal.custodianId().flatMap(this.custodians::find);
		if (custodian.isPresent() && !custodian.get().active()) {
			throw deny(request, who, "custodian-departed", "access denied: principal " + principal.id()
					+ " is custodian " + custodian.get().id() + ", who has departed", operation);
		}
		return who;
	}

	private EffectiveScope effectiveScope(AccessRequest request, Authenticated who, List<Grant> allowing) {
		List<String> scopes = allowing.stream().map((grant) -> grant.scope().toString()).distinct().toList();
		if (!request.operation().readsContent()) {
			return new EffectiveScope(false, Set.of(), scopes);
		}
		boolean all = allowing.stream().anyMatch((grant) -> grant.scope().kind() == GrantScope.Kind.ALL);
		if (all) {
			return new EffectiveScope(true, Set.of(), scopes);
		}
		Set<String> permitted = new TreeSet<>();
		for (Grant grant : allowing) {
			switch (grant.scope().kind()) {
				case CUSTODIAN -> permitted.add(grant.scope().value());
				case GROUP -> permitted.addAll(this.custodians.idsInGroup(grant.scope().value()));
				default -> {
				}
			}
		}
		Set<String> asked = request.scope().custodians();
		if (asked.isEmpty()) {
			if (permitted.isEmpty()) {
				throw deny(request, who, "outside-scope",
						"access denied: " + who.principal().id() + " has no custodian in scope for "
								+ request.operation().action() + " (grants: " + String.join(", ", scopes) + ")");
			}
			return new EffectiveScope(false, permitted, scopes);
		}
		List<String> outside = asked.stream().filter((custodian) -> !permitted.contains(custodian)).toList();
		if (!outside.isEmpty()) {
			throw deny(request, who, "outside-scope",
					"access denied: " + who.principal().id() + " may not " + request.operation().action()
							+ " custodian " + String.join(", ", outside) + " (outside the scope of their grants: "
							+ String.join(", ", scopes) + ")");
		}
		return new EffectiveScope(false, asked, scopes);
	}

	private AccessDeniedException deny(AccessRequest request, Authenticated who, String reason, String message) {
		return deny(request, who, reason, message, request.operation().action());
	}

	private AccessDeniedException deny(AccessRequest request, Authenticated who, String reason, String message,
			String operation) {
		return deny(request, who, reason, message, operation, Optional.of(who.token().id()));
	}

	private AccessDeniedException deny(AccessRequest request, Authenticated who, String reason, String message,
			String operation, Optional<String> tokenId) {
		Map<String, Object> details = details(request, tokenId);
		details.put("operation", operation);
		details.put("reason", reason);
		String actor = (who != null) ? who.principal().id() : "anonymous";
		String role = (who != null) ? roles(who.grants()) : "";
		this.audit.append(new AuditEvent(actor, role, "access.denied", target(request), "denied", details));
		return new AccessDeniedException(reason, message);
	}

	private static Map<String, Object> details(AccessRequest request, Optional<String> tokenId) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("operation", request.operation().action());
		tokenId.ifPresent((id) -> details.put("tokenId", id));
		details.put("client", request.client());
		if (request.operation().readsContent()) {
			details.put("custodians", request.scope().custodians().isEmpty() ? "all permitted"
					: new ArrayList<>(request.scope().custodians()));
			details.put("conversations", request.scope().conversations().isEmpty() ? "all"
					: new ArrayList<>(request.scope().conversations()));
			details.put("from", request.scope().from().map(Instant::toString).orElse(""));
			details.put("to", request.scope().to().map(Instant::toString).orElse(""));
		}
		details.put("query", request.query());
		return details;
	}

	private static String target(AccessRequest request) {
		if (!request.operation().readsContent()) {
			return "";
		}
		String custodians = request.scope().custodians().isEmpty() ? "*"
				: String.join(",", request.scope().custodians());
		String target = "custodians:" + custodians;
		return (target.length() > 1000) ? target.substring(0, 1000) + "..." : target;
	}

	private static String roles(List<Grant> grants) {
		return grants.stream().map((grant) -> grant.role().key()).distinct().sorted().collect(Collectors.joining("+"));
	}

	/**
	 * A principal whose token was accepted.
	 *
	 * @param principal the principal
	 * @param token the token presented
	 * @param grants its live grants
	 */
	public record Authenticated(Principal principal, TokenInfo token, List<Grant> grants) {
	}

}
