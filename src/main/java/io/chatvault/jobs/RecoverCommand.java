package io.chatvault.jobs;

import java.io.PrintStream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.springframework.stereotype.Component;

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.ExitCode;

/** {@code chatvault recover <execution>}: marks a crashed execution FAILED. */
@Component
@Command(name = "recover",
		description = { "Mark a crashed execution (still STARTED) FAILED, by hand.", "",
				"A process killed during a run (kill -9, OOM, a lost node) leaves its execution STARTED. The",
				"next chatvault run (or restart) of the same job and parameters recovers and resumes it by",
				"itself; recover does only the first half, by hand: it marks the execution FAILED.", "",
				"recover refuses (exit 5) while the execution shows signs of life: its run lock is held by a",
				"live process, or it was updated within chatvault.jobs.recover-grace (default 2m)." })
class RecoverCommand implements CliCommand {

	@Mixin
	ExecutionArgument execution;

	@Option(names = "--force", description = "Skip the grace period (never the run lock).")
	boolean force;

	@Option(names = "--json", description = "The outcome as one JSON object.")
	boolean json;

	private final JobRuns runs;

	RecoverCommand(JobRuns runs) {
		this.runs = runs;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		return Outcomes.report(this.runs.recover(this.execution.id(), this.force), this.json, out);
	}

}
