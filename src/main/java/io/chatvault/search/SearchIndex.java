package io.chatvault.search;

import java.util.ArrayList;
import java.util.List;

import io.chatvault.message.ChatRecord;
import io.chatvault.vault.RecordTokens;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The keyed search tokens of archived records, kept in their index rows
 * ({@code vault_message.tokens}, GIN-indexed). At archive time the vault writes them with
 * the row itself ({@link #recordTokens()}, when {@code chatvault.search.index-at-archive}
 * is on), so tokens and records commit together or not at all; records archived without
 * them (NULL tokens) get them from {@code search-backfill} through {@link #write}.
 * Writing a record's tokens twice changes nothing.
 */
public class SearchIndex {

	private final SearchTokens tokens;

	private final JdbcTemplate jdbc;

	public SearchIndex(SearchTokens tokens, JdbcTemplate jdbc) {
		this.tokens = tokens;
		this.jdbc = jdbc;
	}

	/**
	 * The tokens the vault writes with each record it archives.
	 * @return the tokens of a record
	 */
	public RecordTokens recordTokens() {
		return this.tokens::tokens;
	}

	/**
	 * Writes the tokens of archived records that have none; records that have them
	 * already are left as they are.
	 * @param entries the records
	 * @return how many records got their tokens
	 */
	public int write(List<Entry> entries) {
		if (entries.isEmpty()) {
			return 0;
		}
		List<Object[]> rows = new ArrayList<>(entries.size());
		for (Entry entry : entries) {
			rows.add(new Object[] { this.tokens.tokens(entry.record()), entry.messageId() });
		}
		int written = 0;
		for (int count : this.jdbc.batchUpdate(
				"UPDATE vault_message SET tokens = ? WHERE message_id = decode(?, 'hex') AND tokens IS NULL", rows)) {
			written += Math.max(count, 0);
		}
		return written;
	}

	/**
	 * An archived record to index.
	 *
	 * @param messageId its hex id
	 * @param record the record
	 */
	public record Entry(String messageId, ChatRecord record) {
	}

}
