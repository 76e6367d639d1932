package io.chatvault.jobs;

import java.io.PrintStream;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.chatvault.cli.Command;
import io.chatvault.cli.CommandLine;
import io.chatvault.cli.ExitCode;

/** {@code chatvault stop <execution>}: asks a running execution to stop. */
@Component
class StopCommand implements Command {

	private final JobRuns runs;

	StopCommand(JobRuns runs) {
		this.runs = runs;
	}

	@Override
	public String name() {
		return "stop";
	}

	@Override
	public String summary() {
		return "stop a running execution after its current chunk";
	}

	@Override
	public String help() {
		return """
				Usage: chatvault stop <execution> [--json]

				Asks a running execution, in whatever process runs it, to stop after its current
				chunk. It ends STOPPED (its process exits with code 4) and resumes with
				chatvault restart <execution>. Sending SIGTERM to that process does the same.
				Exit codes: 0 stop requested, 8 the execution is not running.
				""";
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		Outcomes.rejectUnknown(line, name(), Set.of("json"), Set.of());
		return Outcomes.report(this.runs.stop(Outcomes.executionId(line, name())), line, out);
	}

}
