package io.chatvault.jobs;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.DefaultJobParametersValidator;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A job for the foundation's tests (profile {@code test-jobs}): writes the numbers
 * 1..items of a run to {@code test_item}, five per chunk, so that a test can see any
 * duplicate or gap. It fails at item {@code failAt} while {@code test_fault} holds that
 * item for the run (the test "fixes the cause" by deleting the row), and sleeps
 * {@code sleepMs} per item so that a test can kill or stop it mid-run.
 */
@Configuration(proxyBeanMethods = false)
@Profile("test-jobs")
class TestItemsJobConfiguration {

	static final String JOB = "test-items";

	static final String STEP = "test-items-step";

	static final String SCHEMA = """
			create table if not exists test_item (run varchar(100) not null, item int not null);
			create table if not exists test_fault (run varchar(100) not null, item int not null)
			""";

	@Bean
	Job testItemsJob(JobRepository jobRepository, Step testItemsStep) {
		return new JobBuilder(JOB, jobRepository).validator(validator()).start(testItemsStep).build();
	}

	@Bean
	Step testItemsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			NumberReader testItemsReader, ItemProcessor<Integer, Integer> testItemsProcessor,
			ItemWriter<Integer> testItemsWriter) {
		return new StepBuilder(STEP, jobRepository).<Integer, Integer>chunk(5)
			.transactionManager(transactionManager)
			.reader(testItemsReader)
			.processor(testItemsProcessor)
			.writer(testItemsWriter)
			.build();
	}

	@Bean
	@StepScope
	NumberReader testItemsReader(@Value("#{jobParameters['items']}") String items) {
		NumberReader reader = new NumberReader();
		reader.setName("test-items-reader");
		reader.setMaxItemCount(Integer.parseInt(items));
		return reader;
	}

	@Bean
	@StepScope
	ItemProcessor<Integer, Integer> testItemsProcessor(JdbcTemplate jdbc, @Value("#{jobParameters['run']}") String run,
			@Value("#{jobParameters['failAt'] ?: '0'}") String failAt,
			@Value("#{jobParameters['sleepMs'] ?: '0'}") String sleepMs) {
		int failing = Integer.parseInt(failAt);
		long sleep = Long.parseLong(sleepMs);
		return (item) -> {
			if (sleep > 0) {
				Thread.sleep(sleep);
			}
			if (item == failing && jdbc.queryForObject("select count(*) from test_fault where run = ? and item = ?",
					Integer.class, run, item) > 0) {
				throw new IllegalStateException("simulated failure at item " + item);
			}
			return item;
		};
	}

	@Bean
	@StepScope
	ItemWriter<Integer> testItemsWriter(DataSource dataSource, @Value("#{jobParameters['run']}") String run) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		return (chunk) -> jdbc.batchUpdate("insert into test_item (run, item) values (?, ?)",
				chunk.getItems().stream().map((item) -> new Object[] { run, item }).toList());
	}

	private static JobParametersValidator validator() {
		DefaultJobParametersValidator keys = new DefaultJobParametersValidator(new String[] { "run", "items" },
				new String[] { "failAt", "sleepMs" });
		return (parameters) -> {
			keys.validate(parameters);
			for (String name : List.of("items", "failAt", "sleepMs")) {
				requireNumber(parameters, name);
			}
		};
	}

	private static void requireNumber(JobParameters parameters, String name) throws InvalidJobParametersException {
		String value = parameters.getString(name);
		if (value != null && !value.matches("\\d{1,9}")) {
			throw new InvalidJobParametersException(name + " must be a whole number, not '" + value + "'");
		}
	}

	/** Counts 1, 2, 3...; its position is saved per chunk, so a restart resumes. */
	static class NumberReader extends AbstractItemCountingItemStreamItemReader<Integer> {

		private int current;

		@Override
		protected Integer doRead() {
			return ++this.current;
		}

		@Override
		protected void jumpToItem(int itemIndex) {
			this.current = itemIndex;
		}

		@Override
		protected void doOpen() {
			this.current = 0;
		}

		@Override
		protected void doClose() {
		}

	}

}
