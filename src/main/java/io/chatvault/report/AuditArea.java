package io.chatvault.report;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * The audit log (docs/audit.md, "Tables the compliance report reads"): audit coverage
 * (job executions that ended in the period with their {@code job.end} entry), days
 * anchored in the write-once store, and the last verification of the chain.
 */
@Component
class AuditArea implements ReportArea {

	static final String AREA = "audit";

	private final ReportEvidence evidence;

	AuditArea(ReportEvidence evidence) {
		this.evidence = evidence;
	}

	@Override
	public int order() {
		return 50;
	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(AREA, "Audit");
		long[] coverage = this.evidence.jdbc()
			.queryForObject(
					"""
							SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM audit_entry a WHERE a.action = 'job.end'
								AND a.target = 'execution:' || e.job_execution_id))
							FROM batch_job_execution e WHERE e.end_time >= ? AND e.end_time < ?
							""",
					(rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) }, ReportEvidence.local(period.start()),
					ReportEvidence.local(period.end()));
		if (coverage[0] == 0) {
			section.missing("job runs in the audit log", "%", Target.AUDIT_COVERAGE,
					"no job execution ended in " + period.label());
		}
		else {
			section.measured("job runs in the audit log", JobRunsArea.percent(coverage[1], coverage[0]), "%",
					Target.AUDIT_COVERAGE, coverage[1] + " of " + coverage[0] + " executions ended in the period");
		}
		long anchoredDays = this.evidence.jdbc()
			.queryForObject(
					"SELECT count(DISTINCT (anchored_at AT TIME ZONE ?)::date) FROM audit_anchor "
							+ "WHERE anchored_at >= ? AND anchored_at < ?",
					Long.class, period.zone().getId(), ReportEvidence.utc(period.start()),
					ReportEvidence.utc(period.end()));
		if (anchoredDays == 0) {
			section.missing("days with an audit anchor", "%", Target.COMPLETE,
					this.evidence.didNotRun("audit-anchor", period));
		}
		else {
			section.measured("days with an audit anchor", JobRunsArea.percent(anchoredDays, period.days()), "%",
					Target.COMPLETE, anchoredDays + " of " + period.days() + " days anchored in the write-once store");
		}
		Map<String, Object> entries = this.evidence.jdbc()
			.queryForMap(
					"SELECT count(*) AS entries, count(*) FILTER (WHERE action = 'content.read') AS reads, "
							+ "count(*) FILTER (WHERE outcome = 'denied') AS denied FROM audit_entry "
							+ "WHERE recorded_at >= ? AND recorded_at < ?",
					ReportEvidence.utc(period.start()), ReportEvidence.utc(period.end()));
		section.info("audit entries", ((Number) entries.get("entries")).longValue(), "count", "appended in the period");
		section.info("content reads", ((Number) entries.get("reads")).longValue(), "count",
				"content.read entries (each by an authenticated principal)");
		section.info("refusals", ((Number) entries.get("denied")).longValue(), "count", "entries with outcome denied");
		List<Map<String, Object>> verify = this.evidence.jdbc()
			.queryForList("SELECT recorded_at, outcome FROM audit_entry WHERE action = 'audit.verify' "
					+ "AND recorded_at < ? ORDER BY sequence DESC LIMIT 1", ReportEvidence.utc(period.end()));
		section.table(new ReportTable("Last verification of the chain", List.of("verified at", "outcome"),
				verify.isEmpty() ? List.of(List.of("never", "")) : List
					.of(List.of(String.valueOf(verify.get(0).get("recorded_at")), verify.get(0).get("outcome")))));
		section.table(new ReportTable("Audit entries per action", List.of("action", "entries"),
				this.evidence.jdbc()
					.query("SELECT action, count(*) FROM audit_entry WHERE recorded_at >= ? AND recorded_at < ? "
							+ "GROUP BY 1 ORDER BY 1", (rs, row) -> List.<Object>of(rs.getString(1), rs.getLong(2)),
							ReportEvidence.utc(period.start()), ReportEvidence.utc(period.end()))));
		return section.build();
	}

}
