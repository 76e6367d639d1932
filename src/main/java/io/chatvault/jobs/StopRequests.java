package io.chatvault.jobs;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * Asks a running execution to stop after its current chunk, in whatever process runs it:
 * marks the job execution STOPPING; the running step reads that status back when it
 * commits its next chunk, and ends STOPPED with its restart state intact.
 * <p>
 * Not {@code JobOperator.stop}: in Batch 6.0.4 it also rewrites the running step
 * execution from the stopping thread, which races the step's own chunk updates and fails
 * the run with an {@code OptimisticLockingFailureException}, or saves a reset reader
 * position, so that the restart reads everything again.
 */
@Component
class StopRequests {

	private final JobRepository jobRepository;

	StopRequests(JobRepository jobRepository) {
		this.jobRepository = jobRepository;
	}

	/**
	 * Requests the stop.
	 * @param executionId the execution
	 * @return whether the execution was running and is now STOPPING
	 */
	boolean request(long executionId) {
		for (int attempt = 0;; attempt++) {
			JobExecution execution = Outcomes.execution(this.jobRepository, executionId);
			if (execution.getStatus() != BatchStatus.STARTED && execution.getStatus() != BatchStatus.STARTING) {
				return execution.getStatus() == BatchStatus.STOPPING;
			}
			execution.setStatus(BatchStatus.STOPPING);
			try {
				this.jobRepository.update(execution);
				return true;
			}
			catch (OptimisticLockingFailureException ex) {
				// the run updated its execution meanwhile: read it again
				if (attempt >= 3) {
					throw ex;
				}
			}
		}
	}

}
