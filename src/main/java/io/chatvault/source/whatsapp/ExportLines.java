package io.chatvault.source.whatsapp;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines with bounded memory, handing each line out as a slice
 * of an internal buffer (valid until the next call of {@link #next()}). Lines end at LF,
 * CR LF or a lone CR (old Mac exports, and files whose endings were mixed by an editor or
 * a transfer): a file with CR-only endings has as many lines as one with LF endings, so
 * that its messages are never merged into one. The terminator of each line is kept
 * ({@link #terminator()}), so the raw bytes of a message can be rebuilt exactly. A line
 * longer than {@link #LINE_CAP} is handed out truncated to that cap, with its full
 * length: a 2 GB line costs 1 MiB.
 *
 * <p>
 * Lines are counted like {@code wc -l}, plus one for a last line without a terminator, so
 * that every byte of the input belongs to exactly one counted line.
 */
final class ExportLines implements Closeable {

	/** The longest line kept whole. */
	static final int LINE_CAP = 1 << 20;

	/** {@link #terminator()} of the last line of an input without a final line end. */
	static final int NONE = 0;

	/** {@link #terminator()} of a line ending in LF. */
	static final int LF = 1;

	/** {@link #terminator()} of a line ending in CR LF. */
	static final int CRLF = 2;

	/** {@link #terminator()} of a line ending in a lone CR. */
	static final int CR = 3;

	private static final int INITIAL_BUFFER = 1 << 16;

	private final InputStream in;

	private byte[] buffer = new byte[INITIAL_BUFFER];

	private int start;

	private int limit;

	/** The input offset of {@code buffer[0]}. */
	private long base;

	private boolean eof;

	private byte[] overlong;

	// The current line.

	private byte[] lineBytes;

	private int lineOffset;

	private int lineLength;

	private long fullLength;

	private int terminator;

	private long lineNumber;

	private long lineStart;

	ExportLines(InputStream in) {
		this.in = in;
	}

	/**
	 * Advances to the next line.
	 * @return false at the end of the input
	 * @throws IOException if the input cannot be read
	 */
	boolean next() throws IOException {
		int searchFrom = this.start;
		while (true) {
			int end = indexOfLineEnd(this.buffer, searchFrom, this.limit);
			if (end >= 0 && this.buffer[end] == '\r' && end + 1 == this.limit && !this.eof) {
				// A CR at the end of what was read: whether an LF follows is not known
				// yet.
				end = -1;
				searchFrom = this.limit - 1;
			}
			else {
				searchFrom = this.limit;
			}
			if (end >= 0) {
				int terminator = (this.buffer[end] == '\n') ? LF
						: (end + 1 < this.limit && this.buffer[end + 1] == '\n') ? CRLF : CR;
				setLine(this.buffer, this.start, end, terminator);
				this.start = end + ((terminator == CRLF) ? 2 : 1);
				return true;
			}
			if (this.eof) {
				if (this.start < this.limit) {
					setLine(this.buffer, this.start, this.limit, NONE);
					this.start = this.limit;
					return true;
				}
				return false;
			}
			if (this.start > 0) {
				System.arraycopy(this.buffer, this.start, this.buffer, 0, this.limit - this.start);
				searchFrom -= this.start;
				this.limit -= this.start;
				this.base += this.start;
				this.start = 0;
			}
			if (this.limit == this.buffer.length) {
				if (this.buffer.length < LINE_CAP + 2) {
					byte[] larger = new byte[Math.min(this.buffer.length * 2, LINE_CAP + 2)];
					System.arraycopy(this.buffer, 0, larger, 0, this.limit);
					this.buffer = larger;
				}
				else {
					readOverlongLine();
					return true;
				}
			}
			fill();
		}
	}

	private void fill() throws IOException {
		int n = this.in.read(this.buffer, this.limit, this.buffer.length - this.limit);
		if (n < 0) {
			this.eof = true;
		}
		else {
			this.limit += n;
		}
	}

	/**
	 * The buffer is full without a line end (but perhaps a CR as its last byte): keep the
	 * first LINE_CAP bytes, count the rest.
	 */
	private void readOverlongLine() throws IOException {
		if (this.overlong == null) {
			this.overlong = new byte[LINE_CAP];
		}
		System.arraycopy(this.buffer, 0, this.overlong, 0, LINE_CAP);
		this.lineStart = this.base;
		long length = this.limit;
		boolean pendingCr = this.buffer[this.limit - 1] == '\r';
		if (pendingCr) {
			length--;
		}
		this.base += this.limit;
		this.start = 0;
		this.limit = 0;
		int terminator = NONE;
		while (true) {
			fill();
			if (pendingCr) {
				boolean crlf = !this.eof && this.buffer[0] == '\n';
				terminator = crlf ? CRLF : CR;
				this.start = crlf ? 1 : 0;
				break;
			}
			if (this.eof) {
				break;
			}
			int end = indexOfLineEnd(this.buffer, 0, this.limit);
			if (end < 0) {
				length += this.limit;
				this.base += this.limit;
				this.limit = 0;
				continue;
			}
			length += end;
			if (this.buffer[end] == '\n') {
				terminator = LF;
				this.start = end + 1;
				break;
			}
			if (end + 1 < this.limit) {
				terminator = (this.buffer[end + 1] == '\n') ? CRLF : CR;
				this.start = end + ((terminator == CRLF) ? 2 : 1);
				break;
			}
			// A CR as the last byte read: the next byte says whether it ends the line
			// alone.
			pendingCr = true;
			this.base += this.limit;
			this.limit = 0;
		}
		this.lineBytes = this.overlong;
		this.lineOffset = 0;
		this.lineLength = LINE_CAP;
		this.fullLength = length;
		this.terminator = terminator;
		this.lineNumber++;
	}

	private void setLine(byte[] bytes, int from, int end, int terminator) {
		this.lineStart = this.base + from;
		this.lineBytes = bytes;
		this.lineOffset = from;
		this.lineLength = end - from;
		this.fullLength = this.lineLength;
		this.terminator = terminator;
		this.lineNumber++;
	}

	/** The first CR or LF in the range, or -1. */
	private static int indexOfLineEnd(byte[] bytes, int from, int to) {
		for (int i = from; i < to; i++) {
			byte b = bytes[i];
			if (b == '\n' || b == '\r') {
				return i;
			}
		}
		return -1;
	}

	byte[] bytes() {
		return this.lineBytes;
	}

	int offset() {
		return this.lineOffset;
	}

	/** The number of bytes of the line available in {@link #bytes()}. */
	int length() {
		return this.lineLength;
	}

	/** The length of the line in the input, without its terminator. */
	long fullLength() {
		return this.fullLength;
	}

	boolean truncated() {
		return this.fullLength > this.lineLength;
	}

	/**
	 * How the current line ends: {@link #NONE}, {@link #LF}, {@link #CRLF} or
	 * {@link #CR}.
	 */
	int terminator() {
		return this.terminator;
	}

	/** The number of bytes of the current line's terminator: 0, 1 or 2. */
	int terminatorLength() {
		return terminatorLength(this.terminator);
	}

	static int terminatorLength(int terminator) {
		return switch (terminator) {
			case NONE -> 0;
			case CRLF -> 2;
			default -> 1;
		};
	}

	/** The input offset of the current line's first byte. */
	long lineStart() {
		return this.lineStart;
	}

	/** The 1-based number of the current line. */
	long lineNumber() {
		return this.lineNumber;
	}

	@Override
	public void close() throws IOException {
		this.in.close();
	}

}
