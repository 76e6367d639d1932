package io.chatvault.jobs;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * Item counts of an execution, summed over its steps.
 *
 * @param read items read
 * @param written items written
 * @param skipped items skipped (read, process and write skips)
 */
record ExecutionCounts(long read, long written, long skipped) {

	static ExecutionCounts of(JobExecution execution) {
		long read = 0;
		long written = 0;
		long skipped = 0;
		for (StepExecution step : execution.getStepExecutions()) {
			if (isPartitioned(step, execution)) {
				// A partitioned step's counts are the sum of its partitions', counted
				// already.
				continue;
			}
			read += step.getReadCount();
			written += step.getWriteCount();
			skipped += step.getSkipCount();
		}
		return new ExecutionCounts(read, written, skipped);
	}

	/**
	 * Whether a step is partitioned: its partitions' executions are named
	 * {@code <step>:<partition>}.
	 */
	static boolean isPartitioned(StepExecution step, JobExecution execution) {
		String prefix = step.getStepName() + ":";
		return execution.getStepExecutions().stream().anyMatch((other) -> other.getStepName().startsWith(prefix));
	}

	@Override
	public String toString() {
		return "read " + this.read + ", written " + this.written + ", skipped " + this.skipped;
	}

}
