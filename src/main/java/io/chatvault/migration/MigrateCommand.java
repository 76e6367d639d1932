package io.chatvault.migration;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chatvault.cli.Command;
import io.chatvault.cli.CommandLine;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.UsageException;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * {@code chatvault migrate <file-or-dir> [format=..] [custodian=..] [zone=..]}: runs the
 * migration job on an export or a directory of exports, then prints the reconciliation.
 * The same input with the same options is the same run: a second call says "already
 * complete" and changes nothing; a failed run is resumed.
 */
@Component
class MigrateCommand implements Command {

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job migrationJob;

	private final MigrationParametersValidator validator;

	private final MigrationReport report;

	MigrateCommand(JobOperator jobOperator, JobRepository jobRepository, Job migrationJob,
			MigrationParametersValidator validator, MigrationReport report) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.migrationJob = migrationJob;
		this.validator = validator;
		this.report = report;
	}

	@Override
	public String name() {
		return "migrate";
	}

	@Override
	public String summary() {
		return "import historical exports (WhatsApp, Slack, Teams) into the archive";
	}

	@Override
	public String help() {
		return """
				Usage: chatvault migrate <file-or-dir> [format=auto] [custodian=<id>] [zone=<IANA zone>]

				Imports an export, or every export found in a directory (one partition each, in
				parallel), into the archive, and prints the reconciliation of every export:
				read = archived + duplicates + quarantined.

				  <file-or-dir>       a WhatsApp .txt or .zip, a Slack export .zip or directory,
				                      Teams JSON, or a directory holding any number of them
				  format=auto         whatsapp, slack, teams, whatsapp-cloud, or auto (detect)
				  custodian=<id>      the employee whose exports these are
				                      (default: chatvault.migration.default-custodian)
				  zone=<IANA zone>    the custodian's zone, to read zone-less WhatsApp times
				                      (default: chatvault.migration.default-zone, UTC)

				Same as: chatvault run migration source=<absolute path> [format=..] [custodian=..] [zone=..]
				Running it again with the same arguments reports "already complete" and changes
				nothing; after a failure it resumes where the last commit ended.

				Exit codes: 0 completed, 7 completed with quarantined records, 3 failed,
				4 stopped, 5 already running, 2 invalid arguments.

				Example: chatvault migrate samples/exports custodian=alice zone=Europe/Berlin
				""";
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		if (line.positionals().size() != 1) {
			throw new UsageException("migrate needs exactly one <file-or-dir>; see chatvault migrate --help");
		}
		Map<String, String> raw = new LinkedHashMap<>(line.parameters());
		if (raw.containsKey(MigrationParameters.SOURCE)) {
			throw new UsageException("give the source as the argument of migrate, not as source=");
		}
		raw.put(MigrationParameters.SOURCE, line.positionals().get(0));
		MigrationParameters parameters;
		try {
			parameters = MigrationParametersValidator.normalize(raw);
			this.validator.checkHasExports(parameters);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException(ex.getMessage());
		}
		JobParameters jobParameters = parameters.toJobParameters();
		JobExecution execution;
		try {
			execution = this.jobOperator.start(this.migrationJob, jobParameters);
		}
		catch (JobInstanceAlreadyCompleteException ex) {
			JobInstance instance = this.jobRepository.getJobInstance(MigrationJobConfiguration.JOB_NAME, jobParameters);
			out.println("already complete: " + parameters.source() + " was migrated by run " + instance.getInstanceId()
					+ "; nothing changed");
			this.report.print(instance.getInstanceId(), out);
			return ExitCode.COMPLETED;
		}
		catch (JobExecutionAlreadyRunningException ex) {
			out.println("already running: a migration of " + parameters.source()
					+ " is running (if its process died, run chatvault recover <execution> first)");
			return ExitCode.ALREADY_RUNNING;
		}
		catch (InvalidJobParametersException ex) {
			throw new UsageException(ex.getMessage());
		}
		catch (JobRestartException ex) {
			out.println("cannot resume the migration of " + parameters.source() + ": " + ex.getMessage());
			return ExitCode.NOT_RESTARTABLE;
		}
		out.println("migration of " + parameters.source() + ": execution " + execution.getId() + " "
				+ execution.getStatus());
		this.report.print(execution.getJobInstance().getInstanceId(), out);
		return exitCode(execution);
	}

	static ExitCode exitCode(JobExecution execution) {
		if (execution.getStatus() == BatchStatus.COMPLETED) {
			return MigrationJobListener.COMPLETED_WITH_QUARANTINE.equals(execution.getExitStatus().getExitCode())
					? ExitCode.COMPLETED_WITH_QUARANTINE : ExitCode.COMPLETED;
		}
		if (execution.getStatus() == BatchStatus.STOPPED) {
			return ExitCode.JOB_STOPPED;
		}
		return ExitCode.JOB_FAILED;
	}

}
