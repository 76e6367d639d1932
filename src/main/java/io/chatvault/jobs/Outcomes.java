package io.chatvault.jobs;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;

import io.chatvault.cli.CommandException;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;

/**
 * Prints a {@link RunOutcome}: a run that ended (completed, failed, stopped) is the
 * command's result on stdout; a refusal (already running, not restartable) is one line on
 * stderr through a {@link CommandException}.
 */
final class Outcomes {

	private static final Set<ExitCode> RESULTS = Set.of(ExitCode.COMPLETED, ExitCode.COMPLETED_WITH_QUARANTINE,
			ExitCode.COMPLETED_WITH_FINDINGS, ExitCode.JOB_FAILED, ExitCode.INTEGRITY_FAILURE,
			ExitCode.INFRASTRUCTURE_UNAVAILABLE, ExitCode.JOB_STOPPED);

	private Outcomes() {
	}

	static ExitCode report(RunOutcome outcome, boolean json, PrintStream out, PrintStream err) {
		ExitCode code = report(outcome, json, out);
		outcome.reportFailure(err);
		return code;
	}

	static ExitCode report(RunOutcome outcome, boolean json, PrintStream out) {
		if (!RESULTS.contains(outcome.exitCode())) {
			throw new CommandException(outcome.exitCode(), outcome.message());
		}
		if (json) {
			Map<String, Object> document = new LinkedHashMap<>();
			document.put("exitCode", outcome.exitCode().code());
			document.put("outcome", outcome.exitCode().name());
			document.put("message", outcome.message());
			outcome.execution().ifPresent((execution) -> {
				document.put("executionId", execution.getId());
				document.put("job", execution.getJobInstance().getJobName());
				document.put("status", execution.getStatus().name());
			});
			JsonOutput.print(out, document);
		}
		else {
			out.println(outcome.message());
		}
		return outcome.exitCode();
	}

	/** The execution id argument of show, restart, stop and recover. */
	static long executionId(String argument) {
		try {
			return Long.parseLong(argument);
		}
		catch (NumberFormatException ex) {
			throw new UsageException("'" + argument + "' is not an execution id (a number, as chatvault jobs shows)");
		}
	}

	/**
	 * Loads an execution with its steps.
	 * @throws UsageException if there is none with that id
	 */
	static JobExecution execution(JobRepository jobRepository, long id) {
		JobExecution execution;
		try {
			execution = jobRepository.getJobExecution(id);
		}
		catch (EmptyResultDataAccessException ex) {
			// Batch 6 throws rather than returning null for an unknown id.
			execution = null;
		}
		if (execution == null) {
			throw new UsageException("no job execution " + id + " (chatvault jobs lists them)");
		}
		return execution;
	}

}
