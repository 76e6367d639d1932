package io.chatvault.jobs;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The job run of this process, if any, and its graceful end: when the context closes
 * (SIGTERM), it asks the run to stop ({@link StopRequests}) and waits until the run has
 * finished its current chunk and ended STOPPED, before the database connections go away.
 * It stops first, since it is the last lifecycle phase to start.
 */
@Component
class ActiveRuns implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ActiveRuns.class);

	private final ObjectProvider<JobRepository> jobRepository;

	private final ObjectProvider<StopRequests> stopRequests;

	// Bound (and validated) only at shutdown: this bean starts with every command, and
	// binding a validated properties record starts the Bean Validation provider.
	private final ObjectProvider<JobsProperties> properties;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition ended = this.lock.newCondition();

	private Run current;

	private boolean running;

	ActiveRuns(ObjectProvider<JobRepository> jobRepository, ObjectProvider<StopRequests> stopRequests,
			ObjectProvider<JobsProperties> properties) {
		this.jobRepository = jobRepository;
		this.stopRequests = stopRequests;
		this.properties = properties;
	}

	/**
	 * Records the run about to start.
	 * @return false if the process is shutting down and the run must not start
	 */
	boolean begin(String jobName, JobParameters parameters) {
		this.lock.lock();
		try {
			if (!this.running) {
				return false;
			}
			this.current = new Run(jobName, parameters, false);
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Marks the registered run as launched: from now on its execution, once it exists, is
	 * this process's to stop. Before, the instance may be running in another process
	 * (this one then refuses to start it) and must not be touched.
	 */
	void launching() {
		this.lock.lock();
		try {
			if (this.current != null) {
				this.current = new Run(this.current.jobName(), this.current.parameters(), true);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	void end() {
		this.lock.lock();
		try {
			this.current = null;
			this.ended.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void start() {
		this.lock.lock();
		try {
			this.running = true;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void stop() {
		this.lock.lock();
		try {
			this.running = false;
			Duration shutdownWait = this.properties.getObject().shutdownWait();
			long deadline = System.nanoTime() + shutdownWait.toNanos();
			Long stopped = null;
			while (this.current != null && System.nanoTime() < deadline) {
				if (stopped == null && this.current.launched()) {
					stopped = requestStop(this.current);
				}
				// Poll: the execution may not exist yet when the signal arrives.
				this.ended.await(200, TimeUnit.MILLISECONDS);
			}
			if (this.current != null) {
				logger.warn("The running job did not stop within chatvault.jobs.shutdown-wait (" + shutdownWait
						+ "); it shows as STARTED until the next start of the same run recovers and resumes it");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.lock.unlock();
		}
	}

	private Long requestStop(Run run) {
		JobExecution execution = this.jobRepository.getObject().getLastJobExecution(run.jobName(), run.parameters());
		if (execution == null || !execution.isRunning()) {
			return null;
		}
		try {
			logger.info("Stopping " + run.jobName() + " execution " + execution.getId()
					+ " after its current chunk (restart it with: chatvault restart " + execution.getId() + ")");
			return this.stopRequests.getObject().request(execution.getId()) ? execution.getId() : null;
		}
		catch (Exception ex) {
			logger.debug("Could not request a stop of execution " + execution.getId(), ex);
			return null;
		}
	}

	@Override
	public boolean isRunning() {
		this.lock.lock();
		try {
			return this.running;
		}
		finally {
			this.lock.unlock();
		}
	}

	private record Run(String jobName, JobParameters parameters, boolean launched) {
	}

}
