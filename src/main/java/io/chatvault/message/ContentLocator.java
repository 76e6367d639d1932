package io.chatvault.message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where the bytes of an attachment can be read again: a plain file, or an entry of a zip
 * archive. Records travel through chunks without open streams; the vault opens the
 * content when it stores it.
 *
 * @param container the file, or the zip archive
 * @param entry the entry name inside the archive, or an empty string for a plain file
 */
public record ContentLocator(Path container, String entry) {

	public ContentLocator {
		Objects.requireNonNull(container, "container");
		entry = (entry != null) ? entry : "";
	}

	public static ContentLocator file(Path file) {
		return new ContentLocator(file, "");
	}

	public static ContentLocator zipEntry(Path zip, String entry) {
		return new ContentLocator(zip, entry);
	}

	/**
	 * Opens the content. The caller closes the stream (which also closes the archive).
	 * @return the content's bytes as a stream
	 * @throws IOException if the file or entry cannot be read
	 */
	public InputStream open() throws IOException {
		if (this.entry.isEmpty()) {
			return Files.newInputStream(this.container);
		}
		ZipFile zip = new ZipFile(this.container.toFile());
		ZipEntry zipEntry = zip.getEntry(this.entry);
		if (zipEntry == null) {
			zip.close();
			throw new IOException("No entry '" + this.entry + "' in " + this.container);
		}
		InputStream in = zip.getInputStream(zipEntry);
		return new java.io.FilterInputStream(in) {
			@Override
			public void close() throws IOException {
				try {
					super.close();
				}
				finally {
					zip.close();
				}
			}
		};
	}

	@Override
	public String toString() {
		return this.entry.isEmpty() ? this.container.toString() : this.container + "!" + this.entry;
	}

}
