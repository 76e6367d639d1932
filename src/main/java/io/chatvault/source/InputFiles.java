package io.chatvault.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The files of an input that is a file or a directory of JSON files (Teams pages, webhook
 * captures), for the JSON sources: which files are of the format, in path order, and
 * which were passed over.
 */
public final class InputFiles {

	/** How much of a file format detection reads. */
	public static final int SNIFF_BYTES = 64 * 1024;

	private InputFiles() {
	}

	/**
	 * The start of a file as text, for format detection.
	 * @param file a file
	 * @return up to {@link #SNIFF_BYTES} bytes decoded as UTF-8, or an empty string if it
	 * cannot be read
	 */
	public static String head(Path file) {
		if (!Files.isRegularFile(file)) {
			return "";
		}
		try (InputStream in = Files.newInputStream(file)) {
			return new String(in.readNBytes(SNIFF_BYTES), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	/**
	 * Selects the files of a format.
	 * @param input a file or a directory
	 * @param ofFormat whether a file is of the format
	 * @param skipped receives the JSON files of a directory that are not of the format
	 * @return the input itself if it is a file, else its files of the format, in path
	 * order
	 */
	public static List<Path> select(Path input, Predicate<Path> ofFormat, List<Path> skipped) {
		if (!Files.isDirectory(input)) {
			return List.of(input);
		}
		try (Stream<Path> all = Files.walk(input)) {
			List<Path> selected = new ArrayList<>();
			for (Path file : all.filter(Files::isRegularFile).sorted().toList()) {
				String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
				if (ofFormat.test(file)) {
					selected.add(file);
				}
				else if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
					skipped.add(file);
				}
			}
			return selected;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Where a record of one of the selected files was read: the file alone when the input
	 * is that file, else the directory and the file's relative path as the entry.
	 * @param input the input as given
	 * @param file the file read
	 * @param entryWithinFile a further entry inside the file (a test case name), or empty
	 * @param number the record number
	 * @return the location
	 */
	public static io.chatvault.message.SourceLocation location(Path input, Path file, String entryWithinFile,
			long number) {
		if (input.equals(file)) {
			return new io.chatvault.message.SourceLocation(file.toString(), entryWithinFile, number);
		}
		String relative = input.relativize(file).toString().replace(java.io.File.separatorChar, '/');
		String entry = entryWithinFile.isEmpty() ? relative : relative + "#" + entryWithinFile;
		return new io.chatvault.message.SourceLocation(input.toString(), entry, number);
	}

}
