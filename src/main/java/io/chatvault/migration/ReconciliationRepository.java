package io.chatvault.migration;

import java.util.List;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
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
					step_name, status, read_count, archived, duplicates, quarantined, bytes_stored, first_quarantined)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (job_instance_id, export) DO UPDATE SET job_execution_id = EXCLUDED.job_execution_id,
					step_name = EXCLUDED.step_name, status = EXCLUDED.status, read_count = EXCLUDED.read_count,
					archived = EXCLUDED.archived, duplicates = EXCLUDED.duplicates,
					quarantined = EXCLUDED.quarantined, bytes_stored = EXCLUDED.bytes_stored,
					first_quarantined = EXCLUDED.first_quarantined, updated_at = now()
				""")
			.params(jobInstanceId, export.export(), export.name(), export.format(), jobExecutionId, export.stepName(),
					export.status(), r.read(), r.archived(), r.duplicates(), r.quarantined(), r.bytesStored(),
					export.firstQuarantined())
			.update();
	}

	/**
	 * The reconciliation of a run's exports, with the figures an execution holds in
	 * memory taking the place of the stored rows of its partitions: a run that failed
	 * because the database or the disk failed may not have stored its rows, but its
	 * partitions' contexts hold what their committed chunks archived (Batch restores a
	 * partition's context to its last commit when a chunk rolls back).
	 * @param jobInstanceId the run
	 * @param current the execution that just ran, if any
	 * @return one reconciliation per export, by partition name
	 */
	List<ExportReconciliation> findByJobInstance(long jobInstanceId, JobExecution current) {
		java.util.Map<String, ExportReconciliation> byExport = new java.util.TreeMap<>();
		List<ExportReconciliation> stored;
		try {
			stored = findByJobInstance(jobInstanceId);
		}
		catch (org.springframework.dao.DataAccessException ex) {
			stored = List.of();
		}
		for (ExportReconciliation row : stored) {
			byExport.put(row.export(), row);
		}
		if (current != null) {
			for (StepExecution step : current.getStepExecutions()) {
				ExecutionContext context = step.getExecutionContext();
				if (!context.containsKey(ExportPartitioner.EXPORT)) {
					continue;
				}
				String export = context.getString(ExportPartitioner.EXPORT);
				String name = context.getString(ExportPartitioner.EXPORT_NAME, export);
				byExport.put(export,
						new ExportReconciliation(export, name, context.getString(ExportPartitioner.FORMAT, ""),
								step.getStepName(), step.getStatus().name(), Reconciliation.of(context),
								Reconciliation.firstQuarantined(context)));
			}
		}
		return byExport.values()
			.stream()
			.sorted(java.util.Comparator.comparing(ExportReconciliation::stepName))
			.toList();
	}

	List<ExportReconciliation> findByJobInstance(long jobInstanceId) {
		return this.jdbc.sql("""
				SELECT export, export_name, format, step_name, status, read_count, archived, duplicates, quarantined,
					bytes_stored, first_quarantined
				FROM migration_reconciliation WHERE job_instance_id = ? ORDER BY step_name
				""")
			.param(jobInstanceId)
			.query((rs, row) -> new ExportReconciliation(rs.getString("export"), rs.getString("export_name"),
					rs.getString("format"), rs.getString("step_name"), rs.getString("status"),
					new Reconciliation(rs.getLong("read_count"), rs.getLong("archived"), rs.getLong("duplicates"),
							rs.getLong("quarantined"), rs.getLong("bytes_stored")),
					rs.getString("first_quarantined")))
			.list();
	}

	/**
	 * Records the inventory of a run's source ({@code migration_file}); a restart records
	 * it again, as it finds it then.
	 */
	void saveFiles(long jobInstanceId, SourceInventory.Inventory inventory) {
		List<Object[]> rows = inventory.items()
			.stream()
			.map((item) -> new Object[] { jobInstanceId, item.name(), item.kind().key(),
					(item.format() != null) ? item.format().key() : null, item.files(), item.size(), item.reason() })
			.toList();
		this.jdbc.sql("DELETE FROM migration_file WHERE job_instance_id = ?").param(jobInstanceId).update();
		for (Object[] row : rows) {
			this.jdbc.sql("""
					INSERT INTO migration_file (job_instance_id, name, kind, format, files, bytes, reason)
					VALUES (?, ?, ?, ?, ?, ?, ?)
					""").params(row).update();
		}
	}

	/** The files of a run's source, as {@link #saveFiles} recorded them, by name. */
	List<SourceFile> findFiles(long jobInstanceId) {
		return this.jdbc
			.sql("SELECT name, kind, format, files, bytes, reason FROM migration_file WHERE job_instance_id = ? "
					+ "ORDER BY name")
			.param(jobInstanceId)
			.query((rs, row) -> new SourceFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
					rs.getLong(5), rs.getString(6)))
			.list();
	}

	/**
	 * A file (or export directory) under a run's source.
	 *
	 * @param name its path relative to the source
	 * @param kind {@code export}, {@code quarantined} or {@code not-an-export}
	 * @param format its format, for an export
	 * @param files how many files it holds
	 * @param bytes its size
	 * @param reason why it is quarantined or not an export
	 */
	record SourceFile(String name, String kind, String format, long files, long bytes, String reason) {
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
	 * @param firstQuarantined the first record it quarantined and why, or null
	 */
	record ExportReconciliation(String export, String name, String format, String stepName, String status,
			Reconciliation figures, String firstQuarantined) {
	}

}
