package io.chatvault.message;

import java.util.Objects;

/**
 * Where a record was read: the input file, the entry inside an archive (empty for a plain
 * file), and the line (text formats) or record number (JSON formats), counted from 1.
 *
 * @param file the input file as given to the reader
 * @param entry the archive entry name, or an empty string
 * @param line the 1-based line or record number
 */
public record SourceLocation(String file, String entry, long line) {

	public SourceLocation {
		Objects.requireNonNull(file, "file");
		entry = (entry != null) ? entry : "";
	}

	@Override
	public String toString() {
		return entry.isEmpty() ? file + ":" + line : file + "!" + entry + ":" + line;
	}

}
