package io.chatvault.migration;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * At the end of each export's partition, whatever its outcome, records its
 * reconciliation: in the step's context and exit description (which {@code chatvault
 * show} prints) and in the {@code migration_reconciliation} table.
 */
class ExportReconciliationListener implements StepExecutionListener {

	static final String RECONCILIATION = "migration.reconciliation";

	private final ReconciliationRepository repository;

	ExportReconciliationListener(ReconciliationRepository repository) {
		this.repository = repository;
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		ExecutionContext context = stepExecution.getExecutionContext();
		Reconciliation figures = Reconciliation.of(context);
		String name = context.getString(ExportPartitioner.EXPORT_NAME, "");
		String line = name + ": " + figures.describe();
		context.putString(RECONCILIATION, line);
		this.repository.save(stepExecution.getJobExecution().getJobInstance().getInstanceId(),
				stepExecution.getJobExecutionId(),
				new ReconciliationRepository.ExportReconciliation(context.getString(ExportPartitioner.EXPORT, name),
						name, context.getString(ExportPartitioner.FORMAT, ""), stepExecution.getStepName(),
						stepExecution.getStatus().name(), figures, Reconciliation.firstQuarantined(context)));
		return stepExecution.getExitStatus().addExitDescription(line);
	}

}
