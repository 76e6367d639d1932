package io.chatvault.report;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.chatvault.search.SearchProperties;

import org.springframework.stereotype.Component;

/**
 * The regulator-request drill (docs/search.md, "Tables the compliance report reads"): the
 * latest drill completed within its cadence (184 days) before the period's end, judged by
 * the thresholds it ran under ({@code search_drill_run.min_recall}, {@code max_seconds}):
 * the lowest recall of its requests against the full decrypt-and-scan, the requests that
 * passed, the slowest time to a complete result; and the records of its scopes that an
 * erasure made unreadable. A period with no drill completed in that window is a finding.
 */
@Component
class RegulatorDrillArea implements ReportArea {

	static final String AREA = "search";

	static final String JOB = "regulator-drill";

	private static final Duration CADENCE = Duration.ofDays(184);

	private final ReportEvidence evidence;

	private final SearchProperties.Drill configured;

	RegulatorDrillArea(ReportEvidence evidence, SearchProperties search) {
		this.evidence = evidence;
		this.configured = search.drill();
	}

	@Override
	public int order() {
		return 72;
	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(AREA, "Regulator drill");
		if (!this.evidence.tableExists("search_drill_run")) {
			return awaited(section,
					this.evidence.didNotRun(JOB, period) + "; its tables (search_drill_run) are not installed");
		}
		Instant[] window = this.evidence.evidenceWindow(JOB, period, CADENCE);
		List<Map<String, Object>> drills = this.evidence.jdbc()
			.queryForList(
					"SELECT * FROM search_drill_run WHERE completed_at >= ? AND completed_at < ? "
							+ "ORDER BY completed_at DESC",
					ReportEvidence.utc(window[0]), ReportEvidence.utc(window[1]));
		if (drills.isEmpty()) {
			return awaited(section, "job " + JOB + " did not complete a drill in the " + CADENCE.toDays()
					+ " days before the end of " + period.label());
		}
		Map<String, Object> latest = drills.get(0);
		Target recallTarget = minimumRecall(((BigDecimal) latest.get("min_recall")).doubleValue());
		Target timeTarget = maximumTime(((BigDecimal) latest.get("max_seconds")).doubleValue());
		List<Map<String, Object>> requests = this.evidence.jdbc()
			.queryForList("SELECT * FROM search_drill_request WHERE job_execution_id = ? ORDER BY name",
					latest.get("job_execution_id"));
		String drill = "drill " + latest.get("half") + " (completed " + instant(latest.get("completed_at")) + ")";
		if (requests.isEmpty()) {
			return awaited(section, drill + " recorded no request");
		}
		Map<String, Object> lowest = requests.get(0);
		Map<String, Object> slowest = requests.get(0);
		long passed = 0;
		long erased = 0;
		for (Map<String, Object> request : requests) {
			if (recall(request) < recall(lowest)) {
				lowest = request;
			}
			if (number(request, "complete_ms") > number(slowest, "complete_ms")) {
				slowest = request;
			}
			passed += Boolean.TRUE.equals(request.get("passed")) ? 1 : 0;
			erased = Math.max(erased, number(request, "erased"));
		}
		section.measured("regulator drill recall (lowest request)", JobRunsArea.round(recall(lowest) * 100), "%",
				recallTarget, "'" + lowest.get("name") + "': " + lowest.get("found") + " of " + lowest.get("expected")
						+ " records a full scan finds; " + drill);
		section.measured("regulator drill requests passed", JobRunsArea.percent(passed, requests.size()), "%",
				Target.COMPLETE, passed + " of " + requests.size() + " requests within the recall and time thresholds");
		section.measured("regulator drill time to the complete result (slowest)",
				JobRunsArea.round(number(slowest, "complete_ms") / 1000.0), "s", timeTarget,
				"'" + slowest.get("name") + "'");
		section.info("records erased in the drill's scope (largest request)", erased, "count",
				"unreadable after a GDPR erasure: neither scanned nor expected");
		section.table(new ReportTable("Requests of " + drill,
				List.of("request", "query (redacted)", "hits", "expected", "found", "scanned", "erased", "recall",
						"complete (s)", "passed", "detail"),
				requests.stream()
					.map((r) -> List.<Object>of(r.get("name"), r.get("redacted_query"), r.get("hits"),
							r.get("expected"), r.get("found"), r.get("scanned"), r.get("erased"), recall(r),
							number(r, "complete_ms") / 1000.0, r.get("passed"), r.get("detail")))
					.toList()));
		return section.build();
	}

	/** The recall target of a minimum recall (0.999 is at least 99.9%). */
	private static Target minimumRecall(double minRecall) {
		return Target.atLeast(JobRunsArea.round(minRecall * 100), "%");
	}

	private static Target maximumTime(double maxSeconds) {
		return Target.atMost(maxSeconds, "s");
	}

	private static double recall(Map<String, Object> request) {
		return ((BigDecimal) request.get("recall")).doubleValue();
	}

	private static long number(Map<String, Object> row, String column) {
		return ((Number) row.get(column)).longValue();
	}

	private static String instant(Object timestamp) {
		return ((java.sql.Timestamp) timestamp).toInstant().toString();
	}

	/** Findings, with the thresholds configured for the next drill. */
	private Section awaited(Section.Builder section, String why) {
		section.missing("regulator drill recall (lowest request)", "%", minimumRecall(this.configured.minRecall()),
				why);
		section.missing("regulator drill requests passed", "%", Target.COMPLETE, why);
		section.missing("regulator drill time to the complete result (slowest)", "s",
				maximumTime(this.configured.maxTime().toMillis() / 1000.0), why);
		return section.build();
	}

}
