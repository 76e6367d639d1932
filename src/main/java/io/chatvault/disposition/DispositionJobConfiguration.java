package io.chatvault.disposition;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import io.chatvault.audit.AuditLog;
import io.chatvault.retention.LegalHolds;
import io.chatvault.storage.ObjectStore;
import io.chatvault.vault.VaultProperties;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@value #JOB} job ({@code chatvault run disposition day=YYYY-MM-DD [dry-run=true]},
 * daily): records past retention and not on hold leave the index, objects none of whose
 * content is indexed any more are deleted once the store's lock allows, and a certificate
 * of what went is written once to the store and to the audit log (see
 * {@link Disposition}). Each step is idempotent and remembers where it is in its
 * execution context, so a restart goes on where a crash stopped.
 */
@Configuration(proxyBeanMethods = false)
class DispositionJobConfiguration {

	/** The job's name. */
	static final String JOB = "disposition";

	static final String HOLDS_STEP = "disposition-holds";

	static final String RECORDS_STEP = "disposition-records";

	static final String FILES_STEP = "disposition-files";

	static final String OBJECTS_STEP = "disposition-objects";

	static final String CERTIFICATE_STEP = "disposition-certificate";

	/** Packs per transaction. */
	static final int PACKS_PER_CHUNK = 50;

	private static final String AFTER_PACK = "afterPack";

	@Bean
	Disposition disposition(JdbcTemplate jdbc, ObjectStore store, AuditLog audit, VaultProperties properties) {
		return new Disposition(jdbc, store, audit, properties.retention().defaultPeriod());
	}

	@Bean
	Job dispositionJob(JobRepository jobRepository, Step dispositionHoldsStep, Step dispositionRecordsStep,
			Step dispositionFilesStep, Step dispositionObjectsStep, Step dispositionCertificateStep,
			Disposition disposition) {
		return new JobBuilder(JOB, jobRepository).validator(new DispositionParameters())
			.listener(new JobExecutionListener() {
				@Override
				public void afterJob(JobExecution execution) {
					if (execution.getStatus() == BatchStatus.COMPLETED) {
						execution.setExitStatus(new ExitStatus(ExitStatus.COMPLETED.getExitCode(),
								disposition.summary(execution.getJobInstance().getInstanceId()).describe()));
					}
				}
			})
			.start(dispositionHoldsStep)
			.next(dispositionRecordsStep)
			.next(dispositionFilesStep)
			.next(dispositionObjectsStep)
			.next(dispositionCertificateStep)
			.build();
	}

	@Bean
	Step dispositionHoldsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			Disposition disposition, LegalHolds holds, Clock clock) {
		return new StepBuilder(HOLDS_STEP, jobRepository).tasklet((contribution, chunk) -> {
			StepExecution step = contribution.getStepExecution();
			disposition.start(instance(step), day(step), dryRun(step), clock.instant());
			if (!dryRun(step)) {
				// Objects written since a hold was placed get the store's flag too.
				contribution.incrementWriteCount(holds.refresh());
			}
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	@Bean
	Step dispositionRecordsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			Disposition disposition) {
		return new StepBuilder(RECORDS_STEP, jobRepository).tasklet((contribution, chunk) -> {
			StepExecution step = contribution.getStepExecution();
			long after = step.getExecutionContext().getLong(AFTER_PACK, 0L);
			Optional<Long> last = disposition.disposeRecords(instance(step), cutoff(disposition, step), dryRun(step),
					after, PACKS_PER_CHUNK);
			if (last.isEmpty()) {
				return RepeatStatus.FINISHED;
			}
			step.getExecutionContext().putLong(AFTER_PACK, last.get());
			contribution.incrementReadCount();
			return RepeatStatus.CONTINUABLE;
		}, transactionManager).build();
	}

	@Bean
	Step dispositionFilesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			Disposition disposition) {
		return new StepBuilder(FILES_STEP, jobRepository).tasklet((contribution, chunk) -> {
			StepExecution step = contribution.getStepExecution();
			contribution
				.incrementWriteCount(disposition.disposeFiles(instance(step), cutoff(disposition, step), dryRun(step)));
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	@Bean
	Step dispositionObjectsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			Disposition disposition, Clock clock) {
		return new StepBuilder(OBJECTS_STEP, jobRepository).tasklet((contribution, chunk) -> {
			StepExecution step = contribution.getStepExecution();
			long after = step.getExecutionContext().getLong(AFTER_PACK, 0L);
			Optional<Long> last = disposition.deleteObjects(instance(step), cutoff(disposition, step), dryRun(step),
					clock.instant(), after, PACKS_PER_CHUNK);
			if (last.isEmpty()) {
				return RepeatStatus.FINISHED;
			}
			step.getExecutionContext().putLong(AFTER_PACK, last.get());
			contribution.incrementReadCount();
			return RepeatStatus.CONTINUABLE;
		}, transactionManager).build();
	}

	@Bean
	Step dispositionCertificateStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			Disposition disposition, Clock clock) {
		return new StepBuilder(CERTIFICATE_STEP, jobRepository).tasklet((contribution, chunk) -> {
			StepExecution step = contribution.getStepExecution();
			disposition.certify(instance(step), day(step).toString(), dryRun(step), clock.instant());
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	private static long instance(StepExecution step) {
		return step.getJobExecution().getJobInstance().getInstanceId();
	}

	private static LocalDate day(StepExecution step) {
		return LocalDate.parse(step.getJobParameters().getString(DispositionParameters.DAY));
	}

	private static boolean dryRun(StepExecution step) {
		return Boolean.parseBoolean(step.getJobParameters().getString(DispositionParameters.DRY_RUN));
	}

	private static Instant cutoff(Disposition disposition, StepExecution step) {
		return disposition.summary(instance(step)).cutoff();
	}

}
