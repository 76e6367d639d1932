package io.chatvault.jobs;

import java.io.PrintStream;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.chatvault.cli.Command;
import io.chatvault.cli.CommandLine;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.UsageException;

/** {@code chatvault run <job> [key=value ...]}: runs a job to its end. */
@Component
class RunCommand implements Command {

	private final JobRuns runs;

	private final JobCatalog catalog;

	RunCommand(JobRuns runs, JobCatalog catalog) {
		this.runs = runs;
		this.catalog = catalog;
	}

	@Override
	public String name() {
		return "run";
	}

	@Override
	public String summary() {
		return "run a job with identifying parameters: run <job> [key=value ...]";
	}

	@Override
	public String help() {
		return """
				Usage: chatvault run <job> [key=value ...] [--json]

				Runs a job in this process until it ends. The key=value parameters identify the
				job instance: running the same job with the same parameters again does nothing
				once it has completed, and resumes it if it failed or was stopped.

				Exit codes: 0 completed (or already complete), 2 unknown job or invalid
				parameters, 3 failed, 4 stopped (SIGTERM or chatvault stop), 5 the same job with
				the same parameters already runs, 6 database unavailable, 7 completed with
				quarantined records, 8 a crashed earlier run must be recovered first.

				chatvault run (without a job) lists the jobs.

				Example: chatvault run migration path=samples/exports
				""";
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		Outcomes.rejectUnknown(line, name(), Set.of("json"), Set.of());
		if (line.positionals().size() != 1) {
			throw new UsageException(
					"usage: chatvault run <job> [key=value ...]; jobs: " + String.join(", ", this.catalog.names()));
		}
		return Outcomes.report(this.runs.start(line.positionals().get(0), line.parameters()), line, out);
	}

}
