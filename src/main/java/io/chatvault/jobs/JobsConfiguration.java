package io.chatvault.jobs;

import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * Job operation: the {@code chatvault.jobs.*} properties. The job repository and the
 * {@code JobOperator} come from Spring Boot's Batch auto-configuration on the application
 * DataSource; the Batch tables are Flyway migration V1.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobsProperties.class)
class JobsConfiguration {

	@Bean
	static BeanPostProcessor readableFailures(ObjectProvider<JobRepository> jobRepository) {
		return ReadableFailures.registrar(jobRepository);
	}

	/**
	 * Registers {@link JobRunAudit} on every job bean: every run's start is in the audit
	 * log (its end is recorded by {@link JobRuns}).
	 */
	@Bean
	static BeanPostProcessor jobRunAuditRegistrar(ObjectProvider<JobRunAudit> runAudit) {
		JobExecutionListener listener = new JobExecutionListener() {

			@Override
			public void beforeJob(JobExecution execution) {
				runAudit.getObject().beforeJob(execution);
			}

		};
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof AbstractJob job) {
					job.registerJobExecutionListener(listener);
				}
				return bean;
			}

		};
	}

}
