package io.chatvault.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads a byte stream line by line with bounded memory, for every text parser. A line
 * ends at LF; a CR before the LF is dropped, as is a UTF-8 byte-order mark at the start
 * of the stream.
 *
 * <p>
 * Hostile input is handled, not thrown: a gigantic line keeps only its first
 * {@code maxLineBytes} bytes (the rest is skipped and counted, see
 * {@link Line#rawLength()}), and invalid UTF-8 is decoded with U+FFFD replacements and
 * flagged ({@link Line#malformed()}), so that the parser can quarantine the line with its
 * raw bytes.
 */
public final class BoundedLineReader implements Closeable {

	/** The default cap on one line: 1 MiB. */
	public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

	private static final int BUFFER_SIZE = 64 * 1024;

	private final InputStream in;

	private final int maxLineBytes;

	private final byte[] buffer = new byte[BUFFER_SIZE];

	private int position;

	private int limit;

	private byte[] line = new byte[256];

	private long number;

	private boolean eof;

	private boolean first = true;

	/**
	 * Creates a reader with the default line cap.
	 * @param in the stream, closed by {@link #close()}
	 */
	public BoundedLineReader(InputStream in) {
		this(in, DEFAULT_MAX_LINE_BYTES);
	}

	/**
	 * Creates a reader.
	 * @param in the stream, closed by {@link #close()}
	 * @param maxLineBytes the most bytes of one line kept
	 */
	public BoundedLineReader(InputStream in, int maxLineBytes) {
		if (maxLineBytes <= 0) {
			throw new IllegalArgumentException("maxLineBytes must be positive");
		}
		this.in = in;
		this.maxLineBytes = maxLineBytes;
	}

	/**
	 * Reads the next line.
	 * @return the line, or empty at the end of the stream (a final line without LF is
	 * still returned; an empty stream has no lines)
	 * @throws IOException if the stream cannot be read
	 */
	public Optional<Line> next() throws IOException {
		if (this.eof && this.position >= this.limit) {
			return Optional.empty();
		}
		int kept = 0;
		long total = 0;
		boolean sawAny = false;
		boolean terminated = false;
		while (!terminated) {
			if (this.position >= this.limit) {
				if (!fill()) {
					break;
				}
			}
			sawAny = true;
			int start = this.position;
			int end = start;
			while (end < this.limit && this.buffer[end] != '\n') {
				end++;
			}
			int chunk = end - start;
			total += chunk;
			int room = this.maxLineBytes - kept;
			int copy = Math.min(room, chunk);
			if (copy > 0) {
				ensureCapacity(kept + copy);
				System.arraycopy(this.buffer, start, this.line, kept, copy);
				kept += copy;
			}
			if (end < this.limit) {
				terminated = true;
				this.position = end + 1;
			}
			else {
				this.position = end;
			}
		}
		if (!sawAny) {
			return Optional.empty();
		}
		boolean truncated = total > kept;
		if (!truncated && kept > 0 && this.line[kept - 1] == '\r' && terminated) {
			kept--;
			total--;
		}
		this.number++;
		byte[] raw = Arrays.copyOf(this.line, kept);
		int offset = 0;
		if (this.first) {
			this.first = false;
			if (kept >= 3 && (raw[0] & 0xFF) == 0xEF && (raw[1] & 0xFF) == 0xBB && (raw[2] & 0xFF) == 0xBF) {
				offset = 3;
			}
		}
		// A truncated line may end inside a multi-byte character: that is not malformed
		// input.
		int validated = truncated ? trimPartialCharacter(raw, kept) : kept;
		boolean malformed = !isValidUtf8(raw, offset, validated);
		String text = new String(raw, offset, kept - offset, StandardCharsets.UTF_8);
		return Optional.of(new Line(this.number, text, raw, total, truncated, malformed));
	}

	/** The number of lines returned so far. */
	public long lineNumber() {
		return this.number;
	}

	@Override
	public void close() throws IOException {
		this.in.close();
	}

	private boolean fill() throws IOException {
		if (this.eof) {
			return false;
		}
		int n = this.in.read(this.buffer, 0, this.buffer.length);
		while (n == 0) {
			n = this.in.read(this.buffer, 0, this.buffer.length);
		}
		if (n < 0) {
			this.eof = true;
			this.position = 0;
			this.limit = 0;
			return false;
		}
		this.position = 0;
		this.limit = n;
		return true;
	}

	private void ensureCapacity(int needed) {
		if (needed > this.line.length) {
			this.line = Arrays.copyOf(this.line, Math.min(this.maxLineBytes, Math.max(needed, this.line.length * 2)));
		}
	}

	private static int trimPartialCharacter(byte[] bytes, int length) {
		int i = length - 1;
		int continuation = 0;
		while (i >= 0 && continuation < 3 && (bytes[i] & 0xC0) == 0x80) {
			i--;
			continuation++;
		}
		if (i >= 0 && (bytes[i] & 0xC0) == 0xC0) {
			int expected = ((bytes[i] & 0xE0) == 0xC0) ? 1 : ((bytes[i] & 0xF0) == 0xE0) ? 2 : 3;
			if (continuation < expected) {
				return i;
			}
		}
		return length;
	}

	/**
	 * Whether bytes are well-formed UTF-8 (no overlongs, no surrogates, at most
	 * U+10FFFF).
	 * @param bytes the bytes
	 * @param from the first index
	 * @param to the index after the last
	 * @return true if valid
	 */
	static boolean isValidUtf8(byte[] bytes, int from, int to) {
		int i = from;
		while (i < to) {
			int b = bytes[i] & 0xFF;
			if (b < 0x80) {
				i++;
				continue;
			}
			int need;
			int min;
			if (b >= 0xC2 && b <= 0xDF) {
				need = 1;
				min = 0x80;
			}
			else if (b >= 0xE0 && b <= 0xEF) {
				need = 2;
				min = 0x800;
			}
			else if (b >= 0xF0 && b <= 0xF4) {
				need = 3;
				min = 0x10000;
			}
			else {
				return false;
			}
			if (i + need >= to) {
				return false;
			}
			int cp = b & (0x3F >> need);
			for (int k = 1; k <= need; k++) {
				int c = bytes[i + k] & 0xFF;
				if ((c & 0xC0) != 0x80) {
					return false;
				}
				cp = (cp << 6) | (c & 0x3F);
			}
			if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
				return false;
			}
			i += need + 1;
		}
		return true;
	}

	/**
	 * One line.
	 *
	 * @param number the 1-based line number
	 * @param text the decoded text, without the line end and a leading byte-order mark;
	 * invalid bytes replaced by U+FFFD
	 * @param raw the line's bytes without its line end, at most the cap
	 * @param rawLength the full length in bytes of the line without its line end
	 * @param truncated whether the line was longer than the cap (then {@code raw} and
	 * {@code text} hold only its start)
	 * @param malformed whether the kept bytes are not valid UTF-8
	 */
	public record Line(long number, String text, byte[] raw, long rawLength, boolean truncated, boolean malformed) {

		/** Whether the line can be parsed as it is: complete and valid UTF-8. */
		public boolean clean() {
			return !this.truncated && !this.malformed;
		}

	}

}
