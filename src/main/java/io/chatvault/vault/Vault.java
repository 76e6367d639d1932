package io.chatvault.vault;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;

/**
 * The write path of the archive: receive an export (its receipt), deduplicate records by
 * deterministic id, pack them in compressed, sealed blocks, write once to the primary
 * store and the replica, index them, and keep the export's files bit-exact. The database
 * never holds message plaintext. Readers use {@link VaultReader}; checksum sampling uses
 * {@link VaultCatalog}. The format is described in docs/vault.md.
 *
 * <p>
 * An import calls, in order: {@link #receive} (once per export, before reading it),
 * {@link #prepare} (per record, in a processor), {@link #archive} (per chunk, in a
 * writer), {@link #quarantine} (per unreadable record), and {@link #storeOriginals} (once
 * the export is read). Every call is idempotent, so a run that crashed anywhere is
 * resumed by calling them again.
 */
public interface Vault {

	/**
	 * Computes everything the write needs that does not touch the stores: the
	 * deterministic id, the canonical record and its hash. Called by a job's processor;
	 * thread-safe.
	 * @param record the record
	 * @param custodian the custodian it is archived for
	 * @return the prepared request
	 */
	default ArchiveRequest prepare(ChatRecord record, String custodian) {
		return prepare(record, custodian, null);
	}

	/**
	 * Prepares a record read from a received export: where the reader gave the byte span
	 * of the record's raw fragment, the canonical record points at the export file that
	 * holds it (by its SHA-256) instead of carrying the fragment's hash, so that
	 * {@link VaultReader#openSource} can show the exact source bytes.
	 * @param record the record
	 * @param custodian the custodian it is archived for
	 * @param receipt the receipt of the export it was read from, or {@code null}
	 * @return the prepared request
	 */
	ArchiveRequest prepare(ChatRecord record, String custodian, ExportReceipt receipt);

	/**
	 * Archives a chunk, idempotently: a request whose id is already archived is counted
	 * as a duplicate and stores nothing (a further custodian holding it is remembered),
	 * so a chunk replayed after a crash stores nothing twice. Runs in the caller's
	 * transaction when there is one.
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
	 * Receives an export: hashes every file of it (name, size, SHA-256), and seals and
	 * writes its receipt once, with the custodian and the time received. Idempotent by
	 * {@link ExportSubmission#intakeKey()}: receiving again returns the first receipt.
	 * @param submission the export
	 * @return its receipt
	 */
	ExportReceipt receive(ExportSubmission submission);

	/**
	 * A receipt by its intake key.
	 * @param intakeKey the key it was received under
	 * @return the receipt, read back from its sealed object, if it was received
	 */
	Optional<ExportReceipt> receipt(String intakeKey);

	/**
	 * Stores every file of a received export bit-exact (encrypted, compressed where that
	 * helps, in content-defined chunks shared with earlier exports of the same chat),
	 * unless it is stored already. Call it after the export's records are archived: a
	 * file of one conversation is stored under that conversation's key.
	 * @param receipt the receipt
	 * @param source the export's source platform, for retention, or {@code null}
	 * @return what was stored
	 */
	OriginalsSummary storeOriginals(ExportReceipt receipt, SourcePlatform source);

	/**
	 * Reads a record back, verified (see {@link VaultReader#record}).
	 * @param messageId the id
	 * @return the canonical record bytes
	 * @throws java.util.NoSuchElementException if no such record is archived
	 * @throws VaultIntegrityException naming the object and the message if anything does
	 * not match
	 */
	byte[] readCanonical(String messageId);

}
