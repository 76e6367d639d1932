package io.chatvault.report;

import java.util.List;

import org.springframework.stereotype.Component;

/**
 * Migrations (docs/migration.md): the exports reconciled by migration runs that started
 * in the period (read = archived + duplicates + quarantined, per export), and the files
 * found. Migration runs by hand, once per backlog: a period without one is not a finding.
 */
@Component
class MigrationArea implements ReportArea {

	static final String AREA = "migration";

	private final ReportEvidence evidence;

	MigrationArea(ReportEvidence evidence) {
		this.evidence = evidence;
	}

	@Override
	public int order() {
		return 30;
	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(AREA, "Migration");
		Object from = ReportEvidence.local(period.start());
		Object to = ReportEvidence.local(period.end());
		String instances = """
				SELECT DISTINCT e.job_instance_id FROM batch_job_execution e
				JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
				WHERE i.job_name = 'migration' AND e.start_time >= ? AND e.start_time < ?
				""";
		List<List<Object>> exports = this.evidence.jdbc()
			.query("""
					SELECT r.export_name, r.format, r.status, r.read_count, r.archived, r.duplicates, r.quarantined,
						r.read_count = r.archived + r.duplicates + r.quarantined
					FROM migration_reconciliation r WHERE r.job_instance_id IN (%s) ORDER BY r.export_name
					""".formatted(instances),
					(rs, row) -> List.<Object>of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
							rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getBoolean(8) ? "yes" : "NO"),
					from, to);
		long runs = this.evidence.jdbc()
			.queryForObject("SELECT count(*) FROM (" + instances + ") x", Long.class, from, to);
		section.info("migration runs", runs, "count", "job instances with an execution started in the period");
		if (exports.isEmpty()) {
			section.info("exports migrated", 0, "count", "migration runs by hand; none ran in " + period.label());
		}
		else {
			long reconciled = exports.stream().filter((row) -> "yes".equals(row.get(7))).count();
			section.info("exports migrated", exports.size(), "count", "");
			section.measured("exports reconciled", JobRunsArea.percent(reconciled, exports.size()), "%",
					Target.COMPLETE, "read = archived + duplicates + quarantined");
			section.info("records read by migrations", exports.stream().mapToLong((row) -> (Long) row.get(3)).sum(),
					"count", "");
			section.info("records quarantined by migrations",
					exports.stream().mapToLong((row) -> (Long) row.get(6)).sum(), "count", "");
		}
		section.table(new ReportTable("Exports reconciled",
				List.of("export", "format", "status", "read", "archived", "duplicates", "quarantined", "reconciled"),
				exports));
		section.table(new ReportTable("Files found under the migrated sources", List.of("kind", "files", "bytes"),
				this.evidence.jdbc()
					.query("SELECT kind, sum(files), sum(bytes) FROM migration_file WHERE job_instance_id IN ("
							+ instances + ") GROUP BY 1 ORDER BY 1",
							(rs, row) -> List.<Object>of(rs.getString(1), rs.getLong(2), rs.getLong(3)), from, to)));
		return section.build();
	}

}
