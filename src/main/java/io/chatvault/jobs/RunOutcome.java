package io.chatvault.jobs;

import java.io.PrintStream;
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

	/**
	 * Whether the run ended in failure (failed, or found the archive's integrity broken):
	 * besides the result on stdout, the operator gets its one line on stderr.
	 * @return true for {@link ExitCode#JOB_FAILED} and {@link ExitCode#INTEGRITY_FAILURE}
	 */
	public boolean failed() {
		return this.exitCode == ExitCode.JOB_FAILED || this.exitCode == ExitCode.INTEGRITY_FAILURE;
	}

	/**
	 * Prints the failure line, {@code chatvault: <message>}, if the run
	 * {@link #failed()}.
	 * @param err stderr
	 */
	public void reportFailure(PrintStream err) {
		if (failed()) {
			err.println("chatvault: " + this.message);
		}
	}

}
