package io.chatvault.message;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A range of bytes of an input file, exactly as they are on disk: a whole export that
 * cannot be read, or the stored bytes of a damaged or refused zip entry. Quarantine keeps
 * such ranges by streaming them, since they may be far larger than a record (a 2 GB zip
 * bomb, a truncated Slack export), and never inflates or decodes them: what is kept is
 * what was received.
 *
 * @param file the file
 * @param offset the first byte
 * @param length the number of bytes
 */
public record ByteRange(Path file, long offset, long length) {

	public ByteRange {
		Objects.requireNonNull(file, "file");
		if (offset < 0 || length < 0) {
			throw new IllegalArgumentException("invalid byte range " + offset + "+" + length + " of " + file);
		}
	}

	/**
	 * The whole of a file, as long as it is now.
	 * @param file the file
	 * @return its range
	 * @throws IOException if its size cannot be read
	 */
	public static ByteRange wholeFile(Path file) throws IOException {
		return new ByteRange(file, 0, java.nio.file.Files.size(file));
	}

	/**
	 * Opens the range as a stream of exactly {@link #length()} bytes; a file shorter than
	 * the range ends the stream with an {@link EOFException}, so that a range that
	 * changed is never taken for a complete one.
	 * @return the bytes, to be closed by the caller
	 * @throws IOException if the file cannot be opened
	 */
	public InputStream open() throws IOException {
		FileChannel channel = FileChannel.open(this.file, StandardOpenOption.READ);
		return new InputStream() {

			private long position = ByteRange.this.offset;

			private final long end = ByteRange.this.offset + ByteRange.this.length;

			@Override
			public int read() throws IOException {
				byte[] one = new byte[1];
				int n = read(one, 0, 1);
				return (n < 0) ? -1 : one[0] & 0xFF;
			}

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				if (this.position >= this.end) {
					return -1;
				}
				int want = (int) Math.min(len, this.end - this.position);
				int n = channel.read(ByteBuffer.wrap(b, off, want), this.position);
				if (n < 0) {
					throw new EOFException(ByteRange.this + " ends early, at byte " + this.position);
				}
				this.position += n;
				return n;
			}

			@Override
			public void close() throws IOException {
				channel.close();
			}

		};
	}

	@Override
	public String toString() {
		return this.file + " bytes " + this.offset + "+" + this.length;
	}

}
