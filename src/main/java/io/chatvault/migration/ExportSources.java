package io.chatvault.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import io.chatvault.source.SourceFormat;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;

/**
 * What the migration needs from the source formats: to tell whether a path is an export
 * (and of which format), and to open a reader on it.
 */
interface ExportSources {

	/**
	 * Detects the format of a file, zip or directory.
	 * @param input the path
	 * @return its format, or empty if no source reads it
	 */
	Optional<SourceFormat> detect(Path input);

	/**
	 * Whether the source of a format reads a path.
	 * @param input the path
	 * @param format the format
	 * @return true if it does
	 */
	boolean accepts(Path input, SourceFormat format);

	/**
	 * Opens a reader.
	 * @param input the export
	 * @param format its format, or empty to detect it
	 * @param options custodian and zone
	 * @return the reader
	 * @throws IOException if the input cannot be opened
	 */
	SourceReader open(Path input, Optional<SourceFormat> format, SourceOptions options) throws IOException;

}
