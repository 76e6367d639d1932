package io.chatvault.migration;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code migration_reconciliation} table: one row per run (job instance) and export.
 */
@Repository
class ReconciliationRepository {

	private final JdbcClient jdbc;

	ReconciliationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void save(long jobInstanceId, long jobExecutionId, ExportReconciliation export) {
		Reconciliation r = export.figures();
		this.jdbc.sql("""
				INSERT INTO migration_reconciliation (job_instance_id, export, export_name, format, job_execution_id,
					step_name, status, read_count, archived, duplicates, quarantined, bytes_stored)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (job_instance_id, export) DO UPDATE SET job_execution_id = EXCLUDED.job_execution_id,
					step_name = EXCLUDED.step_name, status = EXCLUDED.status, read_count = EXCLUDED.read_count,
					archived = EXCLUDED.archived, duplicates = EXCLUDED.duplicates,
					quarantined = EXCLUDED.quarantined, bytes_stored = EXCLUDED.bytes_stored, updated_at = now()
				""")
			.params(jobInstanceId, export.export(), export.name(), export.format(), jobExecutionId, export.stepName(),
					export.status(), r.read(), r.archived(), r.duplicates(), r.quarantined(), r.bytesStored())
			.update();
	}

	List<ExportReconciliation> findByJobInstance(long jobInstanceId) {
		return this.jdbc.sql("""
				SELECT export, export_name, format, step_name, status, read_count, archived, duplicates, quarantined,
					bytes_stored
				FROM migration_reconciliation WHERE job_instance_id = ? ORDER BY step_name
				""")
			.param(jobInstanceId)
			.query((rs, row) -> new ExportReconciliation(rs.getString("export"), rs.getString("export_name"),
					rs.getString("format"), rs.getString("step_name"), rs.getString("status"),
					new Reconciliation(rs.getLong("read_count"), rs.getLong("archived"), rs.getLong("duplicates"),
							rs.getLong("quarantined"), rs.getLong("bytes_stored"))))
			.list();
	}

	/**
	 * The reconciliation of one export in a run.
	 *
	 * @param export the export's absolute path
	 * @param name its path relative to the migrated source
	 * @param format its format
	 * @param stepName the partition's step name
	 * @param status the partition's batch status
	 * @param figures the counts
	 */
	record ExportReconciliation(String export, String name, String format, String stepName, String status,
			Reconciliation figures) {
	}

}
