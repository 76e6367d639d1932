package io.chatvault.source.slack;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.chatvault.message.ByteRange;
import io.chatvault.message.ContentLocator;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.source.SafeZip;

/**
 * The files of a Slack export, whether a .zip or its unpacked directory: relative names
 * with forward slashes, in sorted order, so that both forms read alike.
 */
interface ExportTree extends Closeable {

	/** The file names, relative, with forward slashes, sorted. */
	List<String> names();

	/** Entries refused as unsafe, with the reason (zip only). */
	List<SafeZip.Refusal> refused();

	InputStream open(String name) throws IOException;

	/**
	 * Whether a file is damaged, found by reading it through once before any of it is
	 * trusted (zip entries: CRC-32, sizes, compressed data); files of a directory have no
	 * check.
	 * @param name a file name
	 * @return the reason it is damaged, or empty
	 */
	Optional<String> damage(String name);

	/**
	 * A file as a quarantined record of its bytes as stored (never inflated).
	 * @param file the input as named in locations
	 * @param name the file name
	 * @param line the record number for the location
	 * @param reason why
	 * @return the record
	 */
	QuarantinedRecord quarantined(String file, String name, long line, String reason);

	ContentLocator locator(String name);

	static ExportTree of(Path input) throws IOException {
		return Files.isDirectory(input) ? new DirectoryTree(input) : new ZipTree(SafeZip.open(input));
	}

	/** A Slack export .zip. */
	final class ZipTree implements ExportTree {

		private final SafeZip zip;

		private final List<String> names;

		ZipTree(SafeZip zip) {
			this.zip = zip;
			this.names = zip.entries().stream().map(SafeZip.Entry::name).sorted().toList();
		}

		@Override
		public List<String> names() {
			return this.names;
		}

		@Override
		public List<SafeZip.Refusal> refused() {
			return this.zip.refused();
		}

		@Override
		public InputStream open(String name) throws IOException {
			return this.zip.open(this.zip.entry(name).orElseThrow(() -> new IOException("no entry " + name)));
		}

		@Override
		public Optional<String> damage(String name) {
			return this.zip.entry(name).flatMap(this.zip::damage);
		}

		@Override
		public QuarantinedRecord quarantined(String file, String name, long line, String reason) {
			return this.zip.quarantined(file, name, line, reason);
		}

		@Override
		public ContentLocator locator(String name) {
			return ContentLocator.zipEntry(this.zip.archive(), name);
		}

		@Override
		public void close() throws IOException {
			this.zip.close();
		}

	}

	/** An unpacked export directory. */
	final class DirectoryTree implements ExportTree {

		private final Path root;

		private final List<String> names;

		DirectoryTree(Path root) throws IOException {
			this.root = root;
			try (Stream<Path> files = Files.walk(root)) {
				this.names = files.filter(Files::isRegularFile)
					.map((file) -> root.relativize(file).toString().replace(java.io.File.separatorChar, '/'))
					.sorted()
					.toList();
			}
		}

		@Override
		public List<String> names() {
			return this.names;
		}

		@Override
		public List<SafeZip.Refusal> refused() {
			return List.of();
		}

		@Override
		public InputStream open(String name) throws IOException {
			return Files.newInputStream(this.root.resolve(name));
		}

		@Override
		public Optional<String> damage(String name) {
			return Optional.empty();
		}

		@Override
		public QuarantinedRecord quarantined(String file, String name, long line, String reason) {
			SourceLocation origin = new SourceLocation(file, name, line);
			try {
				return QuarantinedRecord.ofRange(origin, reason, ByteRange.wholeFile(this.root.resolve(name)));
			}
			catch (IOException ex) {
				return new QuarantinedRecord(origin, reason + " (and its size cannot be read: " + ex.getMessage() + ")",
						new byte[0]);
			}
		}

		@Override
		public ContentLocator locator(String name) {
			return ContentLocator.file(this.root.resolve(name));
		}

		@Override
		public void close() {
		}

	}

}
