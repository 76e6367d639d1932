package io.chatvault.vault;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.chatvault.message.SourceLocation;

/**
 * The sealed receipt of one export: what the custodian handed over, when, with every
 * file's name, size and SHA-256. It is the chain of custody of everything read from the
 * export, and the map from a record's {@link SourceLocation} to the stored original
 * holding its raw fragment.
 *
 * @param id the {@code vault_receipt} id
 * @param intakeKey what makes receiving idempotent (a restarted import finds its receipt)
 * @param custodian who handed the export over
 * @param receivedAt when the vault received it
 * @param export the export as a whole
 * @param entries its files, in order
 * @param entriesByName the same files by name (the first of a name), derived from
 * {@code entries}: every record of an export looks its file up, and an export may have
 * thousands
 */
public record ExportReceipt(long id, String intakeKey, String custodian, Instant receivedAt, Export export,
		List<Entry> entries, Map<String, Entry> entriesByName) {

	public ExportReceipt {
		Objects.requireNonNull(intakeKey, "intakeKey");
		entries = List.copyOf(entries);
		entriesByName = byName(entries);
	}

	public ExportReceipt(long id, String intakeKey, String custodian, Instant receivedAt, Export export,
			List<Entry> entries) {
		this(id, intakeKey, custodian, receivedAt, export, entries, Map.of());
	}

	/**
	 * The file of an export holding a record's raw fragment.
	 * @param origin where the record was read
	 * @return the entry, if the receipt has it and it could be hashed
	 */
	public Optional<Entry> entryFor(SourceLocation origin) {
		if (this.export.kind() == ExportKind.FILE) {
			return this.entries.stream().findFirst().filter((entry) -> entry.sha256() != null);
		}
		Map<String, Entry> byName = this.entriesByName;
		Entry entry = byName.get(origin.entry());
		if (entry == null && origin.entry().indexOf('#') > 0) {
			// A named part of a file (a test case of a fixture file): the file itself.
			entry = byName.get(origin.entry().substring(0, origin.entry().indexOf('#')));
		}
		return Optional.ofNullable(entry).filter((found) -> found.sha256() != null);
	}

	private static Map<String, Entry> byName(List<Entry> entries) {
		Map<String, Entry> byName = new HashMap<>(entries.size() * 2);
		for (Entry entry : entries) {
			byName.putIfAbsent(entry.name(), entry);
		}
		return Collections.unmodifiableMap(byName);
	}

	/** What an export is. */
	public enum ExportKind {

		/**
		 * A single file (a WhatsApp chat text, a JSON file): its only entry is itself.
		 */
		FILE,

		/** A zip archive: its entries. */
		ZIP,

		/** A directory: its files, by relative path. */
		DIRECTORY

	}

	/**
	 * The export as a whole.
	 *
	 * @param name its name (the file or directory name)
	 * @param path where it was read, as given
	 * @param kind file, zip or directory
	 * @param format the source format it was read as, or an empty string
	 * @param sha256 hex SHA-256 of the file or zip as received, or {@code null} for a
	 * directory
	 * @param size its size in bytes (all files of a directory)
	 */
	public record Export(String name, String path, ExportKind kind, String format, String sha256, long size) {
	}

	/**
	 * One file of the export.
	 *
	 * @param receiptId the id of its receipt
	 * @param ordinal its place in the receipt
	 * @param name its name: the file name, the zip entry, or the path relative to the
	 * directory (forward slashes)
	 * @param size its size in bytes
	 * @param sha256 hex SHA-256 of its bytes, or {@code null} when it could not be read
	 * @param problem why it could not be read (a refused zip entry), or {@code null}
	 */
	public record Entry(long receiptId, int ordinal, String name, long size, String sha256, String problem) {
	}

}
