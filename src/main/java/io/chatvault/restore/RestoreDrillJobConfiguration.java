package io.chatvault.restore;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@value #JOB} ({@code quarter=YYYY-Qn}, {@code scope=full|last-30-days}; every 90
 * days): draws the quarter's custodians ({@value #SELECT_STEP}, fixed at the first
 * start), restores and proves each in a partition of its own ({@value #ACCOUNTS_STEP},
 * one partition per custodian, one after the other: a killed drill resumes with the
 * custodians not yet proven), then writes the report ({@value #REPORT_STEP}). Every step
 * may start again in a restarted execution: a custodian proven complete is not drilled
 * twice (its row says so), one that came back short is drilled again. A drill with any
 * shortfall ends FAILED with exit code 10 ({@code INTEGRITY_FAILURE}), naming what is
 * missing.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RestoreDrillProperties.class)
class RestoreDrillJobConfiguration {

	static final String JOB = RestoreDrill.JOB;

	static final String SELECT_STEP = "restore-drill.select";

	static final String ACCOUNTS_STEP = "restore-drill.accounts";

	static final String ACCOUNT_STEP = "restore-drill.account";

	static final String REPORT_STEP = "restore-drill.report";

	static final String QUARTER = "quarter";

	static final String SCOPE = "scope";

	static final String CUSTODIAN = "custodian";

	private static final String COMPLETE = "restore-drill.complete";

	private static final String SUMMARY = "restore-drill.summary";

	@Bean
	Job restoreDrillJob(JobRepository jobRepository, PlatformTransactionManager transactionManager, RestoreDrill drill,
			Step restoreDrillAccountsStep, Clock clock) {
		Step select = new StepBuilder(SELECT_STEP, jobRepository).tasklet((contribution, chunk) -> {
			StepExecution step = contribution.getStepExecution();
			JobParameters parameters = step.getJobParameters();
			List<RestoreDrill.Selected> selected = drill.select(step.getJobExecution().getJobInstance().getInstanceId(),
					parameters.getString(QUARTER), scope(parameters));
			contribution.incrementWriteCount(selected.size());
			step.setExitStatus(ExitStatus.COMPLETED
				.addExitDescription("drew " + selected.stream().map(RestoreDrill.Selected::custodian).toList()));
			return RepeatStatus.FINISHED;
		}, transactionManager).allowStartIfComplete(true).build();
		Step report = new StepBuilder(REPORT_STEP, jobRepository).tasklet((contribution, chunk) -> {
			StepExecution step = contribution.getStepExecution();
			JobParameters parameters = step.getJobParameters();
			RestoreDrill.Report written = drill.report(step.getJobExecution().getJobInstance().getInstanceId(),
					step.getJobExecutionId(), parameters.getString(QUARTER), scope(parameters));
			ExecutionContext context = step.getJobExecution().getExecutionContext();
			context.putString(COMPLETE, Boolean.toString(written.complete()));
			context.putString(SUMMARY, written.summary());
			return RepeatStatus.FINISHED;
		}, transactionManager).allowStartIfComplete(true).build();
		return new JobBuilder(JOB, jobRepository).validator(new Validator(clock)).listener(new JobExecutionListener() {
			@Override
			public void afterJob(JobExecution execution) {
				if (execution.getStatus() != BatchStatus.COMPLETED) {
					return;
				}
				String summary = execution.getExecutionContext().getString(SUMMARY, "");
				if ("false".equals(execution.getExecutionContext().getString(COMPLETE, "true"))) {
					execution.setStatus(BatchStatus.FAILED);
					execution.setExitStatus(new ExitStatus("INTEGRITY_FAILURE", summary));
				}
				else {
					execution.setExitStatus(new ExitStatus(ExitStatus.COMPLETED.getExitCode(), summary));
				}
			}
		}).start(select).next(restoreDrillAccountsStep).next(report).build();
	}

	@Bean
	Step restoreDrillAccountsStep(JobRepository jobRepository, Partitioner restoreDrillPartitioner,
			Step restoreDrillAccountStep) {
		TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
		handler.setStep(restoreDrillAccountStep);
		// One custodian after the other: each restore uses the machine, and the timing of
		// each account is the figure the drill reports.
		handler.setTaskExecutor(new SyncTaskExecutor());
		handler.setGridSize(1);
		return new StepBuilder(ACCOUNTS_STEP, jobRepository).partitioner(ACCOUNT_STEP, restoreDrillPartitioner)
			.partitionHandler(handler)
			.allowStartIfComplete(true)
			.build();
	}

	@Bean
	@StepScope
	Partitioner restoreDrillPartitioner(@Value("#{stepExecution}") StepExecution stepExecution, RestoreDrill drill) {
		long instanceId = stepExecution.getJobExecution().getJobInstance().getInstanceId();
		return (gridSize) -> {
			Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
			for (RestoreDrill.Selected selected : drill.selection(instanceId)) {
				ExecutionContext context = new ExecutionContext();
				context.putString(CUSTODIAN, selected.custodian());
				partitions.put(selected.custodian(), context);
			}
			return partitions;
		};
	}

	@Bean
	Step restoreDrillAccountStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			Tasklet restoreDrillAccountTasklet) {
		return new StepBuilder(ACCOUNT_STEP, jobRepository).tasklet(restoreDrillAccountTasklet, transactionManager)
			.allowStartIfComplete(true)
			.build();
	}

	@Bean
	@StepScope
	Tasklet restoreDrillAccountTasklet(@Value("#{stepExecution}") StepExecution stepExecution, RestoreDrill drill) {
		return (contribution, chunk) -> {
			String custodian = stepExecution.getExecutionContext().getString(CUSTODIAN);
			long instanceId = stepExecution.getJobExecution().getJobInstance().getInstanceId();
			JobParameters parameters = stepExecution.getJobParameters();
			RestoreDrill.Selected selected = drill.selection(instanceId)
				.stream()
				.filter((one) -> one.custodian().equals(custodian))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("custodian " + custodian + " is not drawn"));
			Optional<RestoreDrill.Account> account = drill.drill(instanceId, stepExecution.getJobExecutionId(),
					parameters.getString(QUARTER), scope(parameters), selected);
			if (account.isEmpty()) {
				stepExecution.setExitStatus(ExitStatus.COMPLETED
					.addExitDescription(custodian + " proven complete by an earlier execution"));
				return RepeatStatus.FINISHED;
			}
			contribution.incrementReadCount();
			contribution.incrementWriteCount(account.get().verifiedRecords());
			stepExecution
				.setExitStatus(ExitStatus.COMPLETED.addExitDescription(custodian + ": " + account.get().outcome() + ", "
						+ account.get().verifiedRecords() + " of " + account.get().indexRecords() + " records verified"
						+ ((account.get().erasedRecords() > 0) ? " (" + account.get().erasedRecords() + " erased)" : "")
						+ ", " + account.get().restoreMillis() + " ms, " + Math.round(account.get().messagesPerSecond())
						+ " records/s"));
			return RepeatStatus.FINISHED;
		};
	}

	static DrillScope scope(JobParameters parameters) {
		return DrillScope.of(parameters.getString(SCOPE, DrillScope.FULL.key())).orElseThrow();
	}

	/**
	 * Exactly {@code quarter} (well-formed, begun) and {@code scope}.
	 */
	record Validator(Clock clock) implements JobParametersValidator {

		private static final Pattern QUARTER_PATTERN = Pattern.compile("([0-9]{4})-Q([1-4])");

		@Override
		public void validate(JobParameters parameters) throws InvalidJobParametersException {
			Set<String> names = new TreeSet<>();
			for (JobParameter<?> parameter : parameters) {
				names.add(parameter.name());
			}
			if (!names.equals(Set.of(QUARTER, SCOPE))) {
				throw new InvalidJobParametersException("expected quarter=YYYY-Qn and scope=full|last-30-days; got "
						+ (names.isEmpty() ? "none" : String.join(", ", names)));
			}
			String quarter = parameters.getString(QUARTER);
			Matcher matcher = QUARTER_PATTERN.matcher((quarter != null) ? quarter : "");
			if (!matcher.matches()) {
				throw new InvalidJobParametersException("quarter=" + quarter + " is not a quarter such as 2025-Q1");
			}
			if (DrillScope.of(parameters.getString(SCOPE)).isEmpty()) {
				throw new InvalidJobParametersException(
						"scope=" + parameters.getString(SCOPE) + " is neither full nor last-30-days");
			}
			Instant start = java.time.LocalDate
				.of(Integer.parseInt(matcher.group(1)), (Integer.parseInt(matcher.group(2)) - 1) * 3 + 1, 1)
				.atStartOfDay(java.time.ZoneOffset.UTC)
				.toInstant();
			if (start.isAfter(this.clock.instant())) {
				throw new InvalidJobParametersException("quarter=" + quarter + " has not begun yet");
			}
		}

	}

}
