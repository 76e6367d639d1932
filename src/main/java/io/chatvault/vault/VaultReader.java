package io.chatvault.vault;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the archive back, every byte verified: records, the exact source bytes of a
 * record, the files of an export bit-exact, receipts, media. What restore, export and
 * {@code chatvault source} build on. Reading content is reading evidence: callers that
 * act for a person record it in the audit log ({@code content.read}) and, once access
 * control exists, check the person's grant first; this interface does neither.
 *
 * <p>
 * A mismatch anywhere (stored bytes against the index, authentication, a record's id
 * recomputed from its content, a file's SHA-256) throws {@link VaultIntegrityException}
 * naming the store, the object and the place, or, from a stream, an
 * {@link java.io.IOException} wrapping one. A destroyed key throws
 * {@link io.chatvault.crypto.KeyUnavailableException}.
 */
public interface VaultReader {

	/**
	 * One record.
	 * @param messageId its hex id
	 * @return the verified record, or empty if no such record is archived
	 */
	Optional<ArchivedRecord> record(String messageId);

	/**
	 * Locates several records with one look-up in the index for the lot, to be read one
	 * by one: what a search reads its candidates with, instead of an index query per
	 * record.
	 * @param messageIds hex ids
	 * @return one entry per id, in the order given
	 */
	default List<Located> locate(List<String> messageIds) {
		return messageIds.stream().map((id) -> new Located(id, () -> record(id))).toList();
	}

	/**
	 * The custodians the archive holds anything for.
	 * @return their names, sorted
	 */
	List<String> custodians();

	/**
	 * The conversations a custodian holds (records archived for them first or also).
	 * @param custodian the custodian
	 * @return the conversations, sorted by source and id
	 */
	List<HeldConversation> conversations(String custodian);

	/**
	 * Every record a custodian holds in a conversation, streamed in time order (then id)
	 * and verified one by one. Close the stream (it holds a database cursor page by page;
	 * memory stays flat).
	 * @param conversation the conversation as the custodian holds it
	 * @return the records
	 */
	default Stream<ArchivedRecord> records(HeldConversation conversation) {
		return records(conversation, null, null);
	}

	/**
	 * The records a custodian holds in a conversation sent in a time range, streamed in
	 * time order (then id) and verified one by one. Close the stream.
	 * @param conversation the conversation as the custodian holds it
	 * @param from the first instant (inclusive), or {@code null} for no limit
	 * @param to the end (exclusive), or {@code null} for no limit
	 * @return the records
	 */
	Stream<ArchivedRecord> records(HeldConversation conversation, Instant from, Instant to);

	/**
	 * Where a record's exact source bytes are and what holds them.
	 * @param messageId the record
	 * @return the fragment, or empty when the export file was not stored (the record was
	 * not read from a received export, or the reader gave no byte span)
	 */
	Optional<SourceFragment> source(String messageId);

	/**
	 * Opens a record's exact source bytes (the WhatsApp lines, the Slack or Teams JSON
	 * object) from the stored original, each chunk verified.
	 * @param fragment from {@link #source}
	 * @return the bytes
	 */
	InputStream openSource(SourceFragment fragment);

	/**
	 * The receipts of a custodian's exports, oldest first.
	 * @param custodian the custodian
	 * @return what the index knows of each (no names: those are sealed)
	 */
	List<ReceiptSummary> receipts(String custodian);

	/**
	 * A receipt, read from its sealed object and verified.
	 * @param receiptId its id
	 * @return the receipt: export, entries with names, sizes and SHA-256, custodian,
	 * received-at
	 * @throws java.util.NoSuchElementException if there is no such receipt
	 */
	ExportReceipt receipt(long receiptId);

	/**
	 * Opens a file of a received export, bit-exact: the stored original, or the media its
	 * bytes were stored as. The SHA-256 of the whole is checked at its end.
	 * @param entry an entry of {@link #receipt}
	 * @return the bytes, or empty when the file is not stored (not yet, or unreadable
	 * when it was received)
	 */
	Optional<InputStream> openOriginal(ExportReceipt.Entry entry);

	/**
	 * Opens stored media, bit-exact.
	 * @param sha256 hex SHA-256 of the media (from the record's attachment)
	 * @return the bytes, or empty when no such media is stored
	 */
	Optional<InputStream> openMedia(String sha256);

	/**
	 * A record located by {@link #locate}.
	 *
	 * @param messageId its hex id
	 * @param reader reads it as {@link #record} does
	 */
	record Located(String messageId, java.util.function.Supplier<Optional<ArchivedRecord>> reader) {

		/**
		 * Reads the record, verified as {@link VaultReader#record} does, with what it
		 * throws.
		 * @return the record, or empty if it is not archived
		 */
		public Optional<ArchivedRecord> read() {
			return this.reader.get();
		}

	}

	/**
	 * A record's source fragment.
	 *
	 * @param messageId the record
	 * @param fileSha256 hex SHA-256 of the export file holding it
	 * @param offset its first byte in the file
	 * @param length its length
	 * @param fileId the stored file
	 * @param fileNames the file's names in the receipts that list it
	 */
	record SourceFragment(String messageId, String fileSha256, long offset, long length, long fileId,
			List<String> fileNames) {
	}

	/**
	 * What the index holds of a receipt.
	 *
	 * @param id the receipt id
	 * @param custodian who handed the export over
	 * @param receivedAt when
	 * @param archiveSha256 hex SHA-256 of the file or zip as received, or {@code null}
	 * for a directory
	 * @param archiveSize its size
	 * @param entries how many files it lists
	 * @param originalsStoredAt when its files were stored, or {@code null} if not yet
	 */
	record ReceiptSummary(long id, String custodian, Instant receivedAt, String archiveSha256, long archiveSize,
			int entries, Instant originalsStoredAt) {
	}

}
