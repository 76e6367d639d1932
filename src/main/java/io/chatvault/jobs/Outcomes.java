package io.chatvault.jobs;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;

import io.chatvault.cli.CommandException;
import io.chatvault.cli.CommandLine;
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
			ExitCode.COMPLETED_WITH_FINDINGS, ExitCode.JOB_FAILED, ExitCode.INTEGRITY_FAILURE, ExitCode.JOB_STOPPED);

	private Outcomes() {
	}

	static ExitCode report(RunOutcome outcome, CommandLine line, PrintStream out) {
		if (!RESULTS.contains(outcome.exitCode())) {
			throw new CommandException(outcome.exitCode(), outcome.message());
		}
		if (line.json()) {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("exitCode", outcome.exitCode().code());
			json.put("outcome", outcome.exitCode().name());
			json.put("message", outcome.message());
			outcome.execution().ifPresent((execution) -> {
				json.put("executionId", execution.getId());
				json.put("job", execution.getJobInstance().getJobName());
				json.put("status", execution.getStatus().name());
			});
			JsonOutput.print(out, json);
		}
		else {
			out.println(outcome.message());
		}
		return outcome.exitCode();
	}

	/** The single execution id argument of show, restart, stop and recover. */
	static long executionId(CommandLine line, String command) {
		List<String> positionals = line.positionals();
		if (positionals.size() != 1) {
			throw new UsageException("usage: chatvault " + command + " <execution id> (chatvault jobs lists them)");
		}
		try {
			return Long.parseLong(positionals.get(0));
		}
		catch (NumberFormatException ex) {
			throw new UsageException(
					"'" + positionals.get(0) + "' is not an execution id (a number, as chatvault jobs shows)");
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

	static void rejectUnknown(CommandLine line, String command, Set<String> flags, Set<String> options) {
		line.flags().stream().filter((flag) -> !flags.contains(flag)).findFirst().ifPresent((flag) -> {
			throw new UsageException("unknown option --" + flag + " (chatvault " + command + " --help)");
		});
		line.options()
			.keySet()
			.stream()
			.filter((option) -> !options.contains(option))
			.findFirst()
			.ifPresent((option) -> {
				throw new UsageException("unknown option --" + option + " (chatvault " + command + " --help)");
			});
	}

}
