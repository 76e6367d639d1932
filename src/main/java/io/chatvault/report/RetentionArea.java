package io.chatvault.report;

import java.sql.Date;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Retention, holds and disposition (docs/retention.md, "Tables the compliance report
 * reads"): the days of the period with a disposition run (daily job), records and objects
 * disposed of, records kept for a hold, live holds, and held records disposed of (records
 * a run removed while a live hold covered their custodian and sent time: must be none).
 */
@Component
class RetentionArea implements ReportArea {

	static final String AREA = "retention";

	static final String JOB = "disposition";

	private final ReportEvidence evidence;

	RetentionArea(ReportEvidence evidence) {
		this.evidence = evidence;
	}

	@Override
	public int order() {
		return 70;
	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(AREA, "Retention");
		if (!this.evidence.tableExists("retention_disposition_run")) {
			String why = this.evidence.didNotRun(JOB, period) + "; its tables (retention_disposition_run) are not "
					+ "installed";
			section.missing("days with a disposition run", "%", Target.COMPLETE, why);
			section.missing("held records disposed of", "count", Target.NONE, why);
			return section.build();
		}
		Date first = Date.valueOf(period.first());
		Date last = Date.valueOf(period.first().plusDays(period.days() - 1));
		Map<String, Object> runs = this.evidence.jdbc().queryForMap("""
				SELECT count(DISTINCT day) AS days, coalesce(sum(records_disposed), 0) AS records,
					coalesce(sum(records_held), 0) AS held, coalesce(sum(files_disposed), 0) AS files,
					coalesce(sum(objects_deleted), 0) AS objects, coalesce(sum(objects_awaiting_lock), 0) AS awaiting
				FROM retention_disposition_run WHERE NOT dry_run AND completed_at IS NOT NULL AND day BETWEEN ? AND ?
				""", first, last);
		long days = ((Number) runs.get("days")).longValue();
		long live = this.evidence.jdbc()
			.queryForObject(
					"SELECT count(*) FROM retention_hold WHERE created_at < ? AND (released_at IS NULL "
							+ "OR released_at >= ?)",
					Long.class, ReportEvidence.utc(period.end()), ReportEvidence.utc(period.end()));
		section.info("legal holds live at the end of the period", live, "count", "retention_hold");
		if (days == 0) {
			String why = this.evidence.didNotRun(JOB, period);
			section.missing("days with a disposition run", "%", Target.COMPLETE, why);
			section.missing("held records disposed of", "count", Target.NONE, why);
			return section.build();
		}
		section.measured("days with a disposition run", JobRunsArea.percent(days, period.days()), "%", Target.COMPLETE,
				days + " of " + period.days() + " days (dry runs not counted)");
		section.info("records disposed of", ((Number) runs.get("records")).longValue(), "count",
				"past their retention, not on hold");
		section.info("records kept for a legal hold", ((Number) runs.get("held")).longValue(), "count",
				"expired but held");
		section.info("objects deleted", ((Number) runs.get("objects")).longValue(), "count",
				((Number) runs.get("awaiting")).longValue() + " more awaiting the end of their lock");
		long heldDisposed = this.evidence.jdbc().queryForObject("""
				SELECT count(*) FROM retention_disposed_record r
				JOIN retention_disposition_run d ON d.job_instance_id = r.job_instance_id AND NOT d.dry_run
				WHERE d.day BETWEEN ? AND ? AND EXISTS (SELECT 1 FROM retention_hold h
					WHERE r.custodian = ANY (h.custodians) AND h.created_at <= d.started_at
					AND (h.released_at IS NULL OR h.released_at > d.started_at)
					AND (h.from_at IS NULL OR r.sent_at >= h.from_at) AND (h.to_at IS NULL OR r.sent_at < h.to_at))
				""", Long.class, first, last);
		section.measured("held records disposed of", heldDisposed, "count", Target.NONE,
				"records removed while a live hold covered their custodian and sent time");
		return section.build();
	}

}
