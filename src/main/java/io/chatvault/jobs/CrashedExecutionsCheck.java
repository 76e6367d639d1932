package io.chatvault.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.chatvault.cli.DoctorCheck;

/**
 * Doctor check of the job repository: executions marked running whose run lock no process
 * holds have crashed; the next start of their job instance recovers and resumes them.
 */
@Component
@Order(11)
class CrashedExecutionsCheck implements DoctorCheck {

	private final ObjectProvider<ExecutionQueries> queries;

	private final ObjectProvider<JobRepository> jobRepository;

	private final ObjectProvider<RunLocks> locks;

	CrashedExecutionsCheck(ObjectProvider<ExecutionQueries> queries, ObjectProvider<JobRepository> jobRepository,
			ObjectProvider<RunLocks> locks) {
		this.queries = queries;
		this.jobRepository = jobRepository;
		this.locks = locks;
	}

	@Override
	public String name() {
		return "job executions";
	}

	@Override
	public Finding check() {
		List<ExecutionQueries.RunningExecution> marked;
		try {
			marked = this.queries.getObject().markedRunning();
		}
		catch (RuntimeException ex) {
			return Finding.problem("cannot read the job repository: " + DatabaseCheck.rootMessage(ex),
					"fix the database first (see the database check)");
		}
		List<String> crashed = new ArrayList<>();
		int running = 0;
		for (ExecutionQueries.RunningExecution execution : marked) {
			JobExecution loaded = this.jobRepository.getObject().getJobExecution(execution.id());
			Optional<RunLocks.RunLock> lock = this.locks.getObject()
				.tryAcquire(execution.job(), loaded.getJobParameters());
			if (lock.isPresent()) {
				lock.get().close();
				crashed.add(execution.job() + " execution " + execution.id());
			}
			else {
				running++;
			}
		}
		if (!crashed.isEmpty()) {
			return Finding.problem(
					"marked " + "running but no process runs them (crashed): " + String.join(", ", crashed),
					"the next run of each job resumes it by itself; or now: chatvault restart <execution> "
							+ "(see ops/RECOVERY.md)");
		}
		return Finding.ok(running + " running, none crashed");
	}

}
