package io.chatvault.jobs;

import java.io.PrintStream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.springframework.stereotype.Component;

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.ExitCode;

/** {@code chatvault restart <execution>}: resumes a failed or stopped run. */
@Component
@Command(name = "restart",
		description = { "Resume a failed or stopped execution where it stopped.", "",
				"Restarts the job instance of a FAILED or STOPPED execution with the same parameters, in this",
				"process; it resumes after the last committed chunk, so nothing is written twice and nothing",
				"is skipped. A completed instance is not run again (exit 0, \"already complete\")." },
		footer = { "", "Exit codes as for chatvault run." })
class RestartCommand implements CliCommand {

	@Mixin
	ExecutionArgument execution;

	@Option(names = "--json", description = "The outcome as one JSON object.")
	boolean json;

	private final JobRuns runs;

	RestartCommand(JobRuns runs) {
		this.runs = runs;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		return execute(out, System.err);
	}

	@Override
	public ExitCode execute(PrintStream out, PrintStream err) {
		return Outcomes.report(this.runs.restart(this.execution.id()), this.json, out, err);
	}

}
