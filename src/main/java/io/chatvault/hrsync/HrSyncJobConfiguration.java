package io.chatvault.hrsync;

import java.util.List;
import java.util.Optional;

import io.chatvault.access.Custodians;
import io.chatvault.access.RevokedAccess;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@value #JOB_NAME} job ({@code chatvault run hr-sync hour=YYYY-MM-DDTHH}, hourly):
 * applies the HR feed. Step {@value #FEED_STEP} applies one pending file per transaction
 * (the file's changes, its audit entries and the record that it was applied commit
 * together, so a crash leaves each file applied whole or not at all, and a restart goes
 * on with the next); step {@value #DEPARTURES_STEP} applies departures announced earlier
 * whose day has come and revokes anything still live for a departed custodian. A run that
 * rejected a file ends {@code COMPLETED_WITH_QUARANTINE} (exit code 7).
 */
@Configuration(proxyBeanMethods = false)
class HrSyncJobConfiguration {

	/** The job's name. */
	static final String JOB_NAME = "hr-sync";

	static final String FEED_STEP = "applyHrFeed";

	static final String DEPARTURES_STEP = "applyDueDepartures";

	@Bean
	Job hrSyncJob(JobRepository jobRepository, Step applyHrFeedStep, Step applyDueDeparturesStep, JdbcTemplate jdbc,
			java.time.Clock clock) {
		return new JobBuilder(JOB_NAME, jobRepository).validator(new HrSyncParameters())
			.listener(new HrSyncJobListener(jdbc, clock))
			.start(applyHrFeedStep)
			.next(applyDueDeparturesStep)
			.build();
	}

	@Bean
	Step applyHrFeedStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			HrFeedApplier applier) {
		return new StepBuilder(FEED_STEP, jobRepository).tasklet((contribution, chunk) -> {
			Optional<HrFeedApplier.FeedFile> next = applier.nextPending();
			if (next.isEmpty()) {
				return RepeatStatus.FINISHED;
			}
			var stepExecution = contribution.getStepExecution();
			var parsed = applier.apply(next.get(), stepExecution.getJobExecutionId(), hour(stepExecution));
			contribution.incrementReadCount();
			if (parsed.wellFormed()) {
				contribution.incrementWriteCount(parsed.rows().size());
			}
			else {
				contribution.incrementFilterCount(parsed.bad().size());
			}
			return RepeatStatus.CONTINUABLE;
		}, transactionManager).allowStartIfComplete(false).build();
	}

	@Bean
	Step applyDueDeparturesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			Custodians custodians, HrFeedApplier applier) {
		return new StepBuilder(DEPARTURES_STEP, jobRepository).tasklet((contribution, chunk) -> {
			var stepExecution = contribution.getStepExecution();
			List<Custodians.Departure> departures = custodians.applyDueDepartures(HrFeedApplier.ACTOR);
			for (Custodians.Departure departure : departures) {
				RevokedAccess revoked = departure.revoked();
				applier.record(stepExecution.getJobExecutionId(), hour(stepExecution), null, null,
						departure.custodianId(), "leaver", "departed " + departure.date()
								+ " (announced earlier, or access left over after the departure)",
						revoked);
			}
			contribution.incrementWriteCount(departures.size());
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	static String hour(org.springframework.batch.core.step.StepExecution stepExecution) {
		return stepExecution.getJobParameters().getString(HrSyncParameters.HOUR);
	}

}
