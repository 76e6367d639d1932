package io.chatvault.search;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import io.chatvault.message.ChatRecord;
import io.chatvault.vault.ArchiveListener;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes the tokens of archived records to {@code search_record}: at archive time, as an
 * {@link ArchiveListener} in the transaction of the chunk that archives them (so tokens
 * and records commit together or not at all), and for records archived before through
 * {@code search-backfill}. Writing a record twice changes nothing.
 */
public class SearchIndex implements ArchiveListener {

	private final SearchTokens tokens;

	private final JdbcTemplate jdbc;

	private final boolean atArchive;

	public SearchIndex(SearchTokens tokens, JdbcTemplate jdbc, boolean atArchive) {
		this.tokens = tokens;
		this.jdbc = jdbc;
		this.atArchive = atArchive;
	}

	@Override
	public void archived(List<ArchivedEntry> records) {
		if (!this.atArchive) {
			return;
		}
		List<Entry> entries = new ArrayList<>(records.size());
		for (ArchivedEntry record : records) {
			entries.add(new Entry(record.request().messageId(), record.conversationId(), record.request().record()));
		}
		write(entries);
	}

	/**
	 * Writes the tokens of records; records that have them already are left as they are.
	 * @param entries the records
	 * @return how many rows were inserted
	 */
	public int write(List<Entry> entries) {
		if (entries.isEmpty()) {
			return 0;
		}
		List<Object[]> rows = new ArrayList<>(entries.size());
		for (Entry entry : entries) {
			ChatRecord record = entry.record();
			rows.add(new Object[] { entry.messageId(), entry.conversation(), (short) record.kind().ordinal(),
					Timestamp.from(record.sentAt()), this.tokens.tokens(record) });
		}
		int inserted = 0;
		for (int count : this.jdbc
			.batchUpdate("INSERT INTO search_record (message_id, conversation, kind, sent_at, tokens) "
					+ "VALUES (decode(?, 'hex'), ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING", rows)) {
			inserted += Math.max(count, 0);
		}
		return inserted;
	}

	/**
	 * A record to index.
	 *
	 * @param messageId its hex id
	 * @param conversation the {@code vault_conversation} id of the holding it is stored
	 * in
	 * @param record the record
	 */
	public record Entry(String messageId, int conversation, ChatRecord record) {
	}

}
