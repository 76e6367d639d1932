package io.chatvault.report;

import java.sql.Date;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Checksum sampling (docs/integrity.md, "Tables the compliance report reads"): days of
 * the period sampled, items sampled and checked (verification completion: verified,
 * failed, or erased, whose data key an erasure destroyed and whose stored SHA-256 alone
 * can be checked), damaged objects, repaired and unrepairable, and the repair delay
 * (detected to repaired).
 */
@Component
class IntegrityArea implements ReportArea {

	static final String AREA = "integrity";

	static final String JOB = "checksum-sampling";

	/** The seed's repair delay: 15 minutes. */
	static final Target REPAIR_DELAY = Target.atMost(15, "min");

	private final ReportEvidence evidence;

	IntegrityArea(ReportEvidence evidence) {
		this.evidence = evidence;
	}

	@Override
	public int order() {
		return 60;
	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(AREA, "Integrity");
		if (!this.evidence.tableExists("integrity_run")) {
			return awaited(period, "; its tables (integrity_run) are not installed", section);
		}
		Date first = Date.valueOf(period.first());
		Date last = Date.valueOf(period.first().plusDays(period.days() - 1));
		Map<String, Object> runs = this.evidence.jdbc().queryForMap("""
				SELECT count(DISTINCT day) AS days, count(*) FILTER (WHERE full_pass) AS full_passes,
					coalesce(sum(sampled), 0) AS sampled, coalesce(sum(records_sampled), 0) AS records,
					coalesce(sum(verified), 0) AS verified, coalesce(sum(failed), 0) AS failed,
					coalesce(sum(erased), 0) AS erased,
					coalesce(sum(repaired), 0) AS repaired, coalesce(sum(unrepairable), 0) AS unrepairable
				FROM integrity_run WHERE day BETWEEN ? AND ?
				""", first, last);
		long days = number(runs.get("days"));
		if (days == 0) {
			return awaited(period, null, section);
		}
		long sampled = number(runs.get("sampled"));
		long verified = number(runs.get("verified"));
		long failed = number(runs.get("failed"));
		long erased = number(runs.get("erased"));
		section.measured("days sampled", JobRunsArea.percent(days, period.days()), "%", Target.COMPLETE,
				days + " of " + period.days() + " days; " + number(runs.get("full_passes")) + " full pass(es)");
		section.measured("verification completion (checksum sampling)",
				(sampled == 0) ? 100 : JobRunsArea.percent(verified + failed + erased, sampled), "%", Target.COMPLETE,
				(verified + failed + erased) + " of " + sampled + " sampled items checked");
		section.info("records sampled", number(runs.get("records")), "count", sampled + " items");
		section.info("erased items", erased, "count",
				"data key destroyed by an erasure: stored SHA-256 checked, content unreadable by design");
		section.info("damaged objects", failed, "count", "items that did not check out on the primary");
		section.info("objects repaired from the replica", number(runs.get("repaired")), "count", "");
		section.measured("objects unrepairable", number(runs.get("unrepairable")), "count", Target.NONE,
				"damaged in both copies");
		List<Double> delays = this.evidence.jdbc()
			.queryForList("SELECT extract(epoch FROM (repaired_at - detected_at)) / 60 FROM integrity_incident "
					+ "WHERE day BETWEEN ? AND ? AND repaired_at IS NOT NULL", Double.class, first, last);
		if (!delays.isEmpty()) {
			double mean = delays.stream().mapToDouble(Double::doubleValue).average().orElse(0);
			section.measured("time to repair (mean)", JobRunsArea.round(mean), "min", REPAIR_DELAY,
					"max " + JobRunsArea.round(delays.stream().mapToDouble(Double::doubleValue).max().orElse(0))
							+ " min over " + delays.size() + " repair(s)");
		}
		section.table(new ReportTable("Runs per day",
				List.of("day", "full pass", "sampled", "records sampled", "verified", "failed", "erased", "repaired",
						"unrepairable", "outcome"),
				this.evidence.jdbc()
					.query("SELECT day, full_pass, sampled, records_sampled, verified, failed, erased, repaired, "
							+ "unrepairable, outcome FROM integrity_run WHERE day BETWEEN ? AND ? ORDER BY day",
							(rs, row) -> List.<Object>of(rs.getDate(1).toLocalDate(), rs.getBoolean(2) ? "yes" : "no",
									rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
									rs.getLong(8), rs.getLong(9), rs.getString(10)),
							first, last)));
		section.table(new ReportTable("Damaged objects", List.of("day", "object", "problem", "outcome", "repaired at"),
				this.evidence.jdbc()
					.query("SELECT day, object_key, problem, outcome, repaired_at FROM integrity_incident "
							+ "WHERE day BETWEEN ? AND ? ORDER BY detected_at LIMIT 1000",
							(rs, row) -> java.util.Arrays.asList(rs.getDate(1).toLocalDate(), rs.getString(2),
									rs.getString(3), rs.getString(4), rs.getTimestamp(5)),
							first, last)));
		return section.build();
	}

	private Section awaited(ReportPeriod period, String why, Section.Builder section) {
		String reason = this.evidence.didNotRun(JOB, period) + ((why != null) ? why : "");
		section.missing("verification completion (checksum sampling)", "%", Target.COMPLETE, reason);
		section.missing("records sampled", "count", null, reason);
		section.missing("damaged objects", "count", null, reason);
		section.missing("time to repair (mean)", "min", REPAIR_DELAY, reason);
		return section.build();
	}

	private static long number(Object value) {
		return (value != null) ? ((Number) value).longValue() : 0;
	}

	static Duration cadence() {
		return Duration.ofDays(1);
	}

}
