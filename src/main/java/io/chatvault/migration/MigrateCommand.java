package io.chatvault.migration;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;
import io.chatvault.jobs.JobRuns;
import io.chatvault.jobs.RunOutcome;
import org.springframework.stereotype.Component;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chatvault migrate <file-or-dir> [format=..] [custodian=..] [zone=..]}: runs the
 * migration job on an export or a directory of exports, then prints the reconciliation.
 * The same input with the same options is the same run: a second call says "already
 * complete" and changes nothing; a failed or stopped run is resumed.
 */
@Component
@Command(name = "migrate",
		description = { "Import historical exports (WhatsApp, Slack, Teams) into the archive.", "",
				"Imports an export, or every export found in a directory (one partition each, in parallel),",
				"into the archive, and prints the reconciliation of every export:",
				"read = archived + duplicates + quarantined.", "",
				"Same as: chatvault run migration source=<absolute path> [format=..] [custodian=..] [zone=..]",
				"Running it again with the same arguments reports \"already complete\" and changes nothing;",
				"after a failure it resumes where the last commit ended." },
		footer = { "", "Parameters:", "  format=auto         whatsapp, slack, teams, whatsapp-cloud, or auto (detect)",
				"  custodian=<id>      the employee whose exports these are",
				"                      (default: chatvault.migration.default-custodian)",
				"  zone=<IANA zone>    the custodian's zone, to read zone-less WhatsApp times",
				"                      (default: chatvault.migration.default-zone, UTC)", "",
				"Exit codes: 0 completed, 7 completed with quarantined records, 3 failed, 4 stopped,",
				"5 already running, 2 invalid arguments.", "",
				"Example: chatvault migrate samples/exports custodian=alice zone=Europe/Berlin" })
class MigrateCommand implements CliCommand {

	@Parameters(index = "0", paramLabel = "<file-or-dir>",
			description = { "A WhatsApp .txt or .zip, a Slack export .zip or directory, Teams JSON, or a directory",
					"holding any number of them." })
	String source;

	@Parameters(index = "1..*", paramLabel = "key=value", description = "format=, custodian=, zone= (below).")
	Map<String, String> parameters = new LinkedHashMap<>();

	@Option(names = "--json", description = "The outcome and reconciliation as one JSON object.")
	boolean json;

	private static final Set<ExitCode> RESULTS = Set.of(ExitCode.COMPLETED, ExitCode.COMPLETED_WITH_QUARANTINE,
			ExitCode.COMPLETED_WITH_FINDINGS, ExitCode.JOB_FAILED, ExitCode.INTEGRITY_FAILURE, ExitCode.JOB_STOPPED);

	private final JobRuns runs;

	private final MigrationReport report;

	MigrateCommand(JobRuns runs, MigrationReport report) {
		this.runs = runs;
		this.report = report;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		return execute(out, System.err);
	}

	@Override
	public ExitCode execute(PrintStream out, PrintStream err) {
		Map<String, String> raw = new LinkedHashMap<>(this.parameters);
		if (raw.containsKey(MigrationParameters.SOURCE)) {
			throw new UsageException("give the source as the argument of migrate, not as source=");
		}
		raw.put(MigrationParameters.SOURCE, this.source);
		// Normalized by MigrationParametersNormalizer, as for `run migration`.
		RunOutcome outcome = this.runs.start(MigrationJobConfiguration.JOB_NAME, raw);
		if (!RESULTS.contains(outcome.exitCode())) {
			throw new CommandException(outcome.exitCode(), outcome.message());
		}
		// A stopped run was stopped by a shutdown (SIGTERM) that is closing the database
		// meanwhile: its message says how to resume, the reconciliation comes with the
		// run that completes.
		long instance = (outcome.exitCode() == ExitCode.JOB_STOPPED) ? -1L
				: outcome.execution().map((e) -> e.getJobInstance().getInstanceId()).orElse(-1L);
		if (this.json) {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("exitCode", outcome.exitCode().code());
			json.put("outcome", outcome.exitCode().name());
			json.put("message", outcome.message());
			outcome.execution().ifPresent((execution) -> json.put("executionId", execution.getId()));
			if (instance >= 0) {
				json.put("reconciliation", this.report.json(instance, outcome.execution().orElse(null)));
			}
			JsonOutput.print(out, json);
		}
		else {
			out.println(outcome.message());
			if (instance >= 0) {
				this.report.print(instance, outcome.execution().orElse(null), out);
			}
		}
		outcome.reportFailure(err);
		return outcome.exitCode();
	}

}
