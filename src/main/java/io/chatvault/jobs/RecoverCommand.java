package io.chatvault.jobs;

import java.io.PrintStream;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.chatvault.cli.Command;
import io.chatvault.cli.CommandLine;
import io.chatvault.cli.ExitCode;

/** {@code chatvault recover <execution>}: marks a crashed execution FAILED. */
@Component
class RecoverCommand implements Command {

	private final JobRuns runs;

	RecoverCommand(JobRuns runs) {
		this.runs = runs;
	}

	@Override
	public String name() {
		return "recover";
	}

	@Override
	public String summary() {
		return "mark a crashed execution (still STARTED) FAILED so that it can be restarted";
	}

	@Override
	public String help() {
		return """
				Usage: chatvault recover <execution> [--force] [--json]

				A process killed during a run (kill -9, OOM, a lost node) leaves its execution
				STARTED, and a STARTED execution cannot be restarted. recover marks it FAILED;
				then chatvault restart <execution> resumes it.

				recover refuses (exit 5) while the execution shows signs of life: its run lock is
				held by a live process, or it was updated within chatvault.jobs.recover-grace
				(default 2m). --force skips the grace period, never the lock.
				""";
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		Outcomes.rejectUnknown(line, name(), Set.of("json", "force"), Set.of());
		return Outcomes.report(this.runs.recover(Outcomes.executionId(line, name()), line.flag("force")), line, out);
	}

}
