package io.chatvault.source;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One input format: knows whether an input is of its format and opens a streaming reader
 * on it. One implementation per platform, in {@code io.chatvault.source.<platform>}.
 */
public interface ChatSource {

	/** The format this source reads. */
	SourceFormat format();

	/**
	 * Whether the input looks like this format; reads at most a few kilobytes.
	 * @param input a file or directory
	 * @return true if this source can read it
	 */
	boolean accepts(Path input);

	/**
	 * Opens a reader.
	 * @param input a file or directory
	 * @param options custodian, zone and overrides
	 * @return a reader, to be closed by the caller
	 * @throws IOException if the input cannot be opened at all (missing file, not a zip)
	 */
	SourceReader open(Path input, SourceOptions options) throws IOException;

}
