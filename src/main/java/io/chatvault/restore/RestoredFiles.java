package io.chatvault.restore;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

import io.chatvault.message.Sha256;

/**
 * The files of one restore, each hashed as it is written and listed in {@code SHA256SUMS}
 * ({@code sha256sum -c SHA256SUMS} checks them), under names that cannot leave the
 * target: every path segment is cleaned of separators, control characters and {@code ..}.
 */
final class RestoredFiles implements AutoCloseable {

	/** The list of every file written with its SHA-256, in {@code sha256sum} form. */
	static final String SUMS = "SHA256SUMS";

	private final Path target;

	private final BufferedWriter sums;

	private long files;

	private long bytes;

	RestoredFiles(Path target) throws IOException {
		this.target = target;
		this.sums = Files.newBufferedWriter(target.resolve(SUMS), StandardCharsets.UTF_8);
	}

	/**
	 * Copies a stream into a file.
	 * @param relative the path below the target, forward slashes, already cleaned
	 * @param in the bytes (closed here)
	 * @return the file's SHA-256 and size
	 */
	Written copy(String relative, InputStream in) throws IOException {
		Path file = resolve(relative);
		Files.createDirectories(file.getParent());
		MessageDigest digest = Sha256.digest();
		long size;
		try (InputStream source = in; OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
			size = source.transferTo(out);
		}
		return listed(relative, Sha256.hexOf(digest), size);
	}

	/**
	 * Opens a file written piece by piece; its hash is listed when the stream is closed.
	 * @param relative the path below the target
	 * @return the stream
	 */
	OutputStream open(String relative) throws IOException {
		Path file = resolve(relative);
		Files.createDirectories(file.getParent());
		MessageDigest digest = Sha256.digest();
		OutputStream out = Files.newOutputStream(file);
		return new DigestOutputStream(new java.io.BufferedOutputStream(out, 1 << 16), digest) {

			private long size;

			private boolean closed;

			@Override
			public void write(int b) throws IOException {
				super.write(b);
				this.size++;
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				super.write(b, off, len);
				this.size += len;
			}

			@Override
			public void close() throws IOException {
				if (this.closed) {
					return;
				}
				this.closed = true;
				super.close();
				listed(relative, Sha256.hexOf(digest), this.size);
			}

		};
	}

	private Written listed(String relative, String sha256, long size) {
		try {
			this.sums.write(sha256 + "  " + relative + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.files++;
		this.bytes += size;
		return new Written(relative, sha256, size);
	}

	private Path resolve(String relative) {
		Path file = this.target.resolve(relative).normalize();
		if (!file.startsWith(this.target)) {
			throw new IllegalArgumentException("refusing to write outside the target: " + relative);
		}
		return file;
	}

	long files() {
		return this.files;
	}

	long bytes() {
		return this.bytes;
	}

	@Override
	public void close() throws IOException {
		this.sums.close();
	}

	/**
	 * A path segment safe on every file system: no separators, no control or reserved
	 * characters, not {@code .} or {@code ..}, at most 120 characters (a longer one keeps
	 * its start and gets a hash of the whole).
	 * @param name the name
	 * @return the segment
	 */
	static String segment(String name) {
		StringBuilder clean = new StringBuilder(name.length());
		name.codePoints().forEach((c) -> {
			boolean bad = c < 0x20 || c == 0x7f || "/\\:*?\"<>|".indexOf(c) >= 0;
			clean.appendCodePoint(bad ? '_' : c);
		});
		String segment = clean.toString().strip();
		if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
			segment = "_" + segment;
		}
		if (segment.length() > 120) {
			segment = segment.substring(0, 100) + "~" + Sha256.hex(name).substring(0, 12);
		}
		return segment;
	}

	/**
	 * A relative path of cleaned segments.
	 * @param path a path with forward slashes (a zip entry, a directory export's file)
	 * @return the cleaned path
	 */
	static String path(String path) {
		StringBuilder clean = new StringBuilder();
		for (String part : path.replace('\\', '/').split("/")) {
			if (part.isEmpty()) {
				continue;
			}
			if (clean.length() > 0) {
				clean.append('/');
			}
			clean.append(segment(part));
		}
		return (clean.length() > 0) ? clean.toString() : "_";
	}

	/**
	 * A file written.
	 *
	 * @param path below the target
	 * @param sha256 its SHA-256
	 * @param size its size
	 */
	record Written(String path, String sha256, long size) {
	}

}
