package io.chatvault.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.chatvault.jobs.JobCatalog;
import io.chatvault.jobs.JobDescription;

import org.springframework.stereotype.Component;

/**
 * Job runs, from the Spring Batch job repository: executions started in the period per
 * job, failures, restarts, and the time from a failure to the successful restart of the
 * same job instance (the seed's "anomalies resolved within 4 hours on average"). Every
 * scheduled job of the catalogue that did not run in the period is a finding.
 */
@Component
class JobRunsArea implements ReportArea {

	static final String AREA = "jobs";

	private final ReportEvidence evidence;

	private final JobCatalog catalog;

	JobRunsArea(ReportEvidence evidence, JobCatalog catalog) {
		this.evidence = evidence;
		this.catalog = catalog;
	}

	@Override
	public int order() {
		return 90;
	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(AREA, "Job runs");
		Object from = ReportEvidence.local(period.start());
		Object to = ReportEvidence.local(period.end());
		List<List<Object>> perJob = this.evidence.jdbc()
			.query("""
					SELECT i.job_name, count(*),
						count(*) FILTER (WHERE e.status = 'COMPLETED'),
						count(*) FILTER (WHERE e.status IN ('FAILED', 'ABANDONED', 'UNKNOWN')),
						count(*) FILTER (WHERE e.status = 'STOPPED'),
						count(*) FILTER (WHERE EXISTS (SELECT 1 FROM batch_job_execution earlier
							WHERE earlier.job_instance_id = e.job_instance_id
							AND earlier.job_execution_id < e.job_execution_id))
					FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
					WHERE e.start_time >= ? AND e.start_time < ?
					GROUP BY i.job_name ORDER BY i.job_name
					""", (rs, row) -> List.<Object>of(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
					rs.getLong(5), rs.getLong(6)), from, to);
		long runs = perJob.stream().mapToLong((row) -> (Long) row.get(1)).sum();
		long failed = perJob.stream().mapToLong((row) -> (Long) row.get(3)).sum();
		long restarts = perJob.stream().mapToLong((row) -> (Long) row.get(5)).sum();
		section.info("job executions started", runs, "count", "every job, from the job repository");
		section.info("failed executions", failed, "count", "FAILED, ABANDONED or UNKNOWN");
		section.info("restarts", restarts, "count", "executions resuming an earlier one of the same instance");

		// Each failed execution, and the first later COMPLETED execution of its instance.
		List<double[]> recoveries = this.evidence.jdbc()
			.query("""
					SELECT extract(epoch FROM (
						(SELECT min(ok.end_time) FROM batch_job_execution ok
							WHERE ok.job_instance_id = f.job_instance_id AND ok.status = 'COMPLETED'
							AND ok.job_execution_id > f.job_execution_id) - f.end_time)),
						(SELECT count(*) FROM batch_job_execution ok
							WHERE ok.job_instance_id = f.job_instance_id AND ok.status = 'COMPLETED'
							AND ok.job_execution_id > f.job_execution_id)
					FROM batch_job_execution f
					WHERE f.status IN ('FAILED', 'ABANDONED', 'UNKNOWN') AND f.start_time >= ? AND f.start_time < ?
					""", (rs, row) -> new double[] { rs.getObject(1) != null ? rs.getDouble(1) : -1, rs.getLong(2) },
					from, to);
		long recovered = recoveries.stream().filter((r) -> r[1] > 0).count();
		if (recoveries.isEmpty()) {
			section.info("failed runs restarted successfully", 100, "%", "no execution failed in the period");
		}
		else {
			section.measured("failed runs restarted successfully", percent(recovered, recoveries.size()), "%",
					Target.COMPLETE, recovered + " of " + recoveries.size() + " failed executions");
			double[] hours = recoveries.stream()
				.filter((r) -> r[1] > 0 && r[0] >= 0)
				.mapToDouble((r) -> r[0] / 3600)
				.toArray();
			if (hours.length > 0) {
				double mean = java.util.Arrays.stream(hours).average().orElse(0);
				double max = java.util.Arrays.stream(hours).max().orElse(0);
				section.measured("time from failure to successful restart (mean)", round(mean), "hours",
						Target.RESOLVED_WITHIN_4H, "max " + round(max) + " h over " + hours.length + " restart(s)");
			}
			else {
				section.missing("time from failure to successful restart (mean)", "hours", Target.RESOLVED_WITHIN_4H,
						"no failed execution was restarted successfully");
			}
		}

		Map<String, List<Object>> byJob = new TreeMap<>();
		perJob.forEach((row) -> byJob.put((String) row.get(0), row));
		List<List<Object>> rows = new ArrayList<>();
		for (JobDescription job : this.catalog.descriptions()) {
			List<Object> row = byJob.remove(job.name());
			String expected = job.scheduled() ? "scheduled" : "by hand";
			// The report itself is running now, whatever the period.
			if (row == null && job.scheduled() && !job.name().equals(ReportJobConfiguration.JOB)) {
				long[] evidenceRuns = this.evidence.runs(job.name(), period, Duration.ZERO);
				if (evidenceRuns[0] == 0) {
					section.missing("job " + job.name() + " ran", "count", Target.atLeast(1, ""),
							this.evidence.didNotRun(job.name(), period));
				}
			}
			rows.add(withExpectation(job.name(), expected, row));
		}
		byJob.forEach((name, row) -> rows.add(withExpectation(name, "not in the catalogue", row)));
		section.table(new ReportTable("Executions started in " + period.label() + " per job",
				List.of("job", "schedule", "executions", "completed", "failed", "stopped", "restarts"), rows));
		section.detail(new DetailSheet("Job executions",
				List.of("execution", "job", "status", "exit code", "started", "ended", "exit description"), """
						SELECT e.job_execution_id, i.job_name, e.status, e.exit_code, e.start_time, e.end_time,
							left(e.exit_message, 500)
						FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
						WHERE e.start_time >= ? AND e.start_time < ? ORDER BY e.job_execution_id
						""", List.of(from, to)));
		return section.build();
	}

	private static List<Object> withExpectation(String job, String expected, List<Object> row) {
		List<Object> out = new ArrayList<>();
		out.add(job);
		out.add(expected);
		if (row == null) {
			out.addAll(List.of(0L, 0L, 0L, 0L, 0L));
		}
		else {
			out.addAll(row.subList(1, row.size()));
		}
		return out;
	}

	static double percent(long part, long whole) {
		return (whole == 0) ? 0 : Math.round(part * 100000.0 / whole) / 1000.0;
	}

	static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

}
