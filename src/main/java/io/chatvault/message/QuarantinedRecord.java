package io.chatvault.message;

import java.util.Objects;

/**
 * A record that could not be parsed: kept with its raw bytes and the reason, so that it
 * can be re-driven after a fix. Nothing is dropped silently.
 *
 * @param origin where it was read
 * @param reason what was expected and what was found, in words an operator understands
 * @param raw the raw bytes of the record as read (possibly truncated for gigantic lines,
 * see {@code rawLength})
 * @param rawLength the full length in bytes of the record in the input
 */
public record QuarantinedRecord(SourceLocation origin, String reason, byte[] raw,
		long rawLength) implements SourceRecord {

	public QuarantinedRecord {
		Objects.requireNonNull(origin, "origin");
		Objects.requireNonNull(reason, "reason");
		Objects.requireNonNull(raw, "raw");
	}

	public QuarantinedRecord(SourceLocation origin, String reason, byte[] raw) {
		this(origin, reason, raw, raw.length);
	}

	@Override
	public String toString() {
		return origin + ": " + reason;
	}

}
