package io.chatvault.sync;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Around a sync run: takes the group's lock (a second window of the same group running
 * meanwhile fails this one at once, to be restarted), notes where the window takes over
 * (the end of the group's previous completed window) in the job's context, and at the end
 * gives the run the exit status its report asked for.
 */
class SyncJobListener implements JobExecutionListener {

	static final String COMPLETED_WITH_FINDINGS = "COMPLETED_WITH_FINDINGS";

	static final String COMPLETED_WITH_QUARANTINE = "COMPLETED_WITH_QUARANTINE";

	static final String WINDOW_START = "sync.window-start";

	private static final Log logger = LogFactory.getLog(SyncJobListener.class);

	private final GroupLocks locks;

	private final SyncWindows windows;

	private final Map<Long, AutoCloseable> held = new ConcurrentHashMap<>();

	SyncJobListener(GroupLocks locks, SyncWindows windows) {
		this.locks = locks;
		this.windows = windows;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		SyncParameters parameters = SyncParameters.of(jobExecution.getJobParameters());
		Optional<AutoCloseable> lock = this.locks.tryLock(parameters.group());
		if (lock.isEmpty()) {
			throw new IllegalStateException("another window of group " + parameters.group()
					+ " is being synced by another process; this one resumes when restarted");
		}
		this.held.put(jobExecution.getId(), lock.get());
		this.windows.previousEnd(parameters.group(), parameters.windowEnd())
			.ifPresentOrElse((start) -> jobExecution.getExecutionContext().putString(WINDOW_START, start.toString()),
					() -> jobExecution.getExecutionContext().remove(WINDOW_START));
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		AutoCloseable lock = this.held.remove(jobExecution.getId());
		if (lock != null) {
			try {
				lock.close();
			}
			catch (Exception ex) {
				logger.warn("Could not release the group lock: " + ex.getMessage());
			}
		}
		String summary = jobExecution.getExecutionContext().getString(WindowReport.SUMMARY, "");
		if (jobExecution.getStatus() == BatchStatus.COMPLETED && !summary.isEmpty()) {
			String code = jobExecution.getStepExecutions()
				.stream()
				.filter((step) -> step.getStepName().equals(SyncJobConfiguration.REPORT_STEP))
				.map((step) -> step.getExitStatus().getExitCode())
				.findFirst()
				.orElse(ExitStatus.COMPLETED.getExitCode());
			jobExecution.setExitStatus(new ExitStatus(code, summary));
			logger.info("Sync " + summary);
		}
	}

}
