package io.chatvault.report;

import java.sql.Date;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Access (docs/access.md, "Tables the compliance report reads"): the permission audit of
 * the month (coverage of principals, findings by severity), or the access review of the
 * week; abnormal access; leavers and how fast their access was revoked; consent coverage
 * of the custodian registry.
 */
@Component
class AccessArea implements ReportArea {

	static final String AREA = "access";

	private final ReportEvidence evidence;

	AccessArea(ReportEvidence evidence) {
		this.evidence = evidence;
	}

	@Override
	public int order() {
		return 40;
	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(AREA, "Access");
		String job = (period.kind() == ReportPeriod.Kind.MONTHLY) ? "permission-audit" : "access-review";
		List<Map<String, Object>> reviews = this.evidence.jdbc()
			.queryForList("SELECT * FROM access_review_run WHERE job_name = ? AND period = ? "
					+ "ORDER BY job_execution_id DESC LIMIT 1", job, period.label());
		if (reviews.isEmpty()) {
			if (period.kind() == ReportPeriod.Kind.MONTHLY) {
				section.missing("principals covered by the permission audit", "%", Target.COMPLETE,
						"job permission-audit did not run for " + period.label());
			}
			section.missing("high-severity access findings", "count", Target.NONE,
					"job " + job + " did not run for " + period.label());
		}
		else {
			Map<String, Object> review = reviews.get(0);
			if (period.kind() == ReportPeriod.Kind.MONTHLY) {
				long reviewed = number(review.get("principals_reviewed"));
				long principals = this.evidence.jdbc()
					.queryForObject("SELECT count(*) FROM access_principal WHERE created_at < ?", Long.class,
							ReportEvidence.utc(period.end()));
				section.measured("principals covered by the permission audit",
						(principals == 0) ? 100 : JobRunsArea.percent(reviewed, principals), "%", Target.COMPLETE,
						reviewed + " reviewed of " + principals + " principals; "
								+ number(review.get("grants_reviewed")) + " live grants, "
								+ number(review.get("tokens_reviewed")) + " live tokens");
			}
			section.measured("high-severity access findings", number(review.get("findings_high")), "count", Target.NONE,
					job + " " + period.label());
			section.info("medium-severity access findings", number(review.get("findings_medium")), "count",
					job + " " + period.label());
			section.info("low-severity access findings", number(review.get("findings_low")), "count",
					job + " " + period.label());
		}
		long abnormal = this.evidence.jdbc()
			.queryForObject("SELECT count(*) FROM access_finding WHERE kind = 'abnormal-access' AND period = ? "
					+ "AND job_name = ?", Long.class, period.label(), job);
		if (!reviews.isEmpty()) {
			section.info("abnormal access (principal-days over the limit)", abnormal, "count",
					"more records in a day than chatvault.access.abnormal-records-per-day");
		}
		leavers(section, period);
		consent(section, period);
		section.table(new ReportTable("Findings of " + job + " " + period.label(),
				List.of("kind", "severity", "subject", "detail"),
				this.evidence.jdbc()
					.query("SELECT kind, severity, subject, detail FROM access_finding WHERE job_name = ? "
							+ "AND period = ? ORDER BY severity, kind, subject LIMIT 1000",
							(rs, row) -> List.<Object>of(rs.getString(1), rs.getString(2), rs.getString(3),
									rs.getString(4)),
							job, period.label())));
		return section.build();
	}

	private void leavers(Section.Builder section, ReportPeriod period) {
		// The delay from the departure day's start (in the report's zone) to the HR sync
		// that revoked the leaver's access.
		List<Object[]> leavers = this.evidence.jdbc()
			.query("""
					SELECT h.custodian_id, extract(epoch FROM (h.applied_at - (c.departure_date::timestamp AT TIME ZONE ?))),
						h.grants_revoked, h.tokens_revoked
					FROM access_hr_change h JOIN access_custodian c ON c.id = h.custodian_id
					WHERE h.change = 'leaver' AND h.applied_at >= ? AND h.applied_at < ? AND c.departure_date IS NOT NULL
					""",
					(rs, row) -> new Object[] { rs.getString(1), Math.max(0, rs.getDouble(2)), rs.getLong(3),
							rs.getLong(4) },
					period.zone().getId(), ReportEvidence.utc(period.start()), ReportEvidence.utc(period.end()));
		section.info("leavers revoked", leavers.size(), "count", "HR feed leavers applied in the period");
		if (!leavers.isEmpty()) {
			double mean = leavers.stream().mapToDouble((l) -> (Double) l[1]).average().orElse(0) / 3600;
			double max = leavers.stream().mapToDouble((l) -> (Double) l[1]).max().orElse(0) / 3600;
			section.measured("time to revoke a leaver's access (mean)", JobRunsArea.round(mean), "hours",
					Target.RESOLVED_WITHIN_4H,
					"from the start of the departure day; max " + JobRunsArea.round(max) + " h");
		}
		long stillLive = this.evidence.jdbc().queryForObject("""
				SELECT count(*) FROM access_custodian c JOIN access_principal p ON p.custodian_id = c.id
				WHERE c.status = 'departed' AND c.departure_date < ? AND (
					EXISTS (SELECT 1 FROM access_grant g WHERE g.principal_id = p.id AND g.revoked_at IS NULL)
					OR EXISTS (SELECT 1 FROM access_token t WHERE t.principal_id = p.id AND t.revoked_at IS NULL))
				""", Long.class, Date.valueOf(period.first().plusDays(period.days())));
		section.measured("leavers with live access", stillLive, "count", Target.NONE,
				"departed custodians whose principal still has a live grant or token (state now)");
	}

	private void consent(Section.Builder section, ReportPeriod period) {
		long[] consent = this.evidence.jdbc()
			.queryForObject(
					"SELECT count(*), count(consent_signed_on) FROM access_custodian WHERE status = 'active' "
							+ "AND created_at < ?",
					(rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) }, ReportEvidence.utc(period.end()));
		if (consent[0] == 0) {
			section.missing("custodians with signed consent", "%", Target.COMPLETE,
					"the custodian registry has no active custodian");
		}
		else {
			section.measured("custodians with signed consent", JobRunsArea.percent(consent[1], consent[0]), "%",
					Target.COMPLETE, consent[1] + " of " + consent[0] + " active custodians");
		}
	}

	private static long number(Object value) {
		return (value != null) ? ((Number) value).longValue() : 0;
	}

}
