package io.chatvault.search;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.chatvault.vault.VaultReader;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@value #JOB} ({@code half=YYYY-Hn}, half-yearly): pretends the regulator asked for
 * each configured request ({@code chatvault.search.drill.requests}), times the search to
 * its complete result and checks its recall against a full decrypt-and-scan of the same
 * scope. Results go to {@code search_drill_request} and {@code search_drill_run} (they
 * commit even when the drill fails); a request below {@code min-recall} or slower than
 * {@code max-time} fails the run with {@code INTEGRITY_FAILURE} (exit 10), naming it.
 */
@Configuration(proxyBeanMethods = false)
class RegulatorDrillJobConfiguration {

	static final String JOB = "regulator-drill";

	static final String STEP = "regulator-drill-step";

	private static final String FAILURES = "drill.failures";

	@Bean
	RegulatorDrill regulatorDrill(Search search, VaultReader reader) {
		return new RegulatorDrill(search, reader);
	}

	@Bean
	Job regulatorDrillJob(JobRepository jobRepository, Step regulatorDrillStep) {
		return new JobBuilder(JOB, jobRepository).validator(PeriodParameter.half(JOB))
			.start(regulatorDrillStep)
			.listener(new JobExecutionListener() {
				@Override
				public void afterJob(JobExecution execution) {
					String failures = execution.getExecutionContext().getString(FAILURES, "");
					if (execution.getStatus() == BatchStatus.COMPLETED && !failures.isEmpty()) {
						execution.setStatus(BatchStatus.FAILED);
						execution.setExitStatus(new ExitStatus("INTEGRITY_FAILURE", failures));
					}
				}
			})
			.build();
	}

	@Bean
	Step regulatorDrillStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			RegulatorDrill drill, SearchProperties properties, JdbcTemplate jdbc, Clock clock) {
		return new StepBuilder(STEP, jobRepository).tasklet((contribution, chunk) -> {
			var step = chunk.getStepContext().getStepExecution();
			String half = step.getJobParameters().getString("half");
			long execution = step.getJobExecutionId();
			SearchProperties.Drill thresholds = properties.drill();
			List<String> failures = new ArrayList<>();
			for (SearchProperties.DrillRequest request : thresholds.requests()) {
				RegulatorDrill.Result result = drill.run(request, half, thresholds);
				contribution.incrementReadCount();
				jdbc.update("""
						INSERT INTO search_drill_request (job_execution_id, half, name, redacted_query, scope_from,
						    scope_to, custodians, hits, expected, found, scanned, erased, recall, first_page_ms,
						    complete_ms, passed, detail)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
						""", execution, half, result.name(), result.redactedQuery(), timestamp(result.from()),
						timestamp(result.to()),
						request.custodians().isEmpty() ? "*"
								: String.join(",", new java.util.TreeSet<>(request.custodians())),
						result.hits(), result.expected(), result.found(), result.scanned(), result.erased(),
						BigDecimal.valueOf(result.recall()), result.firstPage().toMillis(),
						result.complete().toMillis(), result.passed(), result.detail());
				if (!result.passed()) {
					failures.add("'" + result.name() + "' (" + result.redactedQuery() + "): " + result.detail());
				}
			}
			jdbc.update("""
					INSERT INTO search_drill_run (job_execution_id, half, requests, failed, min_recall, max_seconds,
					    passed, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
					""", execution, half, thresholds.requests().size(), failures.size(),
					BigDecimal.valueOf(thresholds.minRecall()),
					BigDecimal.valueOf(thresholds.maxTime().toMillis()).movePointLeft(3), failures.isEmpty(),
					Timestamp.from(clock.instant()));
			contribution.incrementWriteCount(thresholds.requests().size());
			if (!failures.isEmpty()) {
				step.getJobExecution()
					.getExecutionContext()
					.putString(FAILURES, String.format(Locale.ROOT, "regulator drill %s failed %d of %d request(s): %s",
							half, failures.size(), thresholds.requests().size(), String.join("; ", failures)));
			}
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	private static Timestamp timestamp(java.time.Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

}
