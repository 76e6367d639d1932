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
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
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

	/**
	 * A job with a period derived from the clock ({@code jobs/test-periods.yaml}): a run
	 * without parameters runs for today.
	 */
	@Bean
	Job testPeriodsJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		Step step = new StepBuilder("test-periods-step", jobRepository)
			.tasklet((contribution, context) -> RepeatStatus.FINISHED, transactionManager)
			.build();
		return new JobBuilder("test-periods", jobRepository).start(step).build();
	}

	@Bean
	Job testItemsJob(JobRepository jobRepository, Step testItemsStep) {
		return new JobBuilder(JOB, jobRepository).validator(validator()).start(testItemsStep).build();
	}

	@Bean
	Step testItemsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			NumberReader testItemsReader, FaultyProcessor testItemsProcessor, TableWriter testItemsWriter) {
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
	FaultyProcessor testItemsProcessor(JdbcTemplate jdbc, @Value("#{jobParameters['run']}") String run,
			@Value("#{jobParameters['failAt'] ?: '0'}") String failAt,
			@Value("#{jobParameters['sleepMs'] ?: '0'}") String sleepMs) {
		return new FaultyProcessor(jdbc, run, Integer.parseInt(failAt), Long.parseLong(sleepMs));
	}

	@Bean
	@StepScope
	TableWriter testItemsWriter(DataSource dataSource, @Value("#{jobParameters['run']}") String run) {
		return new TableWriter(new JdbcTemplate(dataSource), run);
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

	/** Sleeps per item, and fails at one item while the fault is armed. */
	static class FaultyProcessor implements ItemProcessor<Integer, Integer> {

		private final JdbcTemplate jdbc;

		private final String run;

		private final int failAt;

		private final long sleepMs;

		FaultyProcessor(JdbcTemplate jdbc, String run, int failAt, long sleepMs) {
			this.jdbc = jdbc;
			this.run = run;
			this.failAt = failAt;
			this.sleepMs = sleepMs;
		}

		@Override
		public Integer process(Integer item) throws InterruptedException {
			if (this.sleepMs > 0) {
				Thread.sleep(this.sleepMs);
			}
			if (item == this.failAt
					&& this.jdbc.queryForObject("select count(*) from test_fault where run = ? and item = ?",
							Integer.class, this.run, item) > 0) {
				throw new IllegalStateException("simulated failure at item " + item);
			}
			return item;
		}

	}

	/** Inserts the items of a chunk into test_item, in the chunk's transaction. */
	static class TableWriter implements ItemWriter<Integer> {

		private final JdbcTemplate jdbc;

		private final String run;

		TableWriter(JdbcTemplate jdbc, String run) {
			this.jdbc = jdbc;
			this.run = run;
		}

		@Override
		public void write(Chunk<? extends Integer> chunk) {
			this.jdbc.batchUpdate("insert into test_item (run, item) values (?, ?)",
					chunk.getItems().stream().map((item) -> new Object[] { this.run, item }).toList());
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
