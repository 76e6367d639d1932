package io.chatvault.jobs;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.springframework.stereotype.Component;

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.ExitCode;

/** {@code chatvault run <job> [key=value ...]}: runs a job to its end. */
@Component
@Command(name = "run",
		description = { "Run a job with its parameters until it ends.", "",
				"The key=value parameters identify the job instance: running the same job with the same",
				"parameters again does nothing once it has completed, and resumes it if it failed, was",
				"stopped or crashed (a crashed run is recovered first: its process must hold no run lock",
				"and it must have been silent for chatvault.jobs.recover-grace, which the start waits out).",
				"A parameter left out is taken from the job's catalogue entry: a period",
				"(day, week, month, quarter, half, hour, window end) is derived from the clock, in UTC.",
				"chatvault jobs --catalog lists the jobs, their parameters and defaults." },
		footer = { "", "Exit codes: 0 completed (or already complete), 2 unknown job or invalid parameters,",
				"3 failed, 4 stopped (SIGTERM or chatvault stop), 5 the same job with the same parameters",
				"already runs (or a crashed run is still being updated), 6 database unavailable, 7 completed",
				"with quarantined records, 8 an earlier execution cannot be resumed (abandoned, or its job",
				"refuses restarts), 9 completed with findings, 10 integrity failure.", "",
				"Example: chatvault run migration source=samples/exports" })
class RunCommand implements CliCommand {

	@Parameters(index = "0", paramLabel = "<job>", completionCandidates = JobNames.class,
			description = "The job: one of ${COMPLETION-CANDIDATES}.")
	String job;

	@Parameters(index = "1..*", paramLabel = "key=value", description = "The job's parameters.")
	Map<String, String> parameters = new LinkedHashMap<>();

	@Option(names = "--json", description = "The outcome as one JSON object.")
	boolean json;

	private final JobRuns runs;

	RunCommand(JobRuns runs) {
		this.runs = runs;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		return execute(out, System.err);
	}

	@Override
	public ExitCode execute(PrintStream out, PrintStream err) {
		return Outcomes.report(this.runs.start(this.job, this.parameters), this.json, out, err);
	}

}
