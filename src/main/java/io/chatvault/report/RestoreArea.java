package io.chatvault.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Restore drills (docs/restore.md, "Tables the compliance report reads"): the latest
 * drill within the drills' cadence (90 days) before the period's end, its success rate
 * (records verified of those expected; the seed asks 99.95%), the custodians restored
 * complete, and the time per account (the seed asks under 20 minutes for a full account).
 */
@Component
class RestoreArea implements ReportArea {

	static final String AREA = "restore";

	static final String JOB = "restore-drill";

	static final Target SUCCESS = Target.atLeast(99.95, "%");

	static final Target TIME_PER_ACCOUNT = Target.below(20, "min");

	private final ReportEvidence evidence;

	RestoreArea(ReportEvidence evidence) {
		this.evidence = evidence;
	}

	@Override
	public int order() {
		return 61;
	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(AREA, "Restore drills");
		if (!this.evidence.tableExists("restore_drill_run")) {
			return awaited(section,
					this.evidence.didNotRun(JOB, period) + "; its tables (restore_drill_run) are not installed");
		}
		Instant[] window = this.evidence.evidenceWindow(JOB, period, Duration.ofDays(92));
		List<Map<String, Object>> drills = this.evidence.jdbc()
			.queryForList(
					"SELECT * FROM restore_drill_run WHERE completed_at >= ? AND completed_at < ? "
							+ "ORDER BY completed_at DESC",
					ReportEvidence.utc(window[0]), ReportEvidence.utc(window[1]));
		if (drills.isEmpty()) {
			return awaited(section,
					"job " + JOB + " did not complete a drill in the 92 days before the end of " + period.label());
		}
		Map<String, Object> latest = drills.get(0);
		long expected = ((Number) latest.get("records_expected")).longValue();
		long verified = ((Number) latest.get("records_verified")).longValue();
		section.measured("restore drill success rate", (expected == 0) ? 100 : JobRunsArea.percent(verified, expected),
				"%", SUCCESS, verified + " of " + expected + " records verified; drill " + latest.get("quarter") + " "
						+ latest.get("scope") + ", report " + latest.get("report_key"));
		int drawn = ((Number) latest.get("custodians_drawn")).intValue();
		int complete = ((Number) latest.get("custodians_complete")).intValue();
		section.measured("restore drills succeeded", JobRunsArea.percent(complete, drawn), "%", Target.COMPLETE,
				complete + " of " + drawn + " custodians restored complete");
		Double minutes = this.evidence.jdbc()
			.queryForObject(
					"SELECT avg(restore_ms + verify_ms) / 60000.0 FROM restore_drill_account "
							+ "WHERE job_instance_id = ? AND scope = 'full'",
					Double.class, latest.get("job_instance_id"));
		if (minutes != null) {
			section.measured("restore time per account (mean)", JobRunsArea.round(minutes), "min", TIME_PER_ACCOUNT,
					"restore and verification of a full account");
		}
		section.table(new ReportTable("Drills in the 92 days before the period's end",
				List.of("quarter", "scope", "custodians drawn", "complete", "records expected", "records verified",
						"outcome", "completed at"),
				drills.stream()
					.map((d) -> List.<Object>of(d.get("quarter"), d.get("scope"), d.get("custodians_drawn"),
							d.get("custodians_complete"), d.get("records_expected"), d.get("records_verified"),
							d.get("outcome"), String.valueOf(d.get("completed_at"))))
					.toList()));
		return section.build();
	}

	private static Section awaited(Section.Builder section, String why) {
		section.missing("restore drills succeeded", "%", Target.COMPLETE, why);
		section.missing("restore drill success rate", "%", SUCCESS, why);
		section.missing("restore time per account (mean)", "min", TIME_PER_ACCOUNT, why);
		return section.build();
	}

}
