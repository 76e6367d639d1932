package io.chatvault.jobs;

import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Puts the root cause of a failure on the first line of the exit descriptions of a failed
 * execution and its steps. Batch stores the stack trace of the outermost exception,
 * truncated to 2,500 characters, so "Unable to process chunk" is all that survives of
 * "simulated failure at item 13"; {@code jobs} and {@code show} print this first line.
 * Registered on every job bean by {@link #registrar}.
 */
class ReadableFailures implements JobExecutionListener {

	private final ObjectProvider<JobRepository> jobRepository;

	ReadableFailures(ObjectProvider<JobRepository> jobRepository) {
		this.jobRepository = jobRepository;
	}

	/**
	 * Adds the listener to every job bean.
	 * @param jobRepository where the rewritten step exit descriptions are saved
	 * @return the post-processor
	 */
	static BeanPostProcessor registrar(ObjectProvider<JobRepository> jobRepository) {
		ReadableFailures listener = new ReadableFailures(jobRepository);
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof AbstractJob job) {
					job.registerJobExecutionListener(listener);
				}
				return bean;
			}

		};
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		for (StepExecution step : jobExecution.getStepExecutions()) {
			rootCause(step.getFailureExceptions()).ifPresent((cause) -> {
				step.setExitStatus(prefixed(step.getExitStatus(), cause));
				this.jobRepository.getObject().update(step);
			});
		}
		// The job itself is saved by Batch right after this listener.
		rootCause(jobExecution.getAllFailureExceptions())
			.ifPresent((cause) -> jobExecution.setExitStatus(prefixed(jobExecution.getExitStatus(), cause)));
	}

	private static ExitStatus prefixed(ExitStatus status, String cause) {
		String description = status.getExitDescription();
		if (description.startsWith(cause)) {
			return status;
		}
		return new ExitStatus(status.getExitCode(), description.isEmpty() ? cause : cause + "\n" + description);
	}

	private static Optional<String> rootCause(List<Throwable> failures) {
		return failures.stream().findFirst().map((failure) -> {
			Throwable root = failure;
			while (root.getCause() != null && root.getCause() != root) {
				root = root.getCause();
			}
			return root.toString().lines().findFirst().orElse(root.getClass().getName());
		});
	}

}
