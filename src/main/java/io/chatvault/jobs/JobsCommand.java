package io.chatvault.jobs;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.springframework.batch.core.BatchStatus;
import org.springframework.stereotype.Component;

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;

/**
 * {@code chatvault jobs}: lists job executions, newest first; with {@code --catalog}, the
 * jobs themselves as the catalogue describes them (without the database).
 */
@Component
@Command(name = "jobs",
		description = { "List job executions, or with --catalog the jobs that can run.", "",
				"Executions, newest first: id, job, identifying parameters, status, start, end, items read,",
				"written and skipped, and the first line of the exit description.", "",
				"--catalog lists every job instead: what it does, when it is scheduled, its parameters with",
				"their types and defaults (a period derived from the clock shows the value it has now), and",
				"what its exit codes mean. It needs no database." })
class JobsCommand implements CliCommand {

	@Option(names = "--job", paramLabel = "NAME", description = "Only executions of this job.")
	String job;

	@Option(names = "--status", paramLabel = "STATUS",
			description = "Only executions with this status (COMPLETED, FAILED, STOPPED, STARTED, ...).")
	String status;

	@Option(names = "--limit", paramLabel = "N", defaultValue = "20",
			description = "At most N executions (default ${DEFAULT-VALUE}).")
	int limit;

	@Option(names = "--catalog", description = "List the jobs of the catalogue instead of executions.")
	boolean catalog;

	@Option(names = "--json", description = "A JSON array, for scripts.")
	boolean json;

	private final ExecutionQueries queries;

	private final JobCatalog jobCatalog;

	private final Clock clock;

	JobsCommand(ExecutionQueries queries, JobCatalog jobCatalog, Clock clock) {
		this.queries = queries;
		this.jobCatalog = jobCatalog;
		this.clock = clock;
	}

	@Override
	public boolean needsDatabase() {
		return !this.catalog;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		if (this.catalog) {
			printCatalog(out);
			return ExitCode.COMPLETED;
		}
		if (this.limit <= 0) {
			throw new UsageException("--limit needs a positive number, not '" + this.limit + "'");
		}
		Optional<String> state = Optional.ofNullable(this.status).map(JobsCommand::status);
		List<ExecutionSummary> executions = this.queries.executions(Optional.ofNullable(this.job), state, this.limit);
		if (this.json) {
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

	private void printCatalog(PrintStream out) {
		Instant now = this.clock.instant();
		if (this.json) {
			JsonOutput.print(out, this.jobCatalog.descriptions().stream().map((job) -> {
				Map<String, Object> json = job.toJson();
				json.put("derivedNow", derivedNow(job, now));
				return json;
			}).toList());
			return;
		}
		for (JobDescription job : this.jobCatalog.descriptions()) {
			out.println(job.name());
			out.println("  " + job.description());
			String when = job.schedules().isEmpty() ? "by hand"
					: job.schedules()
						.stream()
						.map((schedule) -> schedule.cadence().describe(schedule.at())
								+ (schedule.parameters().isEmpty() ? "" : " " + schedule.parameters()))
						.collect(Collectors.joining("; "));
			out.println("  runs:        " + when);
			Map<String, String> derived = derivedNow(job, now);
			for (JobDescription.Parameter parameter : job.parameters()) {
				StringBuilder line = new StringBuilder("  parameter:   ").append(parameter.name())
					.append(" (")
					.append(parameter.type().key());
				if (parameter.required()) {
					line.append(", required");
				}
				parameter.defaultValue()
					.ifPresent((value) -> line.append(", default ")
						.append(value)
						.append(derived.containsKey(parameter.name()) ? " = " + derived.get(parameter.name()) : ""));
				if (!parameter.identifying()) {
					line.append(", not identifying");
				}
				out.println(line.append("): ").append(parameter.description()));
			}
			job.exitCodes().forEach((code, meaning) -> out.printf("  exit %-2d      %s%n", code, meaning));
			job.thresholds().forEach((name, value) -> out.println("  threshold:   " + name + " = " + value));
			out.println();
		}
	}

	private static Map<String, String> derivedNow(JobDescription job, Instant now) {
		return job.periods(job.schedules().isEmpty() ? Map.of() : job.schedules().get(0).parameters(), now);
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

}
