package io.chatvault.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Tells the executions marked running (STARTING, STARTED, STOPPING) that a live process
 * runs from those that crashed: a run holds its instance's {@link RunLocks run lock} for
 * as long as it lasts, and the lock dies with its process, so an execution whose lock is
 * free has no process behind it. {@code status} and {@code doctor} report them apart.
 */
@Component
class CrashedExecutions {

	private final ExecutionQueries queries;

	private final JobRepository jobRepository;

	private final RunLocks locks;

	CrashedExecutions(ExecutionQueries queries, JobRepository jobRepository, RunLocks locks) {
		this.queries = queries;
		this.jobRepository = jobRepository;
		this.locks = locks;
	}

	/**
	 * The executions marked running, split by whether a process runs them.
	 * @return running and crashed executions, by id
	 */
	Split split() {
		List<ExecutionQueries.RunningExecution> running = new ArrayList<>();
		List<ExecutionQueries.RunningExecution> crashed = new ArrayList<>();
		for (ExecutionQueries.RunningExecution execution : this.queries.markedRunning()) {
			JobExecution loaded = this.jobRepository.getJobExecution(execution.id());
			Optional<RunLocks.RunLock> lock = this.locks.tryAcquire(execution.job(), loaded.getJobParameters());
			if (lock.isPresent()) {
				lock.get().close();
				crashed.add(execution);
			}
			else {
				running.add(execution);
			}
		}
		return new Split(running, crashed);
	}

	/**
	 * Executions marked running.
	 *
	 * @param running those a live process runs
	 * @param crashed those no process runs: the next start of their instance resumes them
	 */
	record Split(List<ExecutionQueries.RunningExecution> running, List<ExecutionQueries.RunningExecution> crashed) {

		static String describe(ExecutionQueries.RunningExecution execution) {
			return execution.job() + " execution " + execution.id();
		}

	}

}
