package io.chatvault.migration;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Starts the progress line before a run, and after it adds up the reconciliation of all
 * its exports (those finished by earlier executions of a restarted run included) into the
 * job's context and exit description. A completed run that quarantined records ends with
 * the exit status {@value #COMPLETED_WITH_QUARANTINE}, so that a scheduler can tell it
 * from a clean run.
 */
class MigrationJobListener implements JobExecutionListener {

	/** The exit code of a completed run that quarantined records. */
	static final String COMPLETED_WITH_QUARANTINE = "COMPLETED_WITH_QUARANTINE";

	static final String READ = "migration.read";

	static final String ARCHIVED = "migration.archived";

	static final String DUPLICATES = "migration.duplicates";

	static final String QUARANTINED = "migration.quarantined";

	static final String UNRECOGNIZED = "migration.unrecognized";

	private static final Log logger = LogFactory.getLog(MigrationJobListener.class);

	private final ExportSources sources;

	private final ReconciliationRepository reconciliations;

	private final JobRepository jobRepository;

	private final MigrationProgress progress;

	MigrationJobListener(ExportSources sources, ReconciliationRepository reconciliations, JobRepository jobRepository,
			MigrationProgress progress) {
		this.sources = sources;
		this.reconciliations = reconciliations;
		this.jobRepository = jobRepository;
		this.progress = progress;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		MigrationParameters parameters = MigrationParameters.of(jobExecution.getJobParameters());
		ExportPartitioner.Survey survey = new ExportPartitioner(this.sources, parameters).exports(parameters.source());
		if (!survey.unrecognized().isEmpty()) {
			jobExecution.getExecutionContext().putString(UNRECOGNIZED, String.join(", ", survey.unrecognized()));
			logger
				.warn("Not a chat export of a known format, not migrated: " + String.join(", ", survey.unrecognized()));
		}
		List<ReconciliationRepository.ExportReconciliation> done = this.reconciliations
			.findByJobInstance(jobExecution.getJobInstance().getInstanceId())
			.stream()
			.filter((r) -> BatchStatus.COMPLETED.name().equals(r.status()))
			.toList();
		long total = survey.exports().stream().mapToLong(ExportPartitioner.Export::size).sum();
		long doneBytes = survey.exports()
			.stream()
			.filter((e) -> done.stream().anyMatch((r) -> r.export().equals(e.path().toString())))
			.mapToLong(ExportPartitioner.Export::size)
			.sum();
		this.progress.start(survey.exports().size(), total, done.size(), doneBytes);
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		this.progress.stop();
		Reconciliation total = this.reconciliations.findByJobInstance(jobExecution.getJobInstance().getInstanceId())
			.stream()
			.map(ReconciliationRepository.ExportReconciliation::figures)
			.reduce(Reconciliation.NONE, Reconciliation::plus);
		jobExecution.getExecutionContext().putLong(READ, total.read());
		jobExecution.getExecutionContext().putLong(ARCHIVED, total.archived());
		jobExecution.getExecutionContext().putLong(DUPLICATES, total.duplicates());
		jobExecution.getExecutionContext().putLong(QUARANTINED, total.quarantined());
		this.jobRepository.updateExecutionContext(jobExecution);
		String summary = "reconciliation: " + total.describe();
		if (jobExecution.getStatus() == BatchStatus.COMPLETED) {
			// The partitions' lines are in their own steps; the job says the total.
			jobExecution.setExitStatus(new ExitStatus(
					(total.quarantined() > 0) ? COMPLETED_WITH_QUARANTINE : ExitStatus.COMPLETED.getExitCode(),
					summary));
		}
		else {
			jobExecution.setExitStatus(jobExecution.getExitStatus().addExitDescription(summary));
		}
		logger.info("Migration reconciliation: " + total.describe());
	}

}
