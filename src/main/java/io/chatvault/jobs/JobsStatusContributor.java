package io.chatvault.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.chatvault.cli.StatusContributor;

/**
 * Job figures of {@code chatvault status}: executions by status, how many a live process
 * runs, and which are marked running but crashed (no process holds their run lock; the
 * next start of their job resumes them).
 */
@Component
@Order(0)
class JobsStatusContributor implements StatusContributor {

	private final ExecutionQueries queries;

	private final CrashedExecutions executions;

	JobsStatusContributor(ExecutionQueries queries, CrashedExecutions executions) {
		this.queries = queries;
		this.executions = executions;
	}

	@Override
	public Map<String, Object> figures() {
		Map<String, Long> byStatus = this.queries.countsByStatus();
		Map<String, Object> executions = new LinkedHashMap<>();
		executions.put("total", byStatus.values().stream().mapToLong(Long::longValue).sum());
		executions.putAll(byStatus);
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("jobExecutions", executions);
		CrashedExecutions.Split split = this.executions.split();
		figures.put("jobsRunning", split.running().size());
		figures.put("jobsCrashed", split.crashed().size());
		if (!split.crashed().isEmpty()) {
			figures.put("crashedExecutions", split.crashed()
				.stream()
				.map((execution) -> CrashedExecutions.Split.describe(execution) + " (marked " + execution.status()
						+ ", no process runs it; the next start resumes it, or now: chatvault restart " + execution.id()
						+ ")")
				.toList());
		}
		return figures;
	}

}
