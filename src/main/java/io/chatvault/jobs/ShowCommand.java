package io.chatvault.jobs;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;

/** {@code chatvault show <execution>}: one execution, its steps and its failure. */
@Component
@Command(name = "show",
		description = { "Show one execution: parameters, steps with counts, and the failure.", "",
				"Its parameters, status and times, each step with its counts (read, written, skipped,",
				"commits, rollbacks), the failure if there is one, and what to do next." })
class ShowCommand implements CliCommand {

	@Mixin
	ExecutionArgument execution;

	@Option(names = "--json", description = "One JSON object.")
	boolean json;

	private final JobRepository jobRepository;

	ShowCommand(JobRepository jobRepository) {
		this.jobRepository = jobRepository;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		JobExecution execution = Outcomes.execution(this.jobRepository, this.execution.id());
		if (this.json) {
			JsonOutput.print(out, json(execution));
		}
		else {
			print(execution, out);
		}
		return ExitCode.COMPLETED;
	}

	private static Map<String, Object> json(JobExecution execution) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", execution.getId());
		json.put("job", execution.getJobInstance().getJobName());
		json.put("instanceId", execution.getJobInstance().getId());
		json.put("parameters", parameters(execution));
		json.put("status", execution.getStatus().name());
		json.put("exitCode", execution.getExitStatus().getExitCode());
		json.put("start", ExecutionSummary.timestamp(execution.getStartTime()));
		json.put("end", ExecutionSummary.timestamp(execution.getEndTime()));
		json.put("lastUpdated", ExecutionSummary.timestamp(execution.getLastUpdated()));
		json.put("steps", steps(execution).stream().map(ShowCommand::json).toList());
		json.put("summary", Failures.summary(execution.getExitStatus()).orElse(null));
		json.put("failure", Failures.summary(execution).orElse(null));
		json.put("next", next(execution));
		return json;
	}

	private static Map<String, Object> json(StepExecution step) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", step.getStepName());
		json.put("status", step.getStatus().name());
		json.put("read", step.getReadCount());
		json.put("written", step.getWriteCount());
		json.put("filtered", step.getFilterCount());
		json.put("skipped", step.getSkipCount());
		json.put("commits", step.getCommitCount());
		json.put("rollbacks", step.getRollbackCount());
		json.put("start", ExecutionSummary.timestamp(step.getStartTime()));
		json.put("end", ExecutionSummary.timestamp(step.getEndTime()));
		json.put("summary", Failures.summary(step.getExitStatus()).orElse(null));
		json.put("failure",
				Failures.failed(step.getExitStatus()) ? Failures.firstLine(step.getExitStatus()).orElse(null) : null);
		return json;
	}

	private static void print(JobExecution execution, PrintStream out) {
		out.printf("Execution %d of job %s (instance %d)%n", execution.getId(), execution.getJobInstance().getJobName(),
				execution.getJobInstance().getId());
		out.printf("  parameters: %s%n", parameters(execution));
		out.printf("  status:     %s (exit code %s)%n", execution.getStatus(), execution.getExitStatus().getExitCode());
		out.printf("  started:    %s%n", orDash(ExecutionSummary.timestamp(execution.getStartTime())));
		out.printf("  ended:      %s%n", orDash(ExecutionSummary.timestamp(execution.getEndTime())));
		out.println("  steps:");
		List<StepExecution> steps = steps(execution);
		if (steps.isEmpty()) {
			out.println("    (none)");
		}
		for (StepExecution step : steps) {
			out.printf("    %-24s %-10s read %d, written %d, filtered %d, skipped %d, commits %d, rollbacks %d%n",
					step.getStepName(), step.getStatus(), step.getReadCount(), step.getWriteCount(),
					step.getFilterCount(), step.getSkipCount(), step.getCommitCount(), step.getRollbackCount());
			Failures.summary(step.getExitStatus()).ifPresent((summary) -> out.printf("      %s%n", summary));
		}
		Failures.summary(execution.getExitStatus()).ifPresent((summary) -> out.printf("  summary:    %s%n", summary));
		Failures.summary(execution).ifPresent((failure) -> out.printf("  failure:    %s%n", failure));
		String next = next(execution);
		if (next != null) {
			out.printf("  next:       %s%n", next);
		}
	}

	private static String next(JobExecution execution) {
		long id = execution.getId();
		BatchStatus status = execution.getStatus();
		if (status == BatchStatus.FAILED || status == BatchStatus.STOPPED) {
			return "chatvault restart " + id;
		}
		if (execution.isRunning()) {
			return "if its process is gone: chatvault restart " + id + " (or the next run) recovers and resumes it";
		}
		return null;
	}

	private static Map<String, String> parameters(JobExecution execution) {
		Map<String, String> parameters = new TreeMap<>();
		for (JobParameter<?> parameter : execution.getJobParameters().getIdentifyingParameters()) {
			parameters.put(parameter.name(), String.valueOf(parameter.value()));
		}
		return parameters;
	}

	private static List<StepExecution> steps(JobExecution execution) {
		return execution.getStepExecutions()
			.stream()
			.sorted(java.util.Comparator.comparing(StepExecution::getId))
			.toList();
	}

	private static String orDash(String text) {
		return (text != null) ? text : "-";
	}

}
