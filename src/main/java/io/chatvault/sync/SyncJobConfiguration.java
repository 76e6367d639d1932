package io.chatvault.sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import io.chatvault.database.ConnectionPools;
import io.chatvault.ChatVaultHome;
import io.chatvault.custodian.CustodianGroup;
import io.chatvault.access.Custodians;
import io.chatvault.custodian.CustodianGroups;
import io.chatvault.source.ChatSources;
import io.chatvault.source.whatsappcloud.CustomerLinks;
import io.chatvault.vault.Vault;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@value #JOB_NAME} job: moves everything new of a custodian group up to a window's
 * end into the vault, from the capture inbox, the API polls and the drop folder, one step
 * each, then reports the window. Every step keeps its progress in the database in the
 * transaction of its chunks (deliveries drained, watermarks, dropped files), so a restart
 * of the same window and the next window alike go on exactly where the last commit left.
 *
 * <pre>
 * sync (group, window-end; listener: group lock, window start, exit status)
 * ├── syncInbox     InboxSlices: the window's deliveries cut by capture time, drained at once
 * │   └── syncInboxSlice  InboxReader -> SyncProcessor -> SyncWriter   (up to 25 deliveries per unit)
 * ├── syncPolls     PollReader  -> SyncProcessor -> SyncWriter   (an API page per unit)
 * ├── syncDrops     DropFolderReader -> SyncProcessor -> SyncWriter (a slice of a file per unit)
 * └── syncReport    WindowReport (reconciliation, latencies, late, missed windows, alerts)
 * </pre>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SyncProperties.class)
class SyncJobConfiguration {

	/** The job's name: {@code chatvault run sync group=<name>}. */
	static final String JOB_NAME = "sync";

	static final String INBOX_STEP = "syncInbox";

	static final String INBOX_SLICE_STEP = "syncInboxSlice";

	static final String POLLS_STEP = "syncPolls";

	static final String DROPS_STEP = "syncDrops";

	static final String REPORT_STEP = "syncReport";

	@Bean
	Job syncJob(JobRepository jobRepository, CustodianGroups groups, GroupLocks locks, SyncWindows windows,
			Step syncInboxStep, Step syncPollsStep, Step syncDropsStep, Step syncReportStep) {
		return new JobBuilder(JOB_NAME, jobRepository).validator(new SyncParametersValidator(groups))
			.listener(new SyncJobListener(locks, windows))
			.start(syncInboxStep)
			.next(syncPollsStep)
			.next(syncDropsStep)
			.next(syncReportStep)
			.build();
	}

	/**
	 * The threads that map and prepare inbox bodies: a fixed pool, so that each keeps its
	 * mappers (and their JSON readers) for the whole run.
	 */
	@Bean
	ThreadPoolTaskExecutor syncProcessingThreads(SyncProperties properties) {
		ThreadPoolTaskExecutor threads = new ThreadPoolTaskExecutor();
		threads.setThreadNamePrefix("sync-inbox-");
		threads.setCorePoolSize(properties.effectiveProcessingThreads());
		threads.setMaxPoolSize(properties.effectiveProcessingThreads());
		threads.setDaemon(true);
		return threads;
	}

	@Bean
	Step syncInboxStep(JobRepository jobRepository, InboxSlices syncInboxSlices, Step syncInboxSliceStep,
			SyncProperties properties, DataSource dataSource) {
		// Slices drained at once, each on its own thread and in its own transactions, so
		// that the cores are not idle while a chunk waits on PostgreSQL.
		int slices = properties.effectiveInboxSlices(ConnectionPools.maximumSize(dataSource));
		SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("sync-slice-");
		threads.setConcurrencyLimit(slices);
		TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
		handler.setStep(syncInboxSliceStep);
		handler.setTaskExecutor(threads);
		handler.setGridSize(slices);
		return new StepBuilder(INBOX_STEP, jobRepository).partitioner(INBOX_SLICE_STEP, syncInboxSlices)
			.partitionHandler(handler)
			.build();
	}

	@Bean
	Step syncInboxSliceStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ItemReader<SyncUnit> syncInboxReader, SyncProcessor syncProcessor, SyncWriter syncWriter,
			SyncProperties properties, ThreadPoolTaskExecutor syncProcessingThreads) {
		// Bodies are mapped and prepared on several threads, a unit of deliveries at a
		// time; reading and writing stay in the chunk's one transaction.
		return new StepBuilder(INBOX_SLICE_STEP, jobRepository)
			.<SyncUnit, PreparedUnit>chunk(InboxReader.unitsPerChunk(properties.inboxChunk()))
			.transactionManager(transactionManager)
			.taskExecutor(syncProcessingThreads)
			.reader(syncInboxReader)
			.processor(syncProcessor)
			.writer(syncWriter)
			.build();
	}

	@Bean
	@StepScope
	InboxSlices syncInboxSlices(@Value("#{stepExecution}") StepExecution stepExecution, CustodianGroups groups,
			ObjectProvider<Inbox> inbox) {
		return new InboxSlices(inbox.getIfAvailable(), window(stepExecution, groups));
	}

	@Bean
	Step syncPollsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			PollReader syncPollReader, SyncProcessor syncProcessor, SyncWriter syncWriter) {
		// One page per transaction: a page is up to a few hundred records, and its
		// watermark must not wait for the next page's fetch.
		return new StepBuilder(POLLS_STEP, jobRepository).<SyncUnit, PreparedUnit>chunk(1)
			.transactionManager(transactionManager)
			.reader(syncPollReader)
			.processor(syncProcessor)
			.writer(syncWriter)
			.build();
	}

	@Bean
	Step syncDropsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DropFolderReader syncDropReader, SyncProcessor syncProcessor, SyncWriter syncWriter) {
		// One slice per transaction: the next file's SHA-256 is looked up after the
		// previous file's last slice committed, so a file dropped twice is read once.
		return new StepBuilder(DROPS_STEP, jobRepository).<SyncUnit, PreparedUnit>chunk(1)
			.transactionManager(transactionManager)
			.reader(syncDropReader)
			.processor(syncProcessor)
			.writer(syncWriter)
			.build();
	}

	@Bean
	Step syncReportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			WindowReport syncWindowReport) {
		return new StepBuilder(REPORT_STEP, jobRepository).tasklet(syncWindowReport, transactionManager).build();
	}

	/** The window of a step's execution: its job's parameters and where it takes over. */
	static SyncWindow window(StepExecution stepExecution, CustodianGroups groups) {
		SyncParameters parameters = SyncParameters.of(stepExecution.getJobParameters());
		CustodianGroup group = groups.group(parameters.group())
			.orElseThrow(() -> new IllegalStateException("unknown custodian group " + parameters.group()));
		String start = stepExecution.getJobExecution()
			.getExecutionContext()
			.getString(SyncJobListener.WINDOW_START, "");
		return new SyncWindow(group, parameters.windowEnd(), start.isEmpty() ? null : Instant.parse(start),
				stepExecution.getJobExecutionId());
	}

	@Bean
	@StepScope
	ItemReader<SyncUnit> syncInboxReader(@Value("#{stepExecution}") StepExecution stepExecution, CustodianGroups groups,
			ObjectProvider<Inbox> inbox, SyncProperties properties) {
		SyncWindow syncWindow = window(stepExecution, groups);
		Inbox available = inbox.getIfAvailable();
		ExecutionContext slice = stepExecution.getExecutionContext();
		return (available != null) ? new InboxReader(available, syncWindow, InboxSlices.after(slice),
				InboxSlices.until(slice, syncWindow.windowEnd()), properties.inboxChunk()) : () -> null;
	}

	@Bean
	@StepScope
	PollReader syncPollReader(@Value("#{stepExecution}") StepExecution stepExecution, CustodianGroups groups,
			Watermarks watermarks, SyncProperties properties, Clock clock) {
		SyncWindow syncWindow = window(stepExecution, groups);
		ApiClient api = new ApiClient(properties.http());
		Duration lookback = (properties.initialLookback() != null) ? properties.initialLookback()
				: syncWindow.group().cadence();
		SlackPolls slack = new SlackPolls(api, properties.slack(), watermarks, syncWindow, lookback, clock);
		GraphPolls graph = new GraphPolls(api, new GraphTokens(api, properties.graph(), clock), properties.graph(),
				watermarks, syncWindow, lookback, clock);
		return new PollReader(List.of(slack::polls, graph::polls));
	}

	@Bean
	@StepScope
	DropFolderReader syncDropReader(@Value("#{stepExecution}") StepExecution stepExecution, CustodianGroups groups,
			ChatSources sources, DroppedFiles droppedFiles, SyncProperties properties, ChatVaultHome home) {
		SyncWindow syncWindow = window(stepExecution, groups);
		return new DropFolderReader(sources, droppedFiles, syncWindow, groupFolder(properties, home, syncWindow),
				properties.defaultCustodian(), properties.dropChunk(), properties.afterImport());
	}

	static Path groupFolder(SyncProperties properties, ChatVaultHome home, SyncWindow window) {
		Path root = (properties.dropFolder() != null) ? properties.dropFolder() : home.resolve("drop");
		return root.toAbsolutePath().normalize().resolve(window.groupName());
	}

	@Bean
	@StepScope
	SyncProcessor syncProcessor(Vault vault, @Value("#{stepExecution}") StepExecution stepExecution,
			CustodianGroups groups, SyncProperties properties, CustomerLinks customerLinks) {
		return new SyncProcessor(vault, window(stepExecution, groups).group(), properties.defaultCustodian(),
				customerLinks);
	}

	@Bean
	@StepScope
	SyncWriter syncWriter(Vault vault, @Value("#{stepExecution}") StepExecution stepExecution, CustodianGroups groups,
			WindowTallies tallies, Watermarks watermarks, DroppedFiles droppedFiles, ObjectProvider<Inbox> inbox,
			JdbcTemplate jdbc, Clock clock, SyncProperties properties) {
		SyncWindow syncWindow = window(stepExecution, groups);
		return new SyncWriter(vault, syncWindow, tallies, watermarks, droppedFiles, inbox.getIfAvailable(), jdbc, clock,
				properties);
	}

	@Bean
	@StepScope
	WindowReport syncWindowReport(@Value("#{stepExecution}") StepExecution stepExecution, CustodianGroups groups,
			WindowTallies tallies, SyncWindows windows, SyncProperties properties, Clock clock,
			ObjectProvider<Inbox> inbox, ChatVaultHome home, ObjectProvider<Custodians> registry) {
		SyncWindow syncWindow = window(stepExecution, groups);
		return new WindowReport(syncWindow, tallies, windows, properties.alerts(), clock,
				inbox.getIfAvailable() != null, Files.isDirectory(groupFolder(properties, home, syncWindow)),
				registry.getIfAvailable());
	}

}
