package io.chatvault.message;

/**
 * What a source reader yields for each record of its input: a parsed record, or a
 * quarantined one. Every input line or record ends as exactly one of the two, which is
 * what lets each run reconcile read = archived + duplicates + quarantined.
 */
public sealed interface SourceRecord permits ChatRecord, QuarantinedRecord {

	/** Where in the input this record was read. */
	SourceLocation origin();

}
