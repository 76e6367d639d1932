package io.chatvault.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts a report together: every area's section, in order, and the daily figures the
 * charts draw.
 */
@Component
class ComplianceReport {

	private final List<ReportArea> areas;

	private final JdbcTemplate jdbc;

	ComplianceReport(List<ReportArea> areas, JdbcTemplate jdbc) {
		this.areas = areas.stream().sorted(Comparator.comparingInt(ReportArea::order)).toList();
		this.jdbc = jdbc;
	}

	/**
	 * The report of a period.
	 * @param period the period
	 * @return its sections and daily figures
	 */
	Contents compute(ReportPeriod period) {
		List<Section> sections = new ArrayList<>();
		for (ReportArea area : this.areas) {
			if (period.kind() == ReportPeriod.Kind.WEEKLY && area instanceof MigrationArea) {
				// The weekly report is the shorter one: migrations are a monthly matter.
				continue;
			}
			sections.add(area.section(period));
		}
		return new Contents(period, sections, daily(period));
	}

	private List<DailyFigures> daily(ReportPeriod period) {
		Map<LocalDate, Long> records = new HashMap<>();
		this.jdbc.query(
				"SELECT (sent_at AT TIME ZONE ?)::date, count(*) FROM vault_message "
						+ "WHERE sent_at >= ? AND sent_at < ? GROUP BY 1",
				(org.springframework.jdbc.core.RowCallbackHandler) (rs) -> records.put(rs.getDate(1).toLocalDate(),
						rs.getLong(2)),
				period.zone().getId(), ReportEvidence.utc(period.start()), ReportEvidence.utc(period.end()));
		Map<LocalDate, long[]> latency = new HashMap<>();
		this.jdbc.query("""
				SELECT ((window_end - interval '1 microsecond') AT TIME ZONE ?)::date,
					round(sum(p50_ms * samples)::numeric / sum(samples)), max(p95_ms)
				FROM sync_window_latency WHERE measure = ? AND samples > 0 AND window_end > ? AND window_end <= ?
				GROUP BY 1
				""", (org.springframework.jdbc.core.RowCallbackHandler) (rs) -> {
			latency.put(rs.getDate(1).toLocalDate(), new long[] { rs.getLong(2), rs.getLong(3) });
		}, period.zone().getId(), SyncArea.MEASURE, ReportEvidence.utc(period.start()),
				ReportEvidence.utc(period.end()));
		List<DailyFigures> days = new ArrayList<>();
		for (LocalDate day : period.dates()) {
			long[] l = latency.get(day);
			days.add(new DailyFigures(day, records.getOrDefault(day, 0L), Optional.ofNullable(l).map((v) -> v[0]),
					Optional.ofNullable(l).map((v) -> v[1])));
		}
		return days;
	}

	/**
	 * A computed report.
	 *
	 * @param period the period
	 * @param sections the areas' sections, in order
	 * @param daily one entry per day of the period
	 */
	record Contents(ReportPeriod period, List<Section> sections, List<DailyFigures> daily) {

		List<Kpi> kpis() {
			return this.sections.stream().flatMap((section) -> section.kpis().stream()).toList();
		}

		long count(Kpi.Status status) {
			return kpis().stream().filter((kpi) -> kpi.status() == status).count();
		}

	}

}
