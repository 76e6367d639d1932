package io.chatvault.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import io.chatvault.audit.AuditActors;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.cli.ExitCode;
import io.chatvault.metrics.RunMetrics;
import io.chatvault.cli.UsageException;

/**
 * Starts, restarts, stops and recovers job executions through the {@link JobOperator},
 * with the guarantees a scheduler relies on: one run per job instance at a time (the
 * {@link RunLocks run lock}), a completed instance is not run again, a crashed execution
 * is recovered only once it is certainly dead, and every outcome maps to an
 * {@link ExitCode}. Commands that start a job ({@code run}, {@code migrate}) go through
 * here.
 */
@Service
public class JobRuns {

	private static final Log logger = LogFactory.getLog(JobRuns.class);

	private final JobCatalog catalog;

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final RunLocks locks;

	private final ActiveRuns activeRuns;

	private final StopRequests stopRequests;

	private final Duration recoverGrace;

	private final List<JobParametersNormalizer> normalizers;

	private final Clock clock;

	private final ObjectProvider<AuditLog> auditLog;

	private final ObjectProvider<RunMetrics> metrics;

	private final JobRunAudit runAudit;

	JobRuns(JobCatalog catalog, JobOperator jobOperator, JobRepository jobRepository, RunLocks locks,
			ActiveRuns activeRuns, StopRequests stopRequests, JobsProperties properties,
			List<JobParametersNormalizer> normalizers, Clock clock, ObjectProvider<AuditLog> auditLog,
			ObjectProvider<RunMetrics> metrics, JobRunAudit runAudit) {
		this.metrics = metrics;
		this.normalizers = normalizers;
		this.clock = clock;
		this.auditLog = auditLog;
		this.runAudit = runAudit;
		this.stopRequests = stopRequests;
		this.catalog = catalog;
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.locks = locks;
		this.activeRuns = activeRuns;
		this.recoverGrace = properties.recoverGrace();
	}

	/**
	 * Runs a job to its end in this process: a new instance, or the restart of a failed
	 * or stopped one with the same identifying parameters.
	 * @param jobName the job
	 * @param typed parameters as typed ({@code key=value} from the command line): checked
	 * against the job's {@link JobDescription catalogue entry}, completed with its
	 * defaults (a missing period is derived from the clock), then normalized by the job's
	 * {@link JobParametersNormalizer} if it has one
	 * @return how it ended
	 * @throws UsageException for an unknown job or invalid parameters
	 */
	public RunOutcome start(String jobName, Map<String, String> typed) {
		JobDescription description = this.catalog.describe(jobName);
		Job job = job(jobName);
		JobDescription.Completion completion = description.complete(typed, this.clock.instant());
		if (!completion.derived().isEmpty()) {
			logger.info(jobName + ": " + completion.derived() + " derived from the catalogue's defaults");
		}
		Map<String, String> parameters = this.normalizers.stream()
			.filter((normalizer) -> normalizer.jobName().equals(jobName))
			.findFirst()
			.map((normalizer) -> normalizer.normalize(completion.parameters()))
			.orElse(completion.parameters());
		JobParametersBuilder builder = new JobParametersBuilder();
		parameters.forEach((key, value) -> builder.addString(key, value,
				description.parameter(key).map(JobDescription.Parameter::identifying).orElse(true)));
		JobParameters jobParameters = builder.toJobParameters();
		validate(job, jobParameters);
		return locked(job, jobParameters, () -> {
			JobExecution last = this.jobRepository.getLastJobExecution(jobName, jobParameters);
			Optional<RunOutcome> refusal = refuseRerun(last);
			if (refusal.isPresent()) {
				return refusal.get();
			}
			return launch(jobName, jobParameters, () -> this.jobOperator.start(job, jobParameters));
		});
	}

	/**
	 * Restarts the job instance of a failed or stopped execution; it resumes where that
	 * run stopped.
	 * @param executionId any execution of the instance
	 * @return how the new execution ended
	 */
	public RunOutcome restart(long executionId) {
		JobExecution execution = execution(executionId);
		String jobName = execution.getJobInstance().getJobName();
		Job job = job(jobName);
		JobParameters parameters = execution.getJobParameters();
		return locked(job, parameters, () -> {
			JobExecution found = this.jobRepository.getLastJobExecution(jobName, parameters);
			Optional<RunOutcome> refusal = refuseRerun(found);
			if (refusal.isPresent()) {
				return refusal.get();
			}
			// A crashed execution was recovered by refuseRerun: read its new status.
			JobExecution last = this.jobRepository.getLastJobExecution(jobName, parameters);
			if (last.getStatus() == BatchStatus.ABANDONED) {
				return RunOutcome.of(ExitCode.NOT_RESTARTABLE,
						"execution " + last.getId() + " was abandoned and cannot be restarted", last);
			}
			return launch(jobName, parameters, () -> this.jobOperator.restart(last));
		});
	}

	/**
	 * Asks a running execution to stop after its current chunk; it ends STOPPED and can
	 * be restarted.
	 * @param executionId the execution
	 * @return the outcome of the request (the run itself ends in its own process)
	 */
	public RunOutcome stop(long executionId) {
		JobExecution execution = execution(executionId);
		if (!execution.isRunning()) {
			return RunOutcome.of(ExitCode.NOT_RESTARTABLE,
					"execution " + executionId + " is not running (" + execution.getStatus() + ")", execution);
		}
		Optional<RunLocks.RunLock> lock = this.locks.tryAcquire(execution.getJobInstance().getJobName(),
				execution.getJobParameters());
		if (lock.isPresent()) {
			lock.get().close();
			return RunOutcome.of(ExitCode.NOT_RESTARTABLE,
					"execution " + executionId + " is marked " + execution.getStatus()
							+ " but no process runs it (it crashed): chatvault restart " + executionId
							+ " (or the next run of the job) recovers and resumes it",
					execution);
		}
		if (!this.stopRequests.request(executionId)) {
			return RunOutcome.of(ExitCode.NOT_RESTARTABLE, "execution " + executionId + " ended meanwhile", execution);
		}
		return RunOutcome.of(ExitCode.COMPLETED,
				"stop requested: execution " + executionId
						+ " ends STOPPED after its current chunk; resume it with chatvault restart " + executionId,
				execution);
	}

	/**
	 * Marks a crashed execution (still STARTED after its process died) FAILED, so that it
	 * can be restarted. Refuses while the execution shows signs of life: its run lock is
	 * held, or it was updated within {@code chatvault.jobs.recover-grace}.
	 * @param executionId the execution
	 * @param force skip the grace period (the run lock is still checked)
	 * @return the outcome
	 */
	public RunOutcome recover(long executionId, boolean force) {
		JobExecution execution = execution(executionId);
		if (!execution.isRunning()) {
			return RunOutcome.of(ExitCode.NOT_RESTARTABLE,
					"execution " + executionId + " is " + execution.getStatus() + ", not running; nothing to recover"
							+ (execution.getStatus() == BatchStatus.COMPLETED ? ""
									: " (restart it: chatvault restart " + executionId + ")"),
					execution);
		}
		Optional<RunLocks.RunLock> lock = this.locks.tryAcquire(execution.getJobInstance().getJobName(),
				execution.getJobParameters());
		if (lock.isEmpty()) {
			return RunOutcome.of(ExitCode.ALREADY_RUNNING,
					"execution " + executionId
							+ " is alive: a running process holds its run lock (stop it with chatvault stop "
							+ executionId + ")",
					execution);
		}
		try (RunLocks.RunLock held = lock.get()) {
			LocalDateTime lastSignOfLife = lastUpdated(execution);
			Duration silence = silenceSince(lastSignOfLife);
			if (!force && silence.compareTo(this.recoverGrace) < 0) {
				return RunOutcome.of(ExitCode.ALREADY_RUNNING,
						"execution " + executionId + " was updated " + silence.toSeconds()
								+ " s ago, within chatvault.jobs.recover-grace (" + this.recoverGrace.toSeconds()
								+ " s); wait, or pass --force if its process is certainly gone",
						execution);
			}
			BatchStatus status = execution.getStatus();
			JobExecution recovered = this.jobOperator.recover(execution);
			logger.info("Recovered execution " + executionId + ": marked " + recovered.getStatus());
			audit(recovered, status, lastSignOfLife, AuditActors.operator(), false);
			return RunOutcome.of(ExitCode.COMPLETED,
					"execution " + executionId + " marked FAILED; resume it with chatvault restart " + executionId,
					recovered);
		}
	}

	private LocalDateTime lastUpdated(JobExecution execution) {
		return Stream
			.concat(Stream.of(execution.getLastUpdated(), execution.getStartTime(), execution.getCreateTime()),
					execution.getStepExecutions().stream().map(StepExecution::getLastUpdated))
			.filter(Objects::nonNull)
			.max(LocalDateTime::compareTo)
			.orElse(LocalDateTime.MIN);
	}

	private Optional<RunOutcome> refuseRerun(JobExecution last) {
		if (last == null) {
			return Optional.empty();
		}
		if (last.getStatus() == BatchStatus.COMPLETED) {
			return Optional.of(RunOutcome.of(ExitCode.COMPLETED,
					"already complete: " + describe(last) + " completed these parameters; nothing to do", last));
		}
		if (last.isRunning()) {
			// We hold the run lock, so no live process runs it: it crashed.
			return resumeCrashed(last);
		}
		return Optional.empty();
	}

	/**
	 * Self-healing: recovers an execution that is marked running although nobody holds
	 * its run lock, so that the start that found it resumes it. A process that lost its
	 * database session (and with it the lock) may still be alive and writing, so the
	 * execution must first have been silent for {@code chatvault.jobs.recover-grace}; the
	 * caller holds the lock meanwhile, so no other start interferes, and waits out what
	 * is left of the grace period rather than make the scheduler come back.
	 * @param crashed the execution marked running
	 * @return a refusal, or empty once it is recovered and the instance can be resumed
	 */
	private Optional<RunOutcome> resumeCrashed(JobExecution crashed) {
		LocalDateTime seen = lastUpdated(crashed);
		Duration silence = silenceSince(seen);
		if (silence.compareTo(this.recoverGrace) < 0) {
			logger.info(describe(crashed) + " is marked " + crashed.getStatus()
					+ " but no process holds its run lock; it was updated " + silence.toSeconds()
					+ " s ago: waiting until it has been silent for chatvault.jobs.recover-grace ("
					+ this.recoverGrace.toSeconds() + " s) before resuming it");
		}
		while (silence.compareTo(this.recoverGrace) < 0) {
			try {
				Thread.sleep(Math.max(1, Math.min(1000, this.recoverGrace.minus(silence).toMillis())));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return Optional.of(RunOutcome.of(ExitCode.JOB_STOPPED,
						describe(crashed) + " not resumed: interrupted while waiting for recover-grace", crashed));
			}
			JobExecution now = this.jobRepository.getJobExecution(crashed.getId());
			if (!now.isRunning() || lastUpdated(now).isAfter(seen)) {
				return Optional.of(RunOutcome.of(ExitCode.ALREADY_RUNNING, describe(crashed)
						+ " is still being updated although no process holds its run lock (a process that lost its "
						+ "database session?); not resumed", now));
			}
			silence = silenceSince(seen);
		}
		// recover() changes the execution it is given: keep what it was.
		BatchStatus status = crashed.getStatus();
		JobExecution recovered;
		try {
			recovered = this.jobOperator.recover(crashed);
		}
		catch (RuntimeException ex) {
			logger.debug("Cannot recover " + describe(crashed), ex);
			return Optional.of(RunOutcome.of(ExitCode.NOT_RESTARTABLE, describe(crashed) + " crashed and cannot be "
					+ "recovered automatically: " + ex.getMessage() + " (ops/RECOVERY.md)", crashed));
		}
		logger.warn(describe(crashed) + " crashed (still " + status + ", no process held its run lock, silent for "
				+ silenceSince(seen).toSeconds() + " s): recovered, marked " + recovered.getStatus() + "; resuming it");
		audit(recovered, status, seen, "job:" + crashed.getJobInstance().getJobName(), true);
		return Optional.empty();
	}

	private Duration silenceSince(LocalDateTime lastSignOfLife) {
		// Spring Batch stamps executions with the local time of the process that ran
		// them.
		return Duration.between(lastSignOfLife, LocalDateTime.ofInstant(this.clock.instant(), ZoneId.systemDefault()));
	}

	/**
	 * Records a recovery in the audit log: the execution that crashed, and whether the
	 * next start did it or an operator typed {@code recover}; then the crashed run's
	 * {@code job.end}, which its process could not write.
	 */
	private void audit(JobExecution crashed, BatchStatus was, LocalDateTime lastSignOfLife, String actor,
			boolean automatic) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("job", crashed.getJobInstance().getJobName());
		details.put("instance", crashed.getJobInstance().getInstanceId());
		details.put("was", was.name());
		details.put("lastUpdated", String.valueOf(lastSignOfLife));
		details.put("automatic", automatic);
		this.auditLog.ifAvailable((log) -> log.append(new AuditEvent(actor, "", "job.recover",
				"execution:" + crashed.getId(), crashed.getStatus().name(), details)));
		this.runAudit.recovered(crashed, actor);
	}

	private RunOutcome locked(Job job, JobParameters parameters, LockedAction action) {
		// Registered before the lock is taken and after it is released, so that a
		// shutdown waits for the lock's connection too.
		if (!this.activeRuns.begin(job.getName(), parameters)) {
			return RunOutcome.of(ExitCode.JOB_STOPPED, job.getName() + " not started: the process is shutting down");
		}
		try {
			Optional<RunLocks.RunLock> lock = this.locks.tryAcquire(job.getName(), parameters);
			if (lock.isEmpty()) {
				return alreadyRunning(job.getName(), parameters);
			}
			try (RunLocks.RunLock held = lock.get()) {
				return action.run();
			}
		}
		finally {
			this.activeRuns.end();
		}
	}

	private RunOutcome launch(String jobName, JobParameters parameters, Launch launch) {
		try {
			this.activeRuns.launching();
			JobExecution execution = launch.run();
			RunOutcome outcome = ended(execution);
			this.metrics.ifAvailable((metrics) -> metrics.ended(execution, outcome.exitCode().code(),
					scheduleParameters(jobName, parameters)));
			return outcome;
		}
		catch (JobExecutionAlreadyRunningException | ConcurrencyFailureException | DuplicateKeyException ex) {
			logger.debug("Concurrent start of " + jobName, ex);
			return alreadyRunning(jobName, parameters);
		}
		catch (JobInstanceAlreadyCompleteException ex) {
			return RunOutcome.of(ExitCode.COMPLETED, "already complete: " + jobName + " with these parameters");
		}
		catch (InvalidJobParametersException ex) {
			throw new UsageException("invalid parameters for job " + jobName + ": " + ex.getMessage());
		}
		catch (JobRestartException ex) {
			if (ex.getCause() instanceof JobExecutionAlreadyRunningException) {
				return alreadyRunning(jobName, parameters);
			}
			return RunOutcome.of(ExitCode.NOT_RESTARTABLE, jobName + " cannot be restarted: " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	private RunOutcome ended(JobExecution execution) {
		this.runAudit.ended(execution);
		ExitCode code = exitCode(execution);
		StringBuilder message = new StringBuilder(describe(execution)).append(' ')
			.append(execution.getStatus())
			.append(": ")
			.append(ExecutionCounts.of(execution));
		switch (code) {
			case JOB_FAILED, INTEGRITY_FAILURE,
					INFRASTRUCTURE_UNAVAILABLE ->
				message.append("; ")
					.append(Failures.summary(execution).orElse("failed"))
					.append(" (details: chatvault show ")
					.append(execution.getId())
					.append("; resume: chatvault restart ")
					.append(execution.getId())
					.append(')');
			case JOB_STOPPED -> message.append("; resume it with chatvault restart ").append(execution.getId());
			default -> Failures.summary(execution.getExitStatus())
				.ifPresent((summary) -> message.append("; ").append(summary));
		}
		return RunOutcome.of(code, message.toString(), execution);
	}

	/**
	 * How an ended execution maps to an exit code. A job asks for a more precise one
	 * through its exit status: a completed run for
	 * {@link ExitCode#COMPLETED_WITH_QUARANTINE} or
	 * {@link ExitCode#COMPLETED_WITH_FINDINGS}, a failed one for
	 * {@link ExitCode#INTEGRITY_FAILURE} or {@link ExitCode#INFRASTRUCTURE_UNAVAILABLE}
	 * (a mail server that refused: restart once it is back).
	 */
	static ExitCode exitCode(JobExecution execution) {
		java.util.Optional<ExitCode> asked = ExitCode.named(execution.getExitStatus().getExitCode());
		return switch (execution.getStatus()) {
			case COMPLETED -> asked.filter(
					(code) -> code == ExitCode.COMPLETED_WITH_QUARANTINE || code == ExitCode.COMPLETED_WITH_FINDINGS)
				.orElse(ExitCode.COMPLETED);
			case STOPPED, STOPPING -> ExitCode.JOB_STOPPED;
			default -> asked
				.filter((code) -> code == ExitCode.INTEGRITY_FAILURE || code == ExitCode.INFRASTRUCTURE_UNAVAILABLE)
				.orElse(ExitCode.JOB_FAILED);
		};
	}

	/**
	 * The identifying parameters that are not a period: the same for every run of one
	 * schedule (a custodian group, a source), they name the run in its metrics.
	 */
	private Map<String, String> scheduleParameters(String jobName, JobParameters parameters) {
		JobDescription description = this.catalog.describe(jobName);
		Map<String, String> schedule = new java.util.TreeMap<>();
		for (JobParameter<?> parameter : parameters.getIdentifyingParameters()) {
			boolean period = description.parameter(parameter.name()).map((p) -> p.type().isPeriod()).orElse(false);
			if (!period) {
				schedule.put(parameter.name(), String.valueOf(parameter.value()));
			}
		}
		return schedule;
	}

	private RunOutcome alreadyRunning(String jobName, JobParameters parameters) {
		return RunOutcome.of(ExitCode.ALREADY_RUNNING,
				"already running: " + jobName + " with these parameters runs in another process");
	}

	private Job job(String jobName) {
		this.catalog.describe(jobName);
		return this.catalog.find(jobName)
			.orElseThrow(() -> new IllegalStateException(
					"jobs/" + jobName + ".yaml describes job " + jobName + " but no Job bean has that name"));
	}

	private JobExecution execution(long executionId) {
		return Outcomes.execution(this.jobRepository, executionId);
	}

	private static void validate(Job job, JobParameters parameters) {
		try {
			job.getJobParametersValidator().validate(parameters);
		}
		catch (InvalidJobParametersException ex) {
			throw new UsageException("invalid parameters for job " + job.getName() + ": " + ex.getMessage());
		}
	}

	private static String describe(JobExecution execution) {
		return execution.getJobInstance().getJobName() + " execution " + execution.getId();
	}

	@FunctionalInterface
	private interface LockedAction {

		RunOutcome run();

	}

	@FunctionalInterface
	private interface Launch {

		JobExecution run() throws Exception;

	}

}
