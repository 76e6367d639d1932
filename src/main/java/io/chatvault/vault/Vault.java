package io.chatvault.vault;

import java.io.InputStream;
import java.util.List;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;

/**
 * The write and read path of the archive: deduplicate by deterministic id, encrypt, pack,
 * write once to the primary store and the replica, and record the index row. The database
 * never holds message plaintext.
 */
public interface Vault {

	/**
	 * Computes everything the write needs that does not touch the stores: the
	 * deterministic id, the canonical record and its hash. Called by a job's processor.
	 * @param record the record
	 * @param custodian the custodian it is archived for
	 * @return the prepared request
	 */
	ArchiveRequest prepare(ChatRecord record, String custodian);

	/**
	 * Archives a chunk, idempotently: a request whose id is already archived is counted
	 * as a duplicate and stores nothing, so a chunk replayed after a crash stores nothing
	 * twice.
	 * @param requests prepared requests
	 * @return how many were archived and how many were duplicates
	 */
	ArchiveSummary archive(List<ArchiveRequest> requests);

	/**
	 * Keeps a quarantined record: its raw bytes encrypted (they may hold message text),
	 * its location and reason in the index. Idempotent: the same record quarantined twice
	 * (a replayed chunk) is kept once.
	 * @param record the quarantined record
	 * @param custodian the custodian of the input
	 * @return true if it was newly kept, false if it was already there
	 */
	boolean quarantine(QuarantinedRecord record, String custodian);

	/**
	 * Keeps input in quarantine that is too large to hold in memory: a whole export that
	 * cannot be read, a damaged or refused zip entry. The bytes are streamed into the
	 * store in sealed parts, never held whole. A {@link QuarantinedRecord} whose raw
	 * bytes are {@link QuarantinedRecord#located() located} in a file takes this path
	 * through {@link #quarantine(QuarantinedRecord, String)}. Idempotent by origin: input
	 * quarantined again from the same place (a replayed chunk, a restart) is kept once.
	 * @param origin where the bytes were read
	 * @param reason why they are quarantined
	 * @param raw the bytes, read to their end (the caller closes the stream)
	 * @param custodian the custodian of the input
	 * @return true if they were newly kept, false if they were already there
	 * @throws java.io.UncheckedIOException if the bytes cannot be read
	 */
	boolean quarantine(SourceLocation origin, String reason, InputStream raw, String custodian);

	/**
	 * Reads quarantined input back, as it was received, checking what is stored.
	 * @param fingerprint the quarantine entry ({@code vault_quarantine.fingerprint})
	 * @return the raw bytes, streamed
	 * @throws VaultIntegrityException if the stored bytes do not match the index
	 * @throws java.util.NoSuchElementException if there is no such entry
	 */
	InputStream openQuarantined(String fingerprint);

	/**
	 * Reads a record back: fetches its bytes, checks their SHA-256, decrypts, and checks
	 * the SHA-256 of the canonical record.
	 * @param messageId the id
	 * @return the canonical record bytes
	 * @throws VaultIntegrityException naming the object and the message if anything does
	 * not match
	 */
	byte[] readCanonical(String messageId);

}
