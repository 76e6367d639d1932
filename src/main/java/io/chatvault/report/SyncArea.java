package io.chatvault.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chatvault.custodian.CustodianGroup;
import io.chatvault.custodian.CustodianGroups;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Sync windows (docs/sync.md, "Tables the compliance report reads"): windows completed
 * against those each group's cadence expects, their reconciliation, missed windows, late
 * arrivals, alerts, and the capture latency (sent to captured) the windows measured.
 * Windows are counted by their end: a window belongs to the period its end lies in.
 *
 * <p>
 * A period's latency is made of the windows' figures: p50 is the sample-weighted mean of
 * the windows' p50 (the "average capture latency" of the seed, as close as per-window
 * percentiles allow), p95 the sample-weighted mean of their p95, max the largest max.
 */
@Component
class SyncArea implements ReportArea {

	static final String AREA = "sync";

	static final String MEASURE = "sent_to_captured";

	private final ReportEvidence evidence;

	private final ObjectProvider<CustodianGroups> groups;

	SyncArea(ReportEvidence evidence, ObjectProvider<CustodianGroups> groups) {
		this.evidence = evidence;
		this.groups = groups;
	}

	@Override
	public int order() {
		return 20;
	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(AREA, "Sync");
		Object from = ReportEvidence.utc(period.start());
		Object to = ReportEvidence.utc(period.end());
		Map<String, long[]> perGroup = new LinkedHashMap<>();
		this.evidence.jdbc().query("""
				SELECT group_name, count(*), max(cadence_seconds), sum(missed_windows), sum(archived), sum(duplicates),
					sum(quarantined), coalesce(sum(late_arrivals), 0), sum(alerts),
					count(*) FILTER (WHERE coalesce(inbox_records, 0) + coalesce(polled_records, 0)
						+ coalesce(dropped_records, 0) = archived + duplicates + quarantined)
				FROM sync_window WHERE window_end > ? AND window_end <= ? GROUP BY 1 ORDER BY 1
				""", (org.springframework.jdbc.core.RowCallbackHandler) (rs) -> {
			long[] figures = new long[9];
			for (int i = 0; i < 9; i++) {
				figures[i] = rs.getLong(i + 2);
			}
			perGroup.put(rs.getString(1), figures);
		}, from, to);
		long periodSeconds = Duration.between(period.start(), period.end()).toSeconds();
		List<CustodianGroup> configured = this.groups.stream().flatMap((g) -> g.groups().stream()).toList();
		List<List<Object>> rows = new ArrayList<>();
		long windows = 0;
		long expected = 0;
		long reconciled = 0;
		for (CustodianGroup group : configured) {
			perGroup.putIfAbsent(group.name(), null);
		}
		for (Map.Entry<String, long[]> entry : perGroup.entrySet()) {
			long[] f = entry.getValue();
			long cadence = configured.stream()
				.filter((g) -> g.name().equals(entry.getKey()))
				.map((g) -> g.cadence().toSeconds())
				.findFirst()
				.orElse((f != null) ? f[1] : 0L);
			long expectedWindows = (cadence > 0) ? periodSeconds / cadence : 0;
			expected += expectedWindows;
			if (f == null) {
				section.missing("windows of group " + entry.getKey(), "count", Target.atLeast(expectedWindows, ""),
						"job sync did not complete a window of group " + entry.getKey() + " in " + period.label());
				rows.add(List.of(entry.getKey(), expectedWindows, 0L, "", "", "", "", "", "", ""));
				continue;
			}
			windows += f[0];
			reconciled += f[8];
			rows.add(List.of(entry.getKey(), expectedWindows, f[0], f[2], f[3], f[4], f[5], f[6], f[7], f[0] - f[8]));
		}
		if (perGroup.isEmpty()) {
			section.missing("sync windows completed", "%", Target.BACKUP_COVERAGE,
					this.evidence.didNotRun("sync", period));
		}
		else if (expected > 0) {
			section.measured("sync windows completed", JobRunsArea.percent(windows, expected), "%",
					Target.BACKUP_COVERAGE, windows + " of " + expected + " windows the groups' cadences expect");
		}
		if (windows > 0) {
			section.measured("windows reconciled (read = archived + duplicates + quarantined)",
					JobRunsArea.percent(reconciled, windows), "%", Target.COMPLETE,
					reconciled + " of " + windows + " windows");
		}
		section.table(
				new ReportTable("Windows per custodian group",
						List.of("group", "windows expected", "windows completed", "missed windows caught up",
								"archived", "duplicates", "quarantined", "late arrivals", "alerts", "unreconciled"),
						rows));
		latency(section, period, from, to);
		section.detail(new DetailSheet("Sync windows",
				List.of("group", "window start", "window end", "missed", "inbox records", "polled records",
						"dropped records", "archived", "duplicates", "quarantined", "late arrivals", "alerts",
						"latency samples", "p50 ms", "p95 ms", "max ms"),
				"""
						SELECT w.group_name, w.window_start, w.window_end, w.missed_windows, w.inbox_records,
							w.polled_records, w.dropped_records, w.archived, w.duplicates, w.quarantined,
							w.late_arrivals, w.alerts, l.samples, l.p50_ms, l.p95_ms, l.max_ms
						FROM sync_window w LEFT JOIN sync_window_latency l ON l.group_name = w.group_name
							AND l.window_end = w.window_end AND l.measure = ?
						WHERE w.window_end > ? AND w.window_end <= ? ORDER BY w.window_end, w.group_name
						""", List.of(MEASURE, from, to)));
		return section.build();
	}

	private void latency(Section.Builder section, ReportPeriod period, Object from, Object to) {
		Map<String, Object> latency = this.evidence.jdbc().queryForMap("""
				SELECT sum(samples) AS samples, sum(p50_ms * samples)::float8 / nullif(sum(samples), 0) AS p50,
					sum(p95_ms * samples)::float8 / nullif(sum(samples), 0) AS p95, max(max_ms) AS max
				FROM sync_window_latency WHERE measure = ? AND window_end > ? AND window_end <= ?
				""", MEASURE, from, to);
		if (latency.get("samples") == null) {
			section.missing("capture latency p50", "ms", Target.CAPTURE_LATENCY,
					"no capture latency was measured in " + period.label() + " (no sync window with inbox deliveries)");
			return;
		}
		long samples = ((Number) latency.get("samples")).longValue();
		section.measured("capture latency p50", Math.round(((Number) latency.get("p50")).doubleValue()), "ms",
				Target.CAPTURE_LATENCY, "sample-weighted over the windows, " + samples + " records");
		section.info("capture latency p95", Math.round(((Number) latency.get("p95")).doubleValue()), "ms",
				"sample-weighted over the windows");
		section.info("capture latency max", ((Number) latency.get("max")).doubleValue(), "ms", "largest of any window");
	}

}
