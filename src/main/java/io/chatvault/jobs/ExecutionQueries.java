package io.chatvault.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the job repository for the operator's views ({@code jobs}, {@code status}): one
 * query per view, with the step counts summed in SQL, rather than loading every execution
 * through the {@code JobRepository}.
 */
@Component
class ExecutionQueries {

	private final JdbcClient jdbc;

	ExecutionQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	List<ExecutionSummary> executions(Optional<String> job, Optional<String> status, int limit) {
		List<ExecutionSummary> rows = this.jdbc.sql("""
				select e.job_execution_id, i.job_name, e.status, e.exit_code, e.exit_message, e.start_time, e.end_time,
				       coalesce(sum(s.read_count), 0) as read_count, coalesce(sum(s.write_count), 0) as write_count,
				       coalesce(sum(s.read_skip_count + s.process_skip_count + s.write_skip_count), 0) as skip_count
				from batch_job_execution e
				join batch_job_instance i on i.job_instance_id = e.job_instance_id
				left join batch_step_execution s on s.job_execution_id = e.job_execution_id
				  -- a partitioned step's counts are its partitions' sum (named "<step>:<partition>"): count them once
				  and not exists (select 1 from batch_step_execution w
				                  where w.job_execution_id = s.job_execution_id
				                    and left(w.step_name, length(s.step_name) + 1) = s.step_name || ':')
				where (cast(:job as varchar) is null or i.job_name = :job)
				  and (cast(:status as varchar) is null or e.status = :status)
				group by e.job_execution_id, i.job_name
				order by e.job_execution_id desc
				limit :limit
				""")
			.param("job", job.orElse(null))
			.param("status", status.orElse(null))
			.param("limit", limit)
			.query(ExecutionQueries::summary)
			.list();
		if (rows.isEmpty()) {
			return rows;
		}
		Map<Long, Map<String, String>> parameters = parameters(rows);
		return rows.stream()
			.map((row) -> new ExecutionSummary(row.id(), row.job(), parameters.getOrDefault(row.id(), Map.of()),
					row.status(), row.exitCode(), row.exitDescription(), row.start(), row.end(), row.read(),
					row.written(), row.skipped()))
			.toList();
	}

	/** Execution counts by status, for {@code chatvault status}. */
	Map<String, Long> countsByStatus() {
		Map<String, Long> counts = new TreeMap<>();
		this.jdbc.sql("select status, count(*) from batch_job_execution group by status").query((rs) -> {
			counts.put(rs.getString(1), rs.getLong(2));
		});
		return counts;
	}

	/** Executions marked running (STARTING, STARTED, STOPPING), oldest first. */
	List<RunningExecution> markedRunning() {
		return this.jdbc.sql("""
				select e.job_execution_id, i.job_name, e.status, e.last_updated
				from batch_job_execution e
				join batch_job_instance i on i.job_instance_id = e.job_instance_id
				where e.status in ('STARTING', 'STARTED', 'STOPPING')
				order by e.job_execution_id
				""")
			.query((rs, row) -> new RunningExecution(rs.getLong(1), rs.getString(2), rs.getString(3),
					localDateTime(rs.getTimestamp(4))))
			.list();
	}

	private Map<Long, Map<String, String>> parameters(List<ExecutionSummary> rows) {
		Map<Long, Map<String, String>> parameters = new LinkedHashMap<>();
		this.jdbc.sql("""
				select job_execution_id, parameter_name, parameter_value
				from batch_job_execution_params
				where job_execution_id in (:ids) and identifying = 'Y'
				order by job_execution_id, parameter_name
				""").param("ids", rows.stream().map(ExecutionSummary::id).toList()).query((rs) -> {
			parameters.computeIfAbsent(rs.getLong(1), (id) -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
		});
		return parameters;
	}

	private static ExecutionSummary summary(ResultSet rs, int row) throws SQLException {
		return new ExecutionSummary(rs.getLong("job_execution_id"), rs.getString("job_name"), Map.of(),
				rs.getString("status"), rs.getString("exit_code"),
				Failures.readable(rs.getString("exit_message")).orElse(""),
				localDateTime(rs.getTimestamp("start_time")), localDateTime(rs.getTimestamp("end_time")),
				rs.getLong("read_count"), rs.getLong("write_count"), rs.getLong("skip_count"));
	}

	private static LocalDateTime localDateTime(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toLocalDateTime() : null;
	}

	/**
	 * An execution the repository shows as running.
	 *
	 * @param id the execution id
	 * @param job the job name
	 * @param status its status
	 * @param lastUpdated when it was last updated
	 */
	record RunningExecution(long id, String job, String status, LocalDateTime lastUpdated) {
	}

}
