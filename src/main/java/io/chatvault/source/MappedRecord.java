package io.chatvault.source;

import java.util.Objects;

import io.chatvault.message.ChatRecord;

/**
 * What a parser's mapping of one source object gives: the record, or the reason it cannot
 * be mapped (which the reader turns into a quarantined record with the raw bytes).
 *
 * @param record the record, or null
 * @param problem the reason, or null
 */
public record MappedRecord(ChatRecord record, String problem) {

	public MappedRecord {
		if ((record == null) == (problem == null)) {
			throw new IllegalArgumentException("exactly one of record and problem");
		}
	}

	public static MappedRecord of(ChatRecord record) {
		return new MappedRecord(Objects.requireNonNull(record), null);
	}

	public static MappedRecord problem(String problem) {
		return new MappedRecord(null, Objects.requireNonNull(problem));
	}

	public boolean ok() {
		return this.record != null;
	}

}
