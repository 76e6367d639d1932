package io.chatvault.accessreview;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

import io.chatvault.access.AccessProperties;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Two jobs over the same review. {@value #PERMISSION_AUDIT} ({@code month=YYYY-MM},
 * monthly) reviews every principal, grant, token and custodian, and the month's access;
 * {@value #ACCESS_REVIEW} ({@code week=YYYY-Www}, weekly) reviews the week's access
 * alone. Each is one step in one transaction, so a failed run leaves nothing and a
 * restart reviews again. Findings go to {@code access_finding}, the summary to
 * {@code access_review_run}; a run with findings ends {@code COMPLETED_WITH_FINDINGS}
 * (exit code 9).
 */
@Configuration(proxyBeanMethods = false)
class AccessReviewJobConfiguration {

	/** The monthly permission audit. */
	static final String PERMISSION_AUDIT = "permission-audit";

	/** The weekly review of abnormal access. */
	static final String ACCESS_REVIEW = "access-review";

	static final String FINDINGS = "access.findings";

	@Bean
	Job permissionAuditJob(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			AccessReview review, JdbcTemplate jdbc, AccessProperties properties, Clock clock) {
		return job(PERMISSION_AUDIT, "month", ReviewPeriod::month, true, jobRepository, transactionManager, review,
				jdbc, properties, clock);
	}

	@Bean
	Job accessReviewJob(JobRepository jobRepository, PlatformTransactionManager transactionManager, AccessReview review,
			JdbcTemplate jdbc, AccessProperties properties, Clock clock) {
		return job(ACCESS_REVIEW, "week", ReviewPeriod::week, false, jobRepository, transactionManager, review, jdbc,
				properties, clock);
	}

	private static Job job(String name, String key, BiFunction<String, ZoneId, ReviewPeriod> period, boolean state,
			JobRepository jobRepository, PlatformTransactionManager transactionManager, AccessReview review,
			JdbcTemplate jdbc, AccessProperties properties, Clock clock) {
		var step = new StepBuilder(name, jobRepository).tasklet((contribution, chunk) -> {
			var execution = contribution.getStepExecution();
			ReviewPeriod reviewed = period.apply(execution.getJobParameters().getString(key), properties.reviewZone());
			List<Finding> findings = new ArrayList<>();
			AccessReview.StateReview stateReview = state ? review.reviewState() : null;
			if (stateReview != null) {
				findings.addAll(stateReview.findings());
			}
			AccessReview.AccessLogReview access = review.reviewAccess(reviewed);
			findings.addAll(access.findings());
			long executionId = execution.getJobExecutionId();
			Timestamp now = Timestamp.from(clock.instant());
			for (Finding finding : findings) {
				jdbc.update("INSERT INTO access_finding (job_execution_id, job_name, period, kind, severity, subject, "
						+ "principal_id, detail, day, observed, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
						executionId, name, reviewed.label(), finding.kind(), finding.severity(), finding.subject(),
						finding.principalId().orElse(null), finding.detail(),
						finding.day().map(Date::valueOf).orElse(null), finding.observed().orElse(null), now);
			}
			jdbc.update(
					"INSERT INTO access_review_run (job_execution_id, job_name, period, period_start, period_end, "
							+ "principals_reviewed, grants_reviewed, tokens_reviewed, custodians_reviewed, "
							+ "privileged_principals, access_entries, findings_high, findings_medium, findings_low, "
							+ "completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					executionId, name, reviewed.label(), Timestamp.from(reviewed.start()),
					Timestamp.from(reviewed.end()), (stateReview != null) ? stateReview.principals() : null,
					(stateReview != null) ? stateReview.grants() : null,
					(stateReview != null) ? stateReview.tokens() : null,
					(stateReview != null) ? stateReview.custodians() : null,
					(stateReview != null) ? stateReview.privileged() : null, access.entries(), count(findings, "high"),
					count(findings, "medium"), count(findings, "low"), now);
			contribution.incrementReadCount();
			contribution.incrementWriteCount(findings.size());
			String summary = findings.size() + " finding(s) (" + count(findings, "high") + " high, "
					+ count(findings, "medium") + " medium)"
					+ ((stateReview != null) ? "; " + stateReview.principals() + " principal(s), "
							+ stateReview.grants() + " live grant(s), " + stateReview.tokens() + " live token(s), "
							+ stateReview.custodians() + " custodian(s) reviewed; " + stateReview.privileged()
							+ " privileged principal(s)" : "")
					+ "; " + access.entries() + " access-log entries reviewed";
			execution.getJobExecution().getExecutionContext().putInt(FINDINGS, findings.size());
			execution.getJobExecution().getExecutionContext().putString(FINDINGS + ".summary", summary);
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
		return new JobBuilder(name, jobRepository).validator(new Validator(name, key, period, properties, clock))
			.listener(new JobExecutionListener() {
				@Override
				public void afterJob(JobExecution execution) {
					if (execution.getStatus() == BatchStatus.COMPLETED) {
						int findings = execution.getExecutionContext().getInt(FINDINGS, 0);
						execution.setExitStatus(new ExitStatus(
								(findings > 0) ? "COMPLETED_WITH_FINDINGS" : ExitStatus.COMPLETED.getExitCode(),
								execution.getExecutionContext().getString(FINDINGS + ".summary", "")));
					}
				}
			})
			.start(step)
			.build();
	}

	private static int count(List<Finding> findings, String severity) {
		return (int) findings.stream().filter((finding) -> finding.severity().equals(severity)).count();
	}

	/**
	 * Exactly one parameter, the period, well-formed and already begun: a review of a
	 * period still to come would report nothing and block the real one.
	 */
	private record Validator(String job, String key, BiFunction<String, ZoneId, ReviewPeriod> period,
			AccessProperties properties, Clock clock) implements JobParametersValidator {

		@Override
		public void validate(org.springframework.batch.core.job.parameters.JobParameters parameters)
				throws InvalidJobParametersException {
			Set<String> names = new TreeSet<>();
			for (JobParameter<?> parameter : parameters) {
				names.add(parameter.name());
			}
			String example = this.key.equals("month") ? "month=2025-03" : "week=2025-W10";
			if (!names.equals(Set.of(this.key))) {
				throw new InvalidJobParametersException("expected exactly " + example + "; got "
						+ (names.isEmpty() ? "none" : String.join(", ", names)));
			}
			ReviewPeriod reviewed;
			try {
				reviewed = this.period.apply(parameters.getString(this.key), this.properties.reviewZone());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidJobParametersException(ex.getMessage());
			}
			if (reviewed.start().isAfter(this.clock.instant())) {
				throw new InvalidJobParametersException(
						this.key + "=" + reviewed.label() + " has not begun yet; review a period that has");
			}
		}

	}

}
