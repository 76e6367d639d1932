package io.chatvault.jobs;

import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * The failure of an execution in one readable line: Batch keeps whole stack traces in the
 * exit descriptions; operators need the exception and its message.
 */
final class Failures {

	private Failures() {
	}

	static Optional<String> summary(JobExecution execution) {
		return Stream
			.concat(execution.getStepExecutions().stream().map(StepExecution::getExitStatus),
					Stream.of(execution.getExitStatus()))
			.map(Failures::firstLine)
			.flatMap(Optional::stream)
			.findFirst();
	}

	static Optional<String> firstLine(ExitStatus status) {
		String description = (status != null) ? status.getExitDescription() : null;
		if (description == null || description.isBlank()) {
			return Optional.empty();
		}
		String line = description.strip().lines().findFirst().orElse("").strip();
		return line.isEmpty() ? Optional.empty() : Optional.of(line);
	}

}
