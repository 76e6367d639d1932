package io.chatvault.vault;

import java.util.List;

/**
 * Sees every record the vault newly archives, in the transaction of the chunk that
 * archives it: the extension point for components that derive data from the plaintext at
 * archive time (keyed search tokens), which must commit with the records or not at all.
 * Listeners are Spring beans; the vault calls each once per archived chunk, after the
 * chunk's index rows are in and before its transaction commits. Duplicates (records
 * already archived) are not passed. A listener that throws fails the chunk.
 */
public interface ArchiveListener {

	/**
	 * Called with the records a chunk newly archived.
	 * @param records the records, with where each is stored
	 */
	void archived(List<ArchivedEntry> records);

	/**
	 * A record newly archived.
	 *
	 * @param request the prepared request (id, custodian, record, canonical bytes)
	 * @param conversation the conversation as its custodian holds it (the record's data
	 * key scope)
	 * @param conversationId the {@code vault_conversation} id of that holding
	 * @param blockId the {@code vault_block} id of the block that holds it
	 */
	record ArchivedEntry(ArchiveRequest request, HeldConversation conversation, int conversationId, long blockId) {
	}

}
