package io.chatvault.message;

import java.util.Objects;

/**
 * Where a record was read: the input file, the entry inside an archive (empty for a plain
 * file), the line (text formats) or record number (JSON formats), counted from 1, and,
 * where the reader knows it, the byte span of the record's raw fragment in that file or
 * entry (its exact source bytes: the WhatsApp lines, the Slack or Teams JSON object).
 *
 * @param file the input file as given to the reader
 * @param entry the archive entry name, or an empty string
 * @param line the 1-based line or record number
 * @param offset the first byte of the raw fragment in the file or entry, or -1 when
 * unknown
 * @param length the raw fragment's length in bytes, or -1 when unknown
 */
public record SourceLocation(String file, String entry, long line, long offset, long length) {

	public SourceLocation {
		Objects.requireNonNull(file, "file");
		entry = (entry != null) ? entry : "";
		if (offset < 0 || length < 0) {
			offset = -1;
			length = -1;
		}
	}

	/**
	 * A location without a byte span.
	 * @param file the input file
	 * @param entry the archive entry, or an empty string
	 * @param line the line or record number
	 */
	public SourceLocation(String file, String entry, long line) {
		this(file, entry, line, -1, -1);
	}

	/**
	 * The same location with the byte span of the raw fragment.
	 * @param offset its first byte in the file or entry
	 * @param length its length
	 * @return the location
	 */
	public SourceLocation withSpan(long offset, long length) {
		return new SourceLocation(this.file, this.entry, this.line, offset, length);
	}

	/** Whether the byte span of the raw fragment is known. */
	public boolean hasSpan() {
		return this.offset >= 0;
	}

	@Override
	public String toString() {
		return entry.isEmpty() ? file + ":" + line : file + "!" + entry + ":" + line;
	}

}
