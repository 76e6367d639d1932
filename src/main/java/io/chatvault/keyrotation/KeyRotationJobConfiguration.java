package io.chatvault.keyrotation;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.chatvault.audit.AuditLog;
import io.chatvault.cli.StatusContributor;
import io.chatvault.crypto.KeyEncryptionKeys;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@value #JOB} job ({@code chatvault run key-rotation quarter=YYYY-Qn}, every 90
 * days): step {@value #VERSION_STEP} adds a key-encryption key version (once per run),
 * step {@value #REWRAP_STEP} re-wraps every live data key wrapped by an older version, in
 * chunks of {@value #CHUNK} (a keyset-paged reader by key id: a restart goes on after the
 * last committed chunk, and a key re-wrapped already is skipped by its version), and step
 * {@value #RETIRE_STEP} retires the older versions nothing uses any more. No ciphertext
 * is rewritten.
 */
@Configuration(proxyBeanMethods = false)
class KeyRotationJobConfiguration {

	/** The job's name. */
	static final String JOB = "key-rotation";

	static final String VERSION_STEP = "key-rotation-version";

	static final String REWRAP_STEP = "key-rotation-rewrap";

	static final String RETIRE_STEP = "key-rotation-retire";

	/** Data keys per transaction. */
	static final int CHUNK = 500;

	private static final Pattern QUARTER = Pattern.compile("[0-9]{4}-Q[1-4]");

	@Bean
	KeyRotation keyRotation(JdbcTemplate jdbc, KeyEncryptionKeys keks, AuditLog audit, Clock clock) {
		return new KeyRotation(jdbc, keks, audit, clock);
	}

	@Bean
	StatusContributor keyStatus(KeyRotation keyRotation) {
		return () -> Map.of("keys", keyRotation.figures());
	}

	@Bean
	Job keyRotationJob(JobRepository jobRepository, Step keyRotationVersionStep, Step keyRotationRewrapStep,
			Step keyRotationRetireStep, KeyRotation rotation) {
		return new JobBuilder(JOB, jobRepository).validator(KeyRotationJobConfiguration::validate)
			.listener(new JobExecutionListener() {
				@Override
				public void afterJob(JobExecution execution) {
					if (execution.getStatus() == BatchStatus.COMPLETED) {
						execution.setExitStatus(new ExitStatus(ExitStatus.COMPLETED.getExitCode(),
								rotation.summary(execution.getJobInstance().getInstanceId())));
					}
				}
			})
			.start(keyRotationVersionStep)
			.next(keyRotationRewrapStep)
			.next(keyRotationRetireStep)
			.build();
	}

	@Bean
	Step keyRotationVersionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			KeyRotation rotation) {
		return new StepBuilder(VERSION_STEP, jobRepository).tasklet((contribution, chunk) -> {
			StepExecution step = contribution.getStepExecution();
			rotation.newVersion(instance(step), step.getJobParameters().getString("quarter"));
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	@Bean
	Step keyRotationRewrapStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<KeyRotation.DataKeyRow> keyRotationReader,
			ItemWriter<KeyRotation.DataKeyRow> keyRotationWriter) {
		return new StepBuilder(REWRAP_STEP, jobRepository).<KeyRotation.DataKeyRow, KeyRotation.DataKeyRow>chunk(CHUNK)
			.transactionManager(transactionManager)
			.reader(keyRotationReader)
			.writer(keyRotationWriter)
			.build();
	}

	@Bean
	@StepScope
	JdbcPagingItemReader<KeyRotation.DataKeyRow> keyRotationReader(DataSource dataSource,
			@Value("#{stepExecution.jobExecution.jobInstance.instanceId}") Long instance) throws Exception {
		return new JdbcPagingItemReaderBuilder<KeyRotation.DataKeyRow>().name("key-rotation-reader")
			.dataSource(dataSource)
			.selectClause("SELECT id, kek_version, wrapped_key")
			.fromClause("FROM vault_data_key")
			.whereClause("WHERE destroyed_at IS NULL AND kek_version < (SELECT new_version FROM key_rotation_run "
					+ "WHERE job_instance_id = :instance)")
			.parameterValues(Map.of("instance", instance))
			.sortKeys(Map.of("id", Order.ASCENDING))
			.pageSize(CHUNK)
			.rowMapper((rs, row) -> new KeyRotation.DataKeyRow(rs.getLong(1), rs.getInt(2), rs.getBytes(3)))
			.build();
	}

	@Bean
	@StepScope
	ItemWriter<KeyRotation.DataKeyRow> keyRotationWriter(KeyRotation rotation,
			@Value("#{stepExecution.jobExecution.jobInstance.instanceId}") Long instance,
			@Value("${chatvault.crypto.rotation-chunk-pause:0ms}") java.time.Duration pause) {
		return (chunk) -> {
			rotation.rewrap(instance, java.util.List.copyOf(chunk.getItems()));
			// Spares an HSM that other applications share.
			if (!pause.isZero()) {
				Thread.sleep(pause.toMillis());
			}
		};
	}

	@Bean
	Step keyRotationRetireStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			KeyRotation rotation) {
		return new StepBuilder(RETIRE_STEP, jobRepository).tasklet((contribution, chunk) -> {
			long instance = instance(contribution.getStepExecution());
			contribution
				.incrementWriteCount(rotation.retireUnused(instance, rotation.recorded(instance).orElseThrow()).size());
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	private static long instance(StepExecution step) {
		return step.getJobExecution().getJobInstance().getInstanceId();
	}

	private static void validate(org.springframework.batch.core.job.parameters.JobParameters parameters)
			throws InvalidJobParametersException {
		Set<String> names = new TreeSet<>();
		for (JobParameter<?> parameter : parameters) {
			names.add(parameter.name());
		}
		if (!names.equals(Set.of("quarter"))) {
			throw new InvalidJobParametersException(
					"key-rotation takes one parameter, quarter=YYYY-Qn (given: " + names + ")");
		}
		String quarter = String.valueOf(parameters.getParameter("quarter").value());
		if (!QUARTER.matcher(quarter).matches()) {
			throw new InvalidJobParametersException("quarter must be YYYY-Qn, not '" + quarter + "'");
		}
	}

}
