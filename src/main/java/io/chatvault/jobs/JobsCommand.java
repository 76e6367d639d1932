package io.chatvault.jobs;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.batch.core.BatchStatus;
import org.springframework.stereotype.Component;

import io.chatvault.cli.Command;
import io.chatvault.cli.CommandLine;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;

/** {@code chatvault jobs}: lists job executions, newest first. */
@Component
class JobsCommand implements Command {

	private final ExecutionQueries queries;

	JobsCommand(ExecutionQueries queries) {
		this.queries = queries;
	}

	@Override
	public String name() {
		return "jobs";
	}

	@Override
	public String summary() {
		return "list job executions with status, counts and exit description";
	}

	@Override
	public String help() {
		return """
				Usage: chatvault jobs [--job NAME] [--status STATUS] [--limit N] [--json]

				Lists job executions, newest first: id, job, identifying parameters, status,
				start, end, items read, written and skipped, and the first line of the exit
				description.

				  --job NAME        only executions of this job
				  --status STATUS   only executions with this status (COMPLETED, FAILED,
				                    STOPPED, STARTED, ...)
				  --limit N         at most N executions (default 20)
				  --json            a JSON array, for scripts
				""";
	}

	@Override
	public Set<String> valueOptions() {
		return Set.of("job", "status", "limit");
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		Outcomes.rejectUnknown(line, name(), Set.of("json"), valueOptions());
		if (!line.positionals().isEmpty() || !line.parameters().isEmpty()) {
			throw new UsageException("chatvault jobs takes only options (chatvault jobs --help)");
		}
		Optional<String> status = line.option("status").map(JobsCommand::status);
		int limit = line.option("limit").map(JobsCommand::limit).orElse(20);
		List<ExecutionSummary> executions = this.queries.executions(line.option("job"), status, limit);
		if (line.json()) {
			JsonOutput.print(out, executions.stream().map(ExecutionSummary::toJson).toList());
		}
		else if (executions.isEmpty()) {
			out.println("No job executions.");
		}
		else {
			printTable(executions, out);
		}
		return ExitCode.COMPLETED;
	}

	private static void printTable(List<ExecutionSummary> executions, PrintStream out) {
		String format = "%-6s %-20s %-10s %-25s %-25s %8s %8s %8s  %s%n";
		out.printf(format, "ID", "JOB", "STATUS", "START", "END", "READ", "WRITTEN", "SKIPPED", "PARAMETERS / EXIT");
		for (ExecutionSummary execution : executions) {
			String parameters = execution.parameters()
				.entrySet()
				.stream()
				.map(Map.Entry::toString)
				.collect(Collectors.joining(" "));
			String detail = execution.exitDescription().isEmpty() ? parameters
					: parameters + (parameters.isEmpty() ? "" : " | ") + execution.exitDescription();
			out.printf(format, execution.id(), execution.job(), execution.status(), orDash(execution.start()),
					orDash(execution.end()), execution.read(), execution.written(), execution.skipped(), detail);
		}
	}

	private static String orDash(java.time.LocalDateTime time) {
		return (time != null) ? ExecutionSummary.timestamp(time) : "-";
	}

	private static String status(String value) {
		String upper = value.toUpperCase(Locale.ROOT);
		if (Arrays.stream(BatchStatus.values()).noneMatch((status) -> status.name().equals(upper))) {
			throw new UsageException("unknown status '" + value + "' (one of "
					+ Arrays.stream(BatchStatus.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
		}
		return upper;
	}

	private static int limit(String value) {
		try {
			int limit = Integer.parseInt(value);
			if (limit > 0) {
				return limit;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new UsageException("--limit needs a positive number, not '" + value + "'");
	}

}
