package io.chatvault.migration;

import io.chatvault.message.QuarantinedRecord;
import io.chatvault.vault.ArchiveRequest;

/**
 * What the processor hands the writer: a record prepared for the vault, or a quarantined
 * record to keep as it is.
 */
sealed interface MigrationItem {

	/**
	 * A parsed record, prepared.
	 *
	 * @param request the archive request
	 */
	record Prepared(ArchiveRequest request) implements MigrationItem {
	}

	/**
	 * A record the source could not parse.
	 *
	 * @param record the quarantined record
	 */
	record Quarantined(QuarantinedRecord record) implements MigrationItem {
	}

}
