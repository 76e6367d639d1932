package io.chatvault.report;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.UsageException;
import io.chatvault.jobs.JobRuns;
import io.chatvault.jobs.RunOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.springframework.stereotype.Component;

/**
 * {@code chatvault report [month=YYYY-MM | week=YYYY-Www] [--to-file PATH]}: runs the
 * compliance-report job and prints where the workbook went.
 */
@Component
@Command(name = "report",
		description = { "Build, store and deliver the compliance report (an XLSX workbook).", "",
				"Same as: chatvault run compliance-report [month=YYYY-MM | week=YYYY-Www] [to-file=<path>]",
				"Left out, the period is the month that has ended. The workbook is kept in the write-once",
				"store with its SHA-256 in the audit log, and mailed to chatvault.report.monthly (or .weekly)",
				"once; --to-file writes it to a file instead (a delivery of its own)." },
		footer = { "", "Exit codes: 0 delivered, every KPI met; 9 delivered with missed targets or findings;",
				"6 the mail server refused or is not configured (run it again to send); 2 a bad period;",
				"3 failed; 5 already running.", "", "Example: chatvault report month=2025-03 --to-file march.xlsx" })
class ReportCommand implements CliCommand {

	@Parameters(index = "0..*", paramLabel = "key=value", description = "month=YYYY-MM or week=YYYY-Www.")
	Map<String, String> parameters = new LinkedHashMap<>();

	@Option(names = "--to-file", paramLabel = "PATH", description = "Write the workbook here instead of mailing it.")
	Path toFile;

	private final JobRuns runs;

	private final ReportDeliveries deliveries;

	ReportCommand(JobRuns runs, ReportDeliveries deliveries) {
		this.runs = runs;
		this.deliveries = deliveries;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		Map<String, String> given = new LinkedHashMap<>(this.parameters);
		if (given.containsKey(ReportJobConfiguration.TO_FILE)) {
			throw new UsageException("give the file as --to-file PATH");
		}
		if (this.toFile != null) {
			given.put(ReportJobConfiguration.TO_FILE, this.toFile.toString());
		}
		RunOutcome outcome = this.runs.start(ReportJobConfiguration.JOB, given);
		if (outcome.execution().isEmpty()) {
			throw new CommandException(outcome.exitCode(), outcome.message());
		}
		out.println(outcome.message());
		this.deliveries.find(outcome.execution().get().getJobInstance().getInstanceId())
			.ifPresent((delivery) -> out
				.println("Workbook " + delivery.objectKey().orElse("(not stored yet)") + " SHA-256 " + delivery.sha256()
						+ ", " + delivery.state().name().toLowerCase(java.util.Locale.ROOT) + " to "
						+ String.join(", ", delivery.recipients())));
		return outcome.exitCode();
	}

}
