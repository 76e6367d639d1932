package io.chatvault.audit;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@code audit-anchor} job ({@code chatvault run audit-anchor day=YYYY-MM-DD}), run
 * daily by the scheduler: anchors the head of the audit chain in the write-once store, so
 * that entries written outside job runs (reads of content, grants, holds) are anchored
 * within a day. Every other job anchors at its end already.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
class AuditAnchorJobConfiguration {

	/** The job's name. */
	static final String JOB = "audit-anchor";

	static final String STEP = "audit-anchor-step";

	@Bean
	Job auditAnchorJob(JobRepository jobRepository, Step auditAnchorStep) {
		return new JobBuilder(JOB, jobRepository).validator(new DayValidator()).start(auditAnchorStep).build();
	}

	@Bean
	Step auditAnchorStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			AuditAnchors anchors) {
		return new StepBuilder(STEP, jobRepository).tasklet((contribution, context) -> {
			String day = String.valueOf(context.getStepContext().getJobParameters().get("day"));
			anchors.anchor("daily " + day);
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	/** Exactly one parameter, {@code day}, an ISO date. */
	static final class DayValidator implements JobParametersValidator {

		@Override
		public void validate(JobParameters parameters) throws InvalidJobParametersException {
			Set<String> names = new java.util.TreeSet<>();
			for (JobParameter<?> parameter : parameters) {
				names.add(parameter.name());
			}
			if (!names.equals(Set.of("day"))) {
				throw new InvalidJobParametersException(
						"audit-anchor takes one parameter, day=YYYY-MM-DD (given: " + names + ")");
			}
			String day = String.valueOf(parameters.getParameter("day").value());
			try {
				LocalDate.parse(day);
			}
			catch (DateTimeParseException ex) {
				throw new InvalidJobParametersException("day must be a date YYYY-MM-DD, not '" + day + "'");
			}
		}

	}

}
