package io.chatvault.jobs;

import java.io.PrintStream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.springframework.stereotype.Component;

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.ExitCode;

/** {@code chatvault stop <execution>}: asks a running execution to stop. */
@Component
@Command(name = "stop",
		description = { "Stop a running execution after its current chunk.", "",
				"Asks a running execution, in whatever process runs it, to stop after its current chunk. It",
				"ends STOPPED (its process exits with code 4) and resumes with chatvault restart <execution>.",
				"Sending SIGTERM to that process does the same." },
		footer = { "", "Exit codes: 0 stop requested, 8 the execution is not running." })
class StopCommand implements CliCommand {

	@Mixin
	ExecutionArgument execution;

	@Option(names = "--json", description = "The outcome as one JSON object.")
	boolean json;

	private final JobRuns runs;

	StopCommand(JobRuns runs) {
		this.runs = runs;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		return Outcomes.report(this.runs.stop(this.execution.id()), this.json, out);
	}

}
