package io.chatvault.search;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.chatvault.vault.ArchivedRecord;
import io.chatvault.vault.ErasedRecords;
import io.chatvault.vault.HeldConversation;
import io.chatvault.vault.VaultReader;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@value #JOB} ({@code day=YYYY-MM-DD}): writes the search tokens of every archived
 * record that has none (records archived before search existed, or with
 * {@code chatvault.search.index-at-archive=false}). One conversation holding per
 * transaction, in id order; the last one done is the step's checkpoint, so a failed or
 * stopped run restarts after it, and a record indexed twice is written once.
 */
@Configuration(proxyBeanMethods = false)
class SearchBackfillJobConfiguration {

	static final String JOB = "search-backfill";

	static final String STEP = "search-backfill-step";

	private static final String CHECKPOINT = "search.backfill.conversation";

	private static final int BATCH = 500;

	@Bean
	Job searchBackfillJob(JobRepository jobRepository, Step searchBackfillStep) {
		return new JobBuilder(JOB, jobRepository).validator(PeriodParameter.day(JOB)).start(searchBackfillStep).build();
	}

	@Bean
	Step searchBackfillStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcTemplate jdbc, VaultReader reader, SearchIndex index) {
		return new StepBuilder(STEP, jobRepository).tasklet((contribution, chunk) -> {
			ExecutionContext context = chunk.getStepContext().getStepExecution().getExecutionContext();
			int after = context.getInt(CHECKPOINT, 0);
			List<HeldConversation> next = new ArrayList<>();
			List<Integer> ids = new ArrayList<>();
			jdbc.query("""
					SELECT c.id, c.source, c.conversation_id, k.name
					FROM vault_conversation c JOIN vault_custodian k ON k.id = c.custodian_id
					WHERE c.id > ? AND EXISTS (SELECT 1 FROM vault_message m WHERE m.conversation = c.id
					      AND m.tokens IS NULL)
					ORDER BY c.id LIMIT 1
					""", (rs) -> {
				ids.add(rs.getInt(1));
				next.add(new HeldConversation(rs.getString(2), rs.getString(3), rs.getString(4)));
			}, after);
			if (next.isEmpty()) {
				return RepeatStatus.FINISHED;
			}
			HeldConversation conversation = next.get(0);
			int id = ids.get(0);
			List<SearchIndex.Entry> batch = new ArrayList<>(BATCH);
			long read = 0;
			long written = 0;
			// An erased record has no plaintext left to tokenize: counted as filtered.
			ErasedRecords erased = new ErasedRecords();
			try (Stream<ArchivedRecord> records = erased.readable(reader.records(conversation))) {
				for (ArchivedRecord record : (Iterable<ArchivedRecord>) records::iterator) {
					// records also held here but stored under another holding are that
					// holding's to index
					if (!record.conversation().equals(conversation)) {
						continue;
					}
					read++;
					batch.add(new SearchIndex.Entry(record.messageId(), record.record()));
					if (batch.size() == BATCH) {
						written += index.write(batch);
						batch.clear();
					}
				}
			}
			written += index.write(batch);
			for (long i = 0; i < read; i++) {
				contribution.incrementReadCount();
			}
			contribution.incrementWriteCount(written);
			contribution.incrementFilterCount(erased.records());
			context.putInt(CHECKPOINT, id);
			return RepeatStatus.CONTINUABLE;
		}, transactionManager).build();
	}

}
