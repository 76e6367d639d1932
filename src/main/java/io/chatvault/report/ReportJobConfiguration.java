package io.chatvault.report;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.chatvault.ChatVaultHome;
import io.chatvault.audit.AuditLog;
import io.chatvault.storage.ObjectStore;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The compliance report: {@value #JOB} with {@code month=YYYY-MM} (the monthly report) or
 * {@code week=YYYY-Www} (the weekly one), and {@code to-file=<path>} to write the
 * workbook for an operator instead of mailing it. Three steps, each picking up from the
 * state of {@code report_delivery}: {@value #BUILD} computes the KPIs and writes the
 * workbook to staging, {@value #STORE} puts it in the write-once store and its SHA-256 in
 * the audit log, {@value #SEND} mails it (or writes the file). A restart after any crash
 * or refusal resumes at the first step not done, so a report is mailed once; a mail
 * server that refuses fails the run with exit code 6 and the restart sends it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReportProperties.class)
class ReportJobConfiguration {

	/** The job's name. */
	static final String JOB = "compliance-report";

	static final String BUILD = "compliance-report.build";

	static final String STORE = "compliance-report.store";

	static final String SEND = "compliance-report.send";

	static final String TO_FILE = "to-file";

	@Bean
	ReportSteps reportSteps(ComplianceReport report, ReportDeliveries deliveries, ReportProperties properties,
			ChatVaultHome home, ObjectStore store, AuditLog audit, ObjectProvider<JavaMailSender> mail,
			JdbcTemplate jdbc, ResourceLoader resources, Clock clock) {
		return new ReportSteps(report, deliveries, properties, home, store, audit, mail, jdbc, resources, clock);
	}

	@Bean
	Job complianceReportJob(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ReportSteps steps, ReportProperties properties, Clock clock) {
		Step build = new StepBuilder(BUILD, jobRepository).tasklet(steps::build, transactionManager).build();
		Step store = new StepBuilder(STORE, jobRepository).tasklet(steps::store, transactionManager).build();
		Step send = new StepBuilder(SEND, jobRepository).tasklet(steps::send, transactionManager).build();
		return new JobBuilder(JOB, jobRepository).validator(new Validator(properties, clock))
			.listener(new ExitStatuses())
			.start(build)
			.next(store)
			.next(send)
			.build();
	}

	/** The period of a run's parameters. */
	static ReportPeriod period(JobParameters parameters, ReportProperties properties) {
		String month = parameters.getString("month");
		return (month != null) ? ReportPeriod.month(month, properties.zone())
				: ReportPeriod.week(parameters.getString("week"), properties.zone());
	}

	/**
	 * A delivered report with missed targets or missing figures ends
	 * {@code COMPLETED_WITH_FINDINGS} (exit 9); a run that failed on the mail server or
	 * the object store ends {@code INFRASTRUCTURE_UNAVAILABLE} (exit 6).
	 */
	private static final class ExitStatuses implements JobExecutionListener {

		@Override
		public void afterJob(JobExecution execution) {
			if (execution.getStatus() == BatchStatus.COMPLETED) {
				String summary = execution.getExecutionContext().getString(ReportSteps.SUMMARY, "");
				boolean findings = execution.getExecutionContext().getInt(ReportSteps.FINDINGS, 0) > 0;
				execution.setExitStatus(new ExitStatus(
						findings ? "COMPLETED_WITH_FINDINGS" : ExitStatus.COMPLETED.getExitCode(), summary));
			}
			else if (execution.getStatus() == BatchStatus.FAILED
					&& execution.getAllFailureExceptions().stream().anyMatch(ReportSteps::unavailable)) {
				execution.setExitStatus(
						new ExitStatus("INFRASTRUCTURE_UNAVAILABLE", execution.getExitStatus().getExitDescription()));
			}
		}

	}

	/**
	 * One period, {@code month} or {@code week}, that has ended (a report on a period
	 * still running would be incomplete and take the real one's place), and optionally
	 * {@code to-file}.
	 */
	private record Validator(ReportProperties properties, Clock clock) implements JobParametersValidator {

		@Override
		public void validate(JobParameters parameters) throws InvalidJobParametersException {
			Set<String> names = new TreeSet<>();
			for (JobParameter<?> parameter : parameters) {
				names.add(parameter.name());
			}
			Set<String> periods = new TreeSet<>(names);
			periods.retainAll(Set.of("month", "week"));
			Set<String> others = new TreeSet<>(names);
			others.removeAll(List.of("month", "week", TO_FILE));
			if (periods.size() != 1 || !others.isEmpty()) {
				throw new InvalidJobParametersException(
						"expected month=YYYY-MM or week=YYYY-Www (and optionally to-file=<path>); got "
								+ (names.isEmpty() ? "none" : String.join(", ", names)));
			}
			ReportPeriod period;
			try {
				period = period(parameters, this.properties);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidJobParametersException(ex.getMessage());
			}
			if (period.end().isAfter(this.clock.instant())) {
				throw new InvalidJobParametersException(period.parameter() + " has not ended yet (it ends "
						+ period.end() + "); report on a period that has");
			}
		}

	}

}
