package io.chatvault.message;

import java.util.Objects;
import java.util.Optional;

/**
 * A record that could not be parsed: kept with its raw bytes and the reason, so that it
 * can be re-driven after a fix. Nothing is dropped silently.
 *
 * <p>
 * Most quarantined records are a line or a JSON record, held in {@code raw}. A whole file
 * that cannot be read, or a damaged zip entry, can be far too large to hold: its bytes
 * stay where they are and {@code rawRange} says where, for the vault to stream them into
 * quarantine ({@code raw} is then empty).
 *
 * @param origin where it was read
 * @param reason what was expected and what was found, in words an operator understands
 * @param raw the raw bytes of the record as read (possibly truncated for gigantic lines,
 * see {@code rawLength}), or empty when {@code rawRange} locates them
 * @param rawLength the full length in bytes of the record in the input
 * @param rawRange where the raw bytes are, when they are not held in {@code raw}; or null
 */
public record QuarantinedRecord(SourceLocation origin, String reason, byte[] raw, long rawLength,
		ByteRange rawRange) implements SourceRecord {

	public QuarantinedRecord {
		Objects.requireNonNull(origin, "origin");
		Objects.requireNonNull(reason, "reason");
		Objects.requireNonNull(raw, "raw");
		if (rawRange != null && raw.length > 0) {
			throw new IllegalArgumentException("raw bytes are held or located, not both");
		}
	}

	public QuarantinedRecord(SourceLocation origin, String reason, byte[] raw, long rawLength) {
		this(origin, reason, raw, rawLength, null);
	}

	public QuarantinedRecord(SourceLocation origin, String reason, byte[] raw) {
		this(origin, reason, raw, raw.length, null);
	}

	/**
	 * A quarantined record whose raw bytes are a range of a file, streamed into
	 * quarantine by the vault.
	 * @param origin where it was read
	 * @param reason why it is quarantined
	 * @param range where its bytes are
	 * @return the record
	 */
	public static QuarantinedRecord ofRange(SourceLocation origin, String reason, ByteRange range) {
		return new QuarantinedRecord(origin, reason, new byte[0], range.length(), range);
	}

	/** Where the raw bytes are, when they are not held in {@link #raw()}. */
	public Optional<ByteRange> located() {
		return Optional.ofNullable(this.rawRange);
	}

	@Override
	public String toString() {
		return origin + ": " + reason;
	}

}
