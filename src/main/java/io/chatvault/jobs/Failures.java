package io.chatvault.jobs;

import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import io.chatvault.cli.ExitCode;

/**
 * The failure of an execution in one readable line: Batch keeps whole stack traces in the
 * exit descriptions; operators need the exception and its message.
 */
final class Failures {

	private static final String CAUSED_BY = "Caused by: ";

	private Failures() {
	}

	static Optional<String> summary(JobExecution execution) {
		return Stream
			.concat(execution.getStepExecutions().stream().map(StepExecution::getExitStatus),
					Stream.of(execution.getExitStatus()))
			.filter(Failures::failed)
			.map(Failures::firstLine)
			.flatMap(Optional::stream)
			.findFirst();
	}

	/**
	 * Whether an exit status reports a failure; completed steps may carry a summary (a
	 * reconciliation) in their description, which is not a failure.
	 */
	static boolean failed(ExitStatus status) {
		return status != null && (ExitStatus.FAILED.getExitCode().equals(status.getExitCode())
				|| ExitStatus.UNKNOWN.getExitCode().equals(status.getExitCode())
				|| ExitCode.INTEGRITY_FAILURE.name().equals(status.getExitCode()));
	}

	/** The first line of a description that is not a failure: a summary, if any. */
	static Optional<String> summary(ExitStatus status) {
		return failed(status) ? Optional.empty() : firstLine(status);
	}

	static Optional<String> firstLine(ExitStatus status) {
		return readable((status != null) ? status.getExitDescription() : null);
	}

	/**
	 * The line of an exit description that says what went wrong: the innermost
	 * {@code Caused by:} of a stack trace (the wrappers only say "Unable to process
	 * chunk"), else the first line.
	 * @param description an exit description, possibly a whole stack trace
	 * @return that line, if the description has any text
	 */
	static Optional<String> readable(String description) {
		if (description == null || description.isBlank()) {
			return Optional.empty();
		}
		String line = description.strip().lines().findFirst().orElse("").strip();
		String innermost = description.lines()
			.map(String::strip)
			.filter((candidate) -> candidate.startsWith(CAUSED_BY))
			.reduce((first, second) -> second)
			.map((cause) -> cause.substring(CAUSED_BY.length()))
			.orElse(line);
		return innermost.isEmpty() ? Optional.empty() : Optional.of(innermost);
	}

}
