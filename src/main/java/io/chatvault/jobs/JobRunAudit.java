package io.chatvault.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.chatvault.audit.AuditActors;
import io.chatvault.audit.AuditAnchors;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.audit.AuditTrail;

/**
 * Records every job run in the audit log, in one place for all jobs: {@code job.start}
 * before it runs (a listener on every job), {@code job.end} with its outcome when it ends
 * ({@link JobRuns}, through which every run starts), then an anchor of the chain in the
 * write-once store. A run that crashed (its process killed) cannot record its end: its
 * {@code job.end} (outcome FAILED, {@code crashed: true}) is appended when it is
 * recovered ({@link #recovered}), or, if something else marked it FAILED, when its
 * instance next starts. The target of every entry is {@code execution:<id>}.
 *
 * <p>
 * Registered on every job bean by {@link JobsConfiguration#jobRunAuditRegistrar}.
 */
@Component
class JobRunAudit implements JobExecutionListener {

	private static final Log logger = LogFactory.getLog(JobRunAudit.class);

	private final ObjectProvider<AuditLog> log;

	private final ObjectProvider<AuditTrail> trail;

	private final ObjectProvider<AuditAnchors> anchors;

	private final ObjectProvider<JobRepository> jobRepository;

	JobRunAudit(ObjectProvider<AuditLog> log, ObjectProvider<AuditTrail> trail, ObjectProvider<AuditAnchors> anchors,
			ObjectProvider<JobRepository> jobRepository) {
		this.log = log;
		this.trail = trail;
		this.anchors = anchors;
		this.jobRepository = jobRepository;
	}

	/** The audit target of an execution. */
	static String target(JobExecution execution) {
		return "execution:" + execution.getId();
	}

	/**
	 * Appends {@code job.start}; first the missing {@code job.end} of any earlier
	 * execution of the instance that crashed. A failure to write the log fails the run: a
	 * job must not run unrecorded.
	 */
	@Override
	public void beforeJob(JobExecution execution) {
		boolean restart = false;
		for (JobExecution earlier : this.jobRepository.getObject().getJobExecutions(execution.getJobInstance())) {
			if (earlier.getId() != execution.getId()) {
				restart = true;
				if (!earlier.isRunning()) {
					endCrashed(earlier, AuditActors.job(execution.getJobInstance().getJobName()));
				}
			}
		}
		Map<String, Object> details = identity(execution);
		details.put("restart", restart);
		details.put("launchedBy", AuditActors.operator());
		this.log.getObject()
			.append(new AuditEvent(AuditActors.job(execution.getJobInstance().getJobName()), "", "job.start",
					target(execution), "STARTED", details));
	}

	/**
	 * Appends {@code job.end} and anchors the chain, once the run has ended and Batch has
	 * saved it: called by {@link JobRuns} with the execution as it finally is. (A
	 * listener's {@code afterJob} would run before the job's own listeners, which may
	 * still change the outcome, as a run that quarantined records does.) Failures are
	 * logged, not thrown: the run has ended and its result stands; the next anchor covers
	 * what this one missed.
	 * @param execution the execution that ended
	 */
	void ended(JobExecution execution) {
		String jobName = execution.getJobInstance().getJobName();
		try {
			Map<String, Object> details = identity(execution);
			details.put("exitCode", JobRuns.exitCode(execution).name());
			details.put("exitStatus", execution.getExitStatus().getExitCode());
			details.put("read", execution.getStepExecutions().stream().mapToLong((s) -> s.getReadCount()).sum());
			details.put("written", execution.getStepExecutions().stream().mapToLong((s) -> s.getWriteCount()).sum());
			details.put("skipped", execution.getStepExecutions().stream().mapToLong((s) -> s.getSkipCount()).sum());
			rootCause(execution).or(() -> Failures.summary(execution))
				.ifPresent((failure) -> details.put("failure", failure));
			Failures.summary(execution.getExitStatus()).ifPresent((summary) -> details.put("summary", summary));
			this.log.getObject()
				.append(new AuditEvent(AuditActors.job(jobName), "", "job.end", target(execution),
						execution.getStatus().name(), details));
		}
		catch (RuntimeException ex) {
			logger.error("Could not record the end of " + jobName + " execution " + execution.getId()
					+ " in the audit log: " + ex.getMessage(), ex);
			return;
		}
		try {
			this.anchors.getObject().anchor("job.end " + target(execution));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not anchor the audit log after " + jobName + " execution " + execution.getId() + ": "
					+ ex.getMessage() + " (the next anchor covers it; chatvault audit verify checks the chain)");
		}
	}

	/**
	 * Records the end of an execution that crashed and was just marked FAILED, by
	 * {@code chatvault recover} or by the next start of its instance.
	 * @param execution the recovered execution
	 * @param recoveredBy who recovered it
	 */
	void recovered(JobExecution execution, String recoveredBy) {
		endCrashed(execution, recoveredBy);
	}

	private void endCrashed(JobExecution execution, String recoveredBy) {
		if (this.trail.getObject().exists("job.end", target(execution))) {
			return;
		}
		Map<String, Object> details = identity(execution);
		details.put("crashed", true);
		details.put("recoveredBy", recoveredBy);
		details.put("exitStatus", execution.getExitStatus().getExitCode());
		this.log.getObject()
			.append(new AuditEvent(AuditActors.job(execution.getJobInstance().getJobName()), "", "job.end",
					target(execution), execution.getStatus().name(), details));
	}

	private static java.util.Optional<String> rootCause(JobExecution execution) {
		return execution.getAllFailureExceptions().stream().findFirst().map((failure) -> {
			Throwable root = failure;
			while (root.getCause() != null && root.getCause() != root) {
				root = root.getCause();
			}
			return root.toString().lines().findFirst().orElse(root.getClass().getName());
		});
	}

	private static Map<String, Object> identity(JobExecution execution) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("job", execution.getJobInstance().getJobName());
		details.put("instance", execution.getJobInstance().getInstanceId());
		Map<String, Object> parameters = new TreeMap<>();
		for (JobParameter<?> parameter : execution.getJobParameters()) {
			parameters.put(parameter.name(), String.valueOf(parameter.value()));
		}
		details.put("parameters", parameters);
		return details;
	}

}
