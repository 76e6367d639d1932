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

	/** The key Spring Batch's splitter leaves in the context of a partitioned step. */
	private static final String PARTITION_MANAGER = "SimpleStepExecutionSplitter.GRID_SIZE";

	static ExecutionCounts of(JobExecution execution) {
		long read = 0;
		long written = 0;
		long skipped = 0;
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getExecutionContext().containsKey(PARTITION_MANAGER)) {
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

	@Override
	public String toString() {
		return "read " + this.read + ", written " + this.written + ", skipped " + this.skipped;
	}

}
