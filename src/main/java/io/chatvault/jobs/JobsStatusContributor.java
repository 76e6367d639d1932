package io.chatvault.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.chatvault.cli.StatusContributor;

/**
 * Job figures of {@code chatvault status}: executions by status and how many are marked
 * running.
 */
@Component
@Order(0)
class JobsStatusContributor implements StatusContributor {

	private final ExecutionQueries queries;

	JobsStatusContributor(ExecutionQueries queries) {
		this.queries = queries;
	}

	@Override
	public Map<String, Object> figures() {
		Map<String, Long> byStatus = this.queries.countsByStatus();
		Map<String, Object> executions = new LinkedHashMap<>();
		executions.put("total", byStatus.values().stream().mapToLong(Long::longValue).sum());
		executions.putAll(byStatus);
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("jobExecutions", executions);
		figures.put("jobsRunning", this.queries.markedRunning().size());
		return figures;
	}

}
