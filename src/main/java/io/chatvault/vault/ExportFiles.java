package io.chatvault.vault;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.chatvault.source.SafeZip;

/**
 * The files of an export as handed over, whatever its shape: a single file (its only
 * entry is itself), a zip (its entries, read through {@link SafeZip} so that a hostile
 * archive cannot exhaust the machine; refused entries are listed with the reason), or a
 * directory (its regular files by relative path, sorted, forward slashes).
 */
final class ExportFiles implements Closeable {

	private final Path path;

	private final ExportReceipt.ExportKind kind;

	private final SafeZip zip;

	private final List<FileEntry> entries;

	private ExportFiles(Path path, ExportReceipt.ExportKind kind, SafeZip zip, List<FileEntry> entries) {
		this.path = path;
		this.kind = kind;
		this.zip = zip;
		this.entries = entries;
	}

	/**
	 * Lists an export's files.
	 * @param path the export
	 * @return its files
	 * @throws IOException if it cannot be listed (a zip that is not one is a single file)
	 */
	static ExportFiles open(Path path) throws IOException {
		if (Files.isDirectory(path)) {
			List<FileEntry> entries = new ArrayList<>();
			try (Stream<Path> all = Files.walk(path)) {
				for (Path file : all.filter(Files::isRegularFile).sorted().toList()) {
					String name = path.relativize(file).toString().replace(java.io.File.separatorChar, '/');
					entries.add(new FileEntry(name, Files.size(file), null, file, null));
				}
			}
			return new ExportFiles(path, ExportReceipt.ExportKind.DIRECTORY, null, entries);
		}
		if (SafeZip.looksLikeZip(path)) {
			SafeZip zip;
			try {
				zip = SafeZip.open(path);
			}
			catch (IOException | RuntimeException ex) {
				return single(path);
			}
			List<FileEntry> entries = new ArrayList<>();
			for (SafeZip.Entry entry : zip.entries()) {
				entries.add(new FileEntry(entry.name(), entry.size(), entry, null, null));
			}
			for (SafeZip.Refusal refusal : zip.refused()) {
				entries.add(new FileEntry(refusal.name(), -1, null, null, "refused: " + refusal.reason()));
			}
			return new ExportFiles(path, ExportReceipt.ExportKind.ZIP, zip, entries);
		}
		return single(path);
	}

	private static ExportFiles single(Path path) throws IOException {
		return new ExportFiles(path, ExportReceipt.ExportKind.FILE, null,
				List.of(new FileEntry(path.getFileName().toString(), Files.size(path), null, path, null)));
	}

	ExportReceipt.ExportKind kind() {
		return this.kind;
	}

	Path path() {
		return this.path;
	}

	List<FileEntry> entries() {
		return this.entries;
	}

	/**
	 * Opens an entry's bytes as received.
	 * @param entry one of {@link #entries()}
	 * @return its bytes
	 * @throws IOException if it cannot be read
	 */
	InputStream open(FileEntry entry) throws IOException {
		if (entry.problem() != null) {
			throw new IOException(entry.problem());
		}
		if (entry.zipEntry() != null) {
			return this.zip.open(entry.zipEntry());
		}
		return Files.newInputStream(entry.file());
	}

	@Override
	public void close() throws IOException {
		if (this.zip != null) {
			this.zip.close();
		}
	}

	/**
	 * One file.
	 *
	 * @param name its name in the receipt
	 * @param size its size, or -1 when unknown
	 * @param zipEntry its zip entry, or {@code null}
	 * @param file its file, or {@code null}
	 * @param problem why it cannot be read, or {@code null}
	 */
	record FileEntry(String name, long size, SafeZip.Entry zipEntry, Path file, String problem) {
	}

}
