package io.chatvault.jobs;

import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;

import io.chatvault.cli.ExitCode;

/**
 * How a start, restart, stop or recover ended: the exit code for the scheduler, one line
 * for the operator, and the execution concerned, if there is one.
 *
 * @param exitCode the process exit code
 * @param message one line for the operator
 * @param execution the execution that ran or was acted on
 */
public record RunOutcome(ExitCode exitCode, String message, Optional<JobExecution> execution) {

	static RunOutcome of(ExitCode exitCode, String message) {
		return new RunOutcome(exitCode, message, Optional.empty());
	}

	static RunOutcome of(ExitCode exitCode, String message, JobExecution execution) {
		return new RunOutcome(exitCode, message, Optional.ofNullable(execution));
	}

}
