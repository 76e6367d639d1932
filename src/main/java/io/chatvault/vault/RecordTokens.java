package io.chatvault.vault;

import io.chatvault.message.ChatRecord;

/**
 * Derives keyed search tokens from a record's plaintext at archive time. The vault stores
 * them in the record's own index row ({@code vault_message.tokens}), written by the same
 * statement as the row, so tokens and records commit together or not at all and a
 * replayed chunk writes nothing twice. Without such a bean (search tokens off at archive
 * time) the column stays NULL, which {@code search-backfill} fills later.
 */
@FunctionalInterface
public interface RecordTokens {

	/**
	 * The tokens of a record.
	 * @param record the record
	 * @return its distinct tokens, sorted; empty when it has no searchable text
	 */
	long[] tokens(ChatRecord record);

}
