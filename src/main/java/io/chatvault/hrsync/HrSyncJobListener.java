package io.chatvault.hrsync;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * After a run: the summary row the compliance report reads ({@code access_hr_sync_run}),
 * adding up every execution of the instance (a restarted run included), and the exit
 * status: {@code COMPLETED_WITH_QUARANTINE} when a file was rejected.
 */
class HrSyncJobListener implements JobExecutionListener {

	private final JdbcTemplate jdbc;

	private final Clock clock;

	HrSyncJobListener(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public void afterJob(JobExecution execution) {
		if (execution.getStatus() != BatchStatus.COMPLETED) {
			return;
		}
		long instance = execution.getJobInstance().getInstanceId();
		String executions = "SELECT job_execution_id FROM batch_job_execution WHERE job_instance_id = ?";
		Map<String, Object> files = this.jdbc
			.queryForMap("SELECT count(*) FILTER (WHERE outcome = 'applied') AS applied, "
					+ "count(*) FILTER (WHERE outcome = 'rejected') AS rejected, coalesce(sum(rows_bad), 0) AS bad "
					+ "FROM access_hr_file WHERE job_execution_id IN (" + executions + ")", instance);
		Map<String, Object> changes = this.jdbc
			.queryForMap("SELECT " + "count(*) FILTER (WHERE change = 'joiner') AS joiners, "
					+ "count(*) FILTER (WHERE change = 'mover') AS movers, "
					+ "count(*) FILTER (WHERE change = 'leaver') AS leavers, "
					+ "count(*) FILTER (WHERE change = 'leaver-scheduled') AS scheduled, "
					+ "count(*) FILTER (WHERE change = 'rehire') AS rehires, "
					+ "coalesce(sum(grants_revoked), 0) AS grants, coalesce(sum(tokens_revoked), 0) AS tokens "
					+ "FROM access_hr_change WHERE job_execution_id IN (" + executions + ")", instance);
		this.jdbc.update(
				"INSERT INTO access_hr_sync_run (job_execution_id, hour, files_applied, files_rejected, "
						+ "rows_quarantined, joiners, movers, leavers, leavers_scheduled, rehires, grants_revoked, "
						+ "tokens_revoked, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
						+ "ON CONFLICT (job_execution_id) DO NOTHING",
				execution.getId(), execution.getJobParameters().getString(HrSyncParameters.HOUR),
				number(files, "applied"), number(files, "rejected"), number(files, "bad"), number(changes, "joiners"),
				number(changes, "movers"), number(changes, "leavers"), number(changes, "scheduled"),
				number(changes, "rehires"), number(changes, "grants"), number(changes, "tokens"),
				Timestamp.from(this.clock.instant()));
		String summary = "HR feed: " + number(files, "applied") + " file(s) applied, " + number(files, "rejected")
				+ " rejected (" + number(files, "bad") + " bad row(s) quarantined); " + number(changes, "joiners")
				+ " joiner(s), " + number(changes, "movers") + " mover(s), " + number(changes, "leavers")
				+ " leaver(s) (" + number(changes, "grants") + " grant(s), " + number(changes, "tokens")
				+ " token(s) revoked), " + number(changes, "scheduled") + " departure(s) scheduled";
		execution.setExitStatus(new ExitStatus(
				(number(files, "rejected") > 0) ? "COMPLETED_WITH_QUARANTINE" : ExitStatus.COMPLETED.getExitCode(),
				summary));
	}

	private static long number(Map<String, Object> row, String column) {
		return ((Number) row.get(column)).longValue();
	}

}
