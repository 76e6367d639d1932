package io.chatvault.migration;

import java.util.Collection;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.partition.StepExecutionAggregator;
import org.springframework.batch.core.partition.support.DefaultStepExecutionAggregator;
import org.springframework.batch.core.step.StepExecution;

/**
 * Adds up the partitions into the manager step as Spring Batch does, but keeps the
 * manager's description short when all went well: each export's reconciliation is in its
 * own partition, not repeated in one long line.
 */
class ExportsAggregator implements StepExecutionAggregator {

	private final StepExecutionAggregator delegate = new DefaultStepExecutionAggregator();

	@Override
	public void aggregate(StepExecution result, Collection<StepExecution> executions) {
		this.delegate.aggregate(result, executions);
		if (ExitStatus.COMPLETED.getExitCode().equals(result.getExitStatus().getExitCode())) {
			result.setExitStatus(new ExitStatus(ExitStatus.COMPLETED.getExitCode(),
					executions.size() + " export(s) in this execution, read " + result.getReadCount()));
		}
	}

}
