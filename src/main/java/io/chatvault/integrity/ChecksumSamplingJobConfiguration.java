package io.chatvault.integrity;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.chatvault.vault.VaultCatalog;
import io.chatvault.vault.VaultCatalog.ItemKind;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@value #JOB} job ({@code chatvault run checksum-sampling day=YYYY-MM-DD
 * [full=true]}), daily, with a full pass monthly. Three steps:
 * <ol>
 * <li>{@value #DRAW_STEP}: draws the day's seeded sample of every kind of stored item
 * ({@link SampleDraw}) into {@code integrity_run_kind};</li>
 * <li>{@value #CHECK_STEP}: checks the drawn items in partitions (a range of packs, each
 * pack read once for itself and its drawn blocks; or a kind kept outside packs and a
 * range of ids), on {@code chatvault.integrity.grid-size} threads, each a restartable
 * chunk-oriented step: {@link DrawnPacks} or {@link SampledItems}, {@link ItemCheck}
 * (repairs from the replica through {@link IntegrityRepairs}), {@link PartCounts};</li>
 * <li>{@value #SUMMARY_STEP} (run again by every restart): tries unrepairable objects
 * again, writes {@code integrity_run} and the one-line summary.</li>
 * </ol>
 * Ends {@code COMPLETED} (exit 0) when everything checked out,
 * {@code COMPLETED_WITH_FINDINGS} (9) when every damaged object was repaired, and
 * {@code FAILED} with {@code INTEGRITY_FAILURE} (10) when an object is damaged in both
 * copies; a restart of that run tries those objects again.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IntegrityProperties.class)
class ChecksumSamplingJobConfiguration {

	/** The job's name. */
	static final String JOB = "checksum-sampling";

	static final String DRAW_STEP = "checksum-sampling-draw";

	static final String CHECK_STEP = "checksum-sampling-check";

	static final String CHECK_PART_STEP = "checksum-sampling-check-part";

	static final String SUMMARY_STEP = "checksum-sampling-summary";

	static final String OUTCOME = "integrity.outcome";

	static final String SUMMARY = "integrity.summary";

	@Bean
	Job checksumSamplingJob(JobRepository jobRepository, Step checksumSamplingDrawStep, Step checksumSamplingCheckStep,
			Step checksumSamplingSummaryStep, Clock clock) {
		return new JobBuilder(JOB, jobRepository).validator(new Validator(clock))
			.listener(new Outcome())
			.start(checksumSamplingDrawStep)
			.next(checksumSamplingCheckStep)
			.next(checksumSamplingSummaryStep)
			.build();
	}

	@Bean
	Step checksumSamplingDrawStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ChecksumSampling sampling) {
		return new StepBuilder(DRAW_STEP, jobRepository).tasklet((contribution, context) -> {
			StepExecution step = contribution.getStepExecution();
			// While the draw reads the index: the decryption path compiled before the
			// checks start (BlockCipher.warmUp).
			Thread warmUp = new Thread(io.chatvault.crypto.BlockCipher::warmUp, "checksum-sampling-warm-up");
			warmUp.setDaemon(true);
			warmUp.start();
			sampling.draw(run(step), full(step.getJobParameters()));
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	@Bean
	@StepScope
	KindPartitioner checksumSamplingPartitioner(@Value("#{stepExecution}") StepExecution stepExecution,
			ChecksumSampling sampling) {
		return new KindPartitioner(sampling, stepExecution.getJobExecution().getJobInstance().getId());
	}

	@Bean
	Step checksumSamplingCheckStep(JobRepository jobRepository, Step checksumSamplingCheckPartStep,
			KindPartitioner checksumSamplingPartitioner, IntegrityProperties properties) {
		SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("checksum-sampling-");
		threads.setConcurrencyLimit(properties.gridSize());
		TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
		handler.setStep(checksumSamplingCheckPartStep);
		handler.setTaskExecutor(threads);
		handler.setGridSize(properties.gridSize());
		return new StepBuilder(CHECK_STEP, jobRepository).partitioner(CHECK_PART_STEP, checksumSamplingPartitioner)
			.partitionHandler(handler)
			.build();
	}

	@Bean
	Step checksumSamplingCheckPartStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ItemStreamReader<Drawn> checksumSamplingReader, ItemCheck checksumSamplingCheck,
			PartCounts checksumSamplingCounts, IntegrityProperties properties) {
		return new StepBuilder(CHECK_PART_STEP, jobRepository).<Drawn, List<ItemCheck.Checked>>chunk(
				properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(checksumSamplingReader)
			.processor(checksumSamplingCheck)
			.writer(checksumSamplingCounts)
			.build();
	}

	@Bean
	@StepScope
	ItemStreamReader<Drawn> checksumSamplingReader(@Value("#{stepExecution}") StepExecution stepExecution,
			VaultCatalog catalog) {
		ExecutionContext part = stepExecution.getExecutionContext();
		SampleDraw draw = new SampleDraw(day(stepExecution.getJobParameters()));
		long from = part.getLong(ChecksumSampling.FROM);
		long to = part.getLong(ChecksumSampling.TO);
		if (ChecksumSampling.PACKS.equals(part.getString(ChecksumSampling.KIND))) {
			Map<ItemKind, DrawnPacks.Drawing> drawings = new EnumMap<>(ItemKind.class);
			for (ItemKind kind : ItemKind.values()) {
				if (part.containsKey(ChecksumSampling.MAX_ID + kind.name())) {
					drawings.put(kind, new DrawnPacks.Drawing(part.getLong(ChecksumSampling.MAX_ID + kind.name()),
							part.getString(ChecksumSampling.THRESHOLD + "." + kind.name())));
				}
			}
			return new DrawnPacks(catalog, draw, from, to, drawings);
		}
		return new SampledItems(catalog, draw, ItemKind.valueOf(part.getString(ChecksumSampling.KIND)), from, to,
				part.getString(ChecksumSampling.THRESHOLD));
	}

	@Bean
	@StepScope
	ItemCheck checksumSamplingCheck(@Value("#{stepExecution}") StepExecution stepExecution, VaultCatalog catalog,
			IntegrityRepairs repairs, Clock clock) {
		return new ItemCheck(catalog, repairs, run(stepExecution), clock);
	}

	@Bean
	@StepScope
	PartCounts checksumSamplingCounts(@Value("#{stepExecution}") StepExecution stepExecution, JdbcTemplate jdbc) {
		return new PartCounts(jdbc, run(stepExecution).instanceId(),
				stepExecution.getExecutionContext().getString(ChecksumSampling.PART));
	}

	@Bean
	Step checksumSamplingSummaryStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ChecksumSampling sampling) {
		return new StepBuilder(SUMMARY_STEP, jobRepository).tasklet((contribution, context) -> {
			StepExecution step = contribution.getStepExecution();
			JobExecution job = step.getJobExecution();
			IntegrityRepairs.Run run = run(step);
			double seconds = sampling.seconds(run.instanceId(), job.getId(), job.getStartTime());
			java.time.Instant startedAt = sampling.firstStart(run.instanceId());
			ChecksumSampling.Summary summary = sampling.summarize(run, full(step.getJobParameters()), startedAt,
					seconds);
			job.getExecutionContext().putString(OUTCOME, summary.outcome());
			job.getExecutionContext().putString(SUMMARY, summary.line());
			return RepeatStatus.FINISHED;
		}, transactionManager).allowStartIfComplete(true).build();
	}

	static IntegrityRepairs.Run run(StepExecution step) {
		JobExecution job = step.getJobExecution();
		return new IntegrityRepairs.Run(job.getJobInstance().getId(), job.getId(), day(step.getJobParameters()));
	}

	static LocalDate day(JobParameters parameters) {
		return LocalDate.parse(parameters.getString("day"));
	}

	static boolean full(JobParameters parameters) {
		return "true".equals(parameters.getString("full"));
	}

	/** Partitions by kind and id range, from the draw of this run. */
	static class KindPartitioner implements org.springframework.batch.core.partition.Partitioner {

		private final ChecksumSampling sampling;

		private final long instanceId;

		KindPartitioner(ChecksumSampling sampling, long instanceId) {
			this.sampling = sampling;
			this.instanceId = instanceId;
		}

		@Override
		public java.util.Map<String, ExecutionContext> partition(int gridSize) {
			return this.sampling.partitions(this.instanceId, gridSize);
		}

	}

	/**
	 * The exit status from the summary: 9 for repaired findings, 10 (the run FAILED) for
	 * unrepairable ones.
	 */
	private static final class Outcome implements JobExecutionListener {

		@Override
		public void afterJob(JobExecution execution) {
			if (execution.getStatus() != BatchStatus.COMPLETED) {
				return;
			}
			String outcome = execution.getExecutionContext().getString(OUTCOME, "intact");
			String summary = execution.getExecutionContext().getString(SUMMARY, "");
			switch (outcome) {
				case "unrepairable" -> {
					execution.setStatus(BatchStatus.FAILED);
					execution.setExitStatus(new ExitStatus("INTEGRITY_FAILURE", summary));
				}
				case "repaired" -> execution.setExitStatus(new ExitStatus("COMPLETED_WITH_FINDINGS", summary));
				default -> execution.setExitStatus(new ExitStatus(ExitStatus.COMPLETED.getExitCode(), summary));
			}
		}

	}

	/**
	 * {@code day} (an ISO date, not in the future) and {@code full} ({@code true} or
	 * {@code false}), nothing else.
	 */
	private record Validator(Clock clock) implements JobParametersValidator {

		@Override
		public void validate(JobParameters parameters) throws InvalidJobParametersException {
			Set<String> names = new TreeSet<>();
			for (JobParameter<?> parameter : parameters) {
				names.add(parameter.name());
			}
			names.removeAll(Set.of("day", "full"));
			if (!names.isEmpty() || parameters.getString("day") == null) {
				throw new InvalidJobParametersException(
						"checksum-sampling takes day=YYYY-MM-DD and optionally full=true (given: " + names + ")");
			}
			LocalDate day;
			try {
				day = LocalDate.parse(parameters.getString("day"));
			}
			catch (DateTimeParseException ex) {
				throw new InvalidJobParametersException(
						"day must be a date YYYY-MM-DD, not '" + parameters.getString("day") + "'");
			}
			if (day.isAfter(LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC))) {
				throw new InvalidJobParametersException("day=" + day + " is in the future");
			}
			String full = parameters.getString("full");
			if (full != null && !full.equals("true") && !full.equals("false")) {
				throw new InvalidJobParametersException("full must be true or false, not '" + full + "'");
			}
		}

	}

}
