package io.chatvault.accessreview;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.chatvault.access.AccessProperties;
import io.chatvault.access.Custodian;
import io.chatvault.access.Custodians;
import io.chatvault.access.Grant;
import io.chatvault.access.Operation;
import io.chatvault.access.Principal;
import io.chatvault.access.Principals;
import io.chatvault.access.TokenInfo;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the permission audit and the access review look at. The state review covers every
 * principal, grant, token and custodian as they stand: leavers (principals who are a
 * departed custodian) with live grants or tokens, live grants beyond their role,
 * principals with live grants unused for {@code chatvault.access.dormant-after}, live
 * tokens older than the maximum lifetime, active custodians without signed consent, and
 * the number of privileged principals. Each problem is reported once, under its most
 * telling kind: a leaver's grant and token are leaver findings, not also dormant or too
 * old. Abnormal access is more content records than
 * {@code chatvault.access.abnormal-records-per-day} returned to one principal in one day
 * of the review zone, summed from the access-log entries of the audit log.
 */
@Component
class AccessReview {

	private final JdbcTemplate jdbc;

	private final Principals principals;

	private final Custodians custodians;

	private final AccessProperties properties;

	private final Clock clock;

	AccessReview(JdbcTemplate jdbc, Principals principals, Custodians custodians, AccessProperties properties,
			Clock clock) {
		this.jdbc = jdbc;
		this.principals = principals;
		this.custodians = custodians;
		this.properties = properties;
		this.clock = clock;
	}

	StateReview reviewState() {
		Instant now = this.clock.instant();
		List<Custodian> registry = this.custodians.list(Optional.empty());
		Map<String, Custodian> byId = new HashMap<>();
		Set<String> departedHrIds = new HashSet<>();
		for (Custodian custodian : registry) {
			byId.put(custodian.id(), custodian);
			if (!custodian.active()) {
				custodian.hrEmployeeId().ifPresent(departedHrIds::add);
			}
		}
		List<Principal> all = this.principals.list();
		List<Grant> grants = this.principals.grants(Optional.empty(), false);
		List<TokenInfo> tokens = this.principals.tokens(Optional.empty())
			.stream()
			.filter((token) -> token.liveAt(now))
			.toList();
		Map<String, List<Grant>> grantsOf = new HashMap<>();
		grants.forEach((grant) -> grantsOf.computeIfAbsent(grant.principalId(), (p) -> new ArrayList<>()).add(grant));
		Map<String, List<TokenInfo>> tokensOf = new HashMap<>();
		tokens.forEach((token) -> tokensOf.computeIfAbsent(token.principalId(), (p) -> new ArrayList<>()).add(token));

		List<Finding> findings = new ArrayList<>();
		int privileged = 0;
		Duration dormantAfter = this.properties.dormantAfter();
		Duration maxAge = this.properties.token().maxLifetime();
		for (Principal principal : all) {
			List<Grant> live = grantsOf.getOrDefault(principal.id(), List.of());
			List<TokenInfo> liveTokens = tokensOf.getOrDefault(principal.id(), List.of());
			Optional<Custodian> own = principal.custodianId().map(byId::get);
			boolean leaver = own.map((c) -> !c.active()).orElse(false)
					|| principal.hrEmployeeId().map(departedHrIds::contains).orElse(false);
			if (leaver) {
				String who = principal.id() + own
					.map((c) -> " (custodian " + c.id() + ", departed "
							+ c.departureDate().map(Object::toString).orElse("?") + ")")
					.orElse(" (a departed employee)");
				live.forEach((grant) -> findings.add(Finding.of("leaver-with-live-grant", "high", "grant:" + grant.id(),
						principal.id(), "leaver " + who + " still holds grant " + grant.id() + " (" + grant.role().key()
								+ " " + grant.scope() + ")")));
				liveTokens.forEach((token) -> findings
					.add(Finding.of("leaver-with-live-token", "high", "token:" + token.id(), principal.id(), "leaver "
							+ who + " still has live token " + token.id() + " (expires " + token.expiresAt() + ")")));
				continue;
			}
			Optional<String> group = own.map(Custodian::group);
			for (Grant grant : live) {
				grant.role()
					.beyondRole(grant.scope(), principal.custodianId(), group)
					.ifPresent((why) -> findings
						.add(Finding.of("grant-beyond-role", "high", "grant:" + grant.id(), principal.id(),
								"grant " + grant.id() + " of " + principal.id() + ": " + why
										+ grant.beyondRole()
											.map((j) -> "; justified as: " + j)
											.orElse("; no justification recorded"))));
			}
			if (principal.enabled() && live.stream().anyMatch((grant) -> grant.role().privileged())) {
				privileged++;
			}
			Instant lastUsed = principal.lastUsedAt().orElse(principal.createdAt());
			if (principal.enabled() && !live.isEmpty() && Duration.between(lastUsed, now).compareTo(dormantAfter) > 0) {
				findings.add(Finding.of("dormant-principal", "medium", "principal:" + principal.id(), principal.id(),
						principal.id() + " holds " + live.size() + " live grant(s) but was "
								+ principal.lastUsedAt()
									.map((t) -> "last used " + t)
									.orElse("never used (created " + principal.createdAt() + ")")
								+ ", more than " + dormantAfter.toDays() + " days ago"));
			}
			for (TokenInfo token : liveTokens) {
				if (Duration.between(token.createdAt(), now).compareTo(maxAge) > 0) {
					findings.add(Finding.of("token-past-max-age", "medium", "token:" + token.id(), principal.id(),
							"token " + token.id() + " of " + principal.id() + " was created " + token.createdAt()
									+ ", more than the maximum of " + maxAge.toDays() + " days ago, and still works"));
				}
			}
		}
		for (Custodian custodian : registry) {
			if (custodian.active() && custodian.consent().isEmpty()) {
				findings.add(Finding.of("custodian-without-consent", "high", "custodian:" + custodian.id(), null,
						"custodian " + custodian.id() + " (" + custodian.group()
								+ ") is archived without a signed consent on record"));
			}
		}
		return new StateReview(findings, all.size(), grants.size(), tokens.size(), registry.size(), privileged);
	}

	AccessLogReview reviewAccess(ReviewPeriod period) {
		List<String> actions = List.of(Operation.CONTENT_READ.action(), Operation.CONTENT_RESTORE.action(),
				Operation.CONTENT_EXPORT.action());
		// Built-in job principals (job:restore-drill) restore on a schedule, not for a
		// person: their reads are in the access log but are no one's abnormal access.
		String where = "action IN (?, ?, ?) AND outcome IN ('success', 'failed') AND recorded_at >= ? "
				+ "AND recorded_at < ? AND (details::jsonb ->> 'records') IS NOT NULL AND actor NOT LIKE 'job:%'";
		Object[] arguments = { actions.get(0), actions.get(1), actions.get(2), Timestamp.from(period.start()),
				Timestamp.from(period.end()) };
		Long entries = this.jdbc.queryForObject("SELECT count(*) FROM audit_entry WHERE " + where, Long.class,
				arguments);
		long limit = this.properties.abnormalRecordsPerDay();
		List<Object> query = new ArrayList<>();
		query.add(this.properties.reviewZone().getId());
		query.addAll(List.of(arguments));
		query.add(limit);
		List<Finding> findings = this.jdbc.query("SELECT actor, (recorded_at AT TIME ZONE ?)::date AS day, "
				+ "sum((details::jsonb ->> 'records')::bigint) AS records, count(*) AS reads FROM audit_entry WHERE "
				+ where + " GROUP BY actor, day HAVING sum((details::jsonb ->> 'records')::bigint) > ? "
				+ "ORDER BY actor, day", (rs, row) -> {
					java.time.LocalDate day = rs.getDate("day").toLocalDate();
					long records = rs.getLong("records");
					String actor = rs.getString("actor");
					return new Finding("abnormal-access", "high", "principal:" + actor, Optional.of(actor),
							actor + " was returned " + records + " content records on " + day + " in "
									+ rs.getLong("reads") + " read(s), more than " + limit + " a day",
							Optional.of(day), Optional.of(records));
				}, query.toArray());
		return new AccessLogReview(findings, (entries != null) ? entries : 0);
	}

	/**
	 * The findings on the state of principals, grants, tokens and custodians, and what
	 * was reviewed.
	 */
	record StateReview(List<Finding> findings, int principals, int grants, int tokens, int custodians, int privileged) {
	}

	/** The abnormal-access findings, and how many access-log entries were reviewed. */
	record AccessLogReview(List<Finding> findings, long entries) {
	}

}
