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

	/** The inventory of the source in one line: files in exports, quarantined, others. */
	static final String FILES = "migration.files";

	/** The first files under the source that are not exports. */
	static final String NOT_EXPORTS = "migration.notExports";

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
		SourceInventory.Inventory inventory = new ExportPartitioner(this.sources, parameters).inventory();
		long instance = jobExecution.getJobInstance().getInstanceId();
		this.reconciliations.saveFiles(instance, inventory);
		jobExecution.getExecutionContext().putString(FILES, inventory.describe());
		List<SourceInventory.Item> notExports = inventory.of(SourceInventory.Kind.NOT_AN_EXPORT);
		if (!notExports.isEmpty()) {
			jobExecution.getExecutionContext()
				.putString(NOT_EXPORTS,
						notExports.stream()
							.limit(20)
							.map(SourceInventory.Item::name)
							.collect(java.util.stream.Collectors.joining(", "))
								+ ((notExports.size() > 20) ? " and " + (notExports.size() - 20) + " more" : ""));
		}
		for (SourceInventory.Item unreadable : inventory.of(SourceInventory.Kind.UNREADABLE)) {
			logger.info("Quarantined whole, no format can read it: " + unreadable.name() + ": " + unreadable.reason());
		}
		List<ReconciliationRepository.ExportReconciliation> done = this.reconciliations.findByJobInstance(instance)
			.stream()
			.filter((r) -> BatchStatus.COMPLETED.name().equals(r.status()))
			.toList();
		List<SourceInventory.Item> partitions = inventory.partitions();
		long total = partitions.stream().mapToLong(SourceInventory.Item::size).sum();
		long doneBytes = partitions.stream()
			.filter((e) -> done.stream().anyMatch((r) -> r.export().equals(e.path().toString())))
			.mapToLong(SourceInventory.Item::size)
			.sum();
		this.progress.start(partitions.size(), total, done.size(), doneBytes);
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		this.progress.stop();
		Reconciliation total = this.reconciliations
			.findByJobInstance(jobExecution.getJobInstance().getInstanceId(), jobExecution)
			.stream()
			.map(ReconciliationRepository.ExportReconciliation::figures)
			.reduce(Reconciliation.NONE, Reconciliation::plus);
		jobExecution.getExecutionContext().putLong(READ, total.read());
		jobExecution.getExecutionContext().putLong(ARCHIVED, total.archived());
		jobExecution.getExecutionContext().putLong(DUPLICATES, total.duplicates());
		jobExecution.getExecutionContext().putLong(QUARANTINED, total.quarantined());
		this.jobRepository.updateExecutionContext(jobExecution);
		String summary = "reconciliation: " + total.describe() + "; "
				+ jobExecution.getExecutionContext().getString(FILES, "files not surveyed");
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
