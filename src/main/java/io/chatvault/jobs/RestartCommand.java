package io.chatvault.jobs;

import java.io.PrintStream;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.chatvault.cli.Command;
import io.chatvault.cli.CommandLine;
import io.chatvault.cli.ExitCode;

/** {@code chatvault restart <execution>}: resumes a failed or stopped run. */
@Component
class RestartCommand implements Command {

	private final JobRuns runs;

	RestartCommand(JobRuns runs) {
		this.runs = runs;
	}

	@Override
	public String name() {
		return "restart";
	}

	@Override
	public String summary() {
		return "resume a failed or stopped execution where it stopped";
	}

	@Override
	public String help() {
		return """
				Usage: chatvault restart <execution> [--json]

				Restarts the job instance of a FAILED or STOPPED execution with the same
				parameters, in this process; it resumes after the last committed chunk, so
				nothing is written twice and nothing is skipped.

				A completed instance is not run again (exit 0, "already complete"). An execution
				still marked STARTED after a crash must first be recovered: chatvault recover.
				Exit codes as for chatvault run.
				""";
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		Outcomes.rejectUnknown(line, name(), Set.of("json"), Set.of());
		return Outcomes.report(this.runs.restart(Outcomes.executionId(line, name())), line, out);
	}

}
