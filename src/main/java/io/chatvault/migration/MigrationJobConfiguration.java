package io.chatvault.migration;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;

import javax.sql.DataSource;

import io.chatvault.database.ConnectionPools;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.DateOrder;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.SourceOptions;
import io.chatvault.vault.Vault;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@value #JOB_NAME} job: imports historical exports into the vault. A manager step
 * partitions the source into its exports; each partition is a chunk-oriented step that
 * reads the export's records, prepares them for the vault and writes them through it,
 * saving the reader's position with every commit. Partitions run in parallel on local
 * threads; their state lives in the job repository, which is where remote workers will
 * plug in.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MigrationProperties.class)
class MigrationJobConfiguration {

	private static final Log logger = LogFactory.getLog(MigrationJobConfiguration.class);

	/** The job's name: {@code chatvault run migration}. */
	static final String JOB_NAME = "migration";

	/** The manager step, which partitions the source into its exports. */
	static final String MANAGER_STEP_NAME = "migrateExports";

	/**
	 * The worker step, run once per export; its executions are named after the manager,
	 * {@code migrateExports:export0001-<name>}, the convention by which the CLI counts a
	 * partitioned step once.
	 */
	static final String WORKER_STEP_NAME = "migrateExport";

	@Bean
	MigrationProgress migrationProgress(MigrationProperties properties) {
		return MigrationProgress.forConsole(properties.progress());
	}

	@Bean
	MigrationParametersValidator migrationParametersValidator(ExportSources sources) {
		return new MigrationParametersValidator(sources);
	}

	@Bean
	Job migrationJob(JobRepository jobRepository, MigrationParametersValidator validator, Step migrateExportsStep,
			ExportSources sources, ReconciliationRepository reconciliations, MigrationProgress progress) {
		return new JobBuilder(JOB_NAME, jobRepository).validator(validator)
			.listener(new MigrationJobListener(sources, reconciliations, jobRepository, progress))
			.start(migrateExportsStep)
			.build();
	}

	@Bean
	Step migrateExportsStep(JobRepository jobRepository, ExportPartitioner exportPartitioner, Step migrateExportStep,
			MigrationProperties properties, DataSource dataSource) {
		int poolSize = ConnectionPools.maximumSize(dataSource);
		int gridSize = properties.effectiveGridSize(poolSize);
		if (gridSize < properties.effectiveGridSize()) {
			logger.warn("Migrating " + gridSize + " exports at once, not " + properties.effectiveGridSize()
					+ ": the connection pool holds " + poolSize + " (each export can hold two)");
		}
		SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("migration-");
		threads.setConcurrencyLimit(gridSize);
		TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
		handler.setStep(migrateExportStep);
		handler.setTaskExecutor(threads);
		handler.setGridSize(gridSize);
		return new StepBuilder(MANAGER_STEP_NAME, jobRepository).partitioner(MANAGER_STEP_NAME, exportPartitioner)
			.partitionHandler(handler)
			.aggregator(new ExportsAggregator())
			.build();
	}

	@Bean
	Step migrateExportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ExportReader exportReader, VaultPreparingProcessor vaultPreparingProcessor, VaultWriter vaultWriter,
			ReconciliationRepository reconciliations, MigrationProperties properties) {
		return new StepBuilder(WORKER_STEP_NAME, jobRepository)
			.<SourceRecord, MigrationItem>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(StepBound.reader(exportReader))
			.processor(StepBound.processor(vaultPreparingProcessor))
			.writer(vaultWriter)
			.listener(new ExportReconciliationListener(reconciliations))
			.build();
	}

	@Bean
	@StepScope
	ExportPartitioner exportPartitioner(@Value("#{stepExecution}") StepExecution stepExecution, ExportSources sources) {
		return new ExportPartitioner(sources, MigrationParameters.of(stepExecution.getJobParameters()));
	}

	@Bean
	@StepScope
	ExportReader exportReader(@Value("#{stepExecution}") StepExecution stepExecution, ExportSources sources,
			MigrationProperties properties, MigrationProgress progress, Vault vault) {
		MigrationParameters parameters = MigrationParameters.of(stepExecution.getJobParameters());
		ExecutionContext partition = stepExecution.getExecutionContext();
		Path export = Path.of(partition.getString(ExportPartitioner.EXPORT));
		Optional<SourceFormat> format = SourceFormat.fromKey(partition.getString(ExportPartitioner.FORMAT, ""))
			.or(parameters::format);
		SourceOptions options = new SourceOptions(custodian(parameters, properties),
				parameters.zone().orElseGet(() -> ZoneId.of(properties.defaultZone())), DateOrder.AUTO);
		String unreadable = SourceInventory.UNREADABLE.equals(partition.getString(ExportPartitioner.FORMAT, ""))
				? partition.getString(ExportPartitioner.REASON, "no format can read it") : null;
		return new ExportReader(sources, export, format, options, progress,
				partition.getLong(ExportPartitioner.SIZE, 0L), unreadable, new ExportIntake(vault, export, format,
						custodian(parameters, properties), ExportIntake.key(stepExecution)));
	}

	@Bean
	@StepScope
	VaultPreparingProcessor vaultPreparingProcessor(@Value("#{stepExecution}") StepExecution stepExecution, Vault vault,
			MigrationProperties properties) {
		return new VaultPreparingProcessor(vault,
				custodian(MigrationParameters.of(stepExecution.getJobParameters()), properties),
				ExportIntake.key(stepExecution));
	}

	@Bean
	@StepScope
	VaultWriter vaultWriter(@Value("#{stepExecution}") StepExecution stepExecution, Vault vault,
			MigrationProperties properties, MigrationProgress progress) {
		return new VaultWriter(vault, custodian(MigrationParameters.of(stepExecution.getJobParameters()), properties),
				progress);
	}

	private static String custodian(MigrationParameters parameters, MigrationProperties properties) {
		return parameters.custodian().orElse(properties.defaultCustodian());
	}

}
