package io.chatvault.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A group's drop folder, where exports copied off phones land:
 * {@code <drop>/<group>/<custodian>/<export>} (a file directly in the group's folder
 * belongs to the default custodian). Names starting with a dot are never taken
 * ({@code .done/}, and half-copied {@code .name.part} files of tools that rename when
 * done); a file is taken only once its last change is at or before the window's end, so a
 * copy still running at the boundary waits for the next window.
 */
final class DropFolder {

	static final String DONE = ".done";

	private static final Log logger = LogFactory.getLog(DropFolder.class);

	private DropFolder() {
	}

	/**
	 * A file waiting in a drop folder.
	 *
	 * @param path the file
	 * @param custodian its custodian (the folder it is in)
	 * @param modified its last change
	 */
	record Dropped(Path path, String custodian, Instant modified) {
	}

	/**
	 * The files waiting in a group's folder, in path order.
	 * @param groupFolder the group's folder
	 * @param defaultCustodian the custodian of files outside a custodian folder
	 * @param windowEnd files changed later wait
	 * @param skipped receives what is not an export file (directories below a custodian)
	 * @return the files
	 */
	static List<Dropped> waiting(Path groupFolder, String defaultCustodian, Instant windowEnd, List<String> skipped) {
		List<Dropped> files = new ArrayList<>();
		if (!Files.isDirectory(groupFolder)) {
			return files;
		}
		for (Path entry : sorted(groupFolder)) {
			if (Files.isDirectory(entry)) {
				String custodian = entry.getFileName().toString();
				for (Path file : sorted(entry)) {
					if (Files.isRegularFile(file)) {
						add(files, file, custodian, windowEnd);
					}
					else {
						skipped.add(groupFolder.relativize(file) + " (not a file)");
					}
				}
			}
			else if (Files.isRegularFile(entry)) {
				add(files, entry, defaultCustodian, windowEnd);
			}
		}
		return files;
	}

	private static void add(List<Dropped> files, Path file, String custodian, Instant windowEnd) {
		try {
			Instant modified = Files.getLastModifiedTime(file).toInstant();
			if (!modified.isAfter(windowEnd)) {
				files.add(new Dropped(file, custodian, modified));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the drop folder entry " + file, ex);
		}
	}

	private static List<Path> sorted(Path folder) {
		try (Stream<Path> entries = Files.list(folder)) {
			return entries.filter((path) -> !path.getFileName().toString().startsWith(".")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list the drop folder " + folder, ex);
		}
	}

	/** The first bytes of a file, for quarantining one no format reads. */
	static byte[] head(Path file, int limit) {
		try (InputStream in = Files.newInputStream(file)) {
			return in.readNBytes(limit);
		}
		catch (IOException ex) {
			return new byte[0];
		}
	}

	/**
	 * Retires an imported file: moves it into the group's {@code .done/} (same relative
	 * path; a name taken already gets a number), or leaves it.
	 * @param groupFolder the group's folder
	 * @param file the file
	 * @param afterImport what to do
	 */
	static void retire(Path groupFolder, Path file, SyncProperties.AfterImport afterImport) {
		if (afterImport == SyncProperties.AfterImport.KEEP || !Files.exists(file)) {
			return;
		}
		Path target = groupFolder.resolve(DONE).resolve(groupFolder.relativize(file));
		try {
			Files.createDirectories(target.getParent());
			String name = target.getFileName().toString();
			for (int n = 1; Files.exists(target); n++) {
				target = target.resolveSibling(n + "-" + name);
			}
			Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			logger.warn("Imported " + file + " but cannot move it to " + target + ": " + ex.getMessage()
					+ " (its SHA-256 marks it done; it is not imported again)");
		}
	}

}
