package io.chatvault.source.whatsapp;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines with bounded memory, handing each line out as a slice
 * of an internal buffer (valid until the next call of {@link #next()}). Lines end at LF;
 * a CR before the LF belongs to the terminator. A line longer than {@link #LINE_CAP} is
 * handed out truncated to that cap, with its full length: a 2 GB line costs 1 MiB.
 *
 * <p>
 * Lines are counted like {@code wc -l}, plus one for a last line without a terminator, so
 * that every byte of the input belongs to exactly one counted line.
 */
final class ExportLines implements Closeable {

	/** The longest line kept whole. */
	static final int LINE_CAP = 1 << 20;

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

	private int terminatorLength;

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
			int newline = indexOfNewline(this.buffer, searchFrom, this.limit);
			if (newline >= 0) {
				setLine(this.buffer, this.start, newline, 1);
				this.start = newline + 1;
				return true;
			}
			if (this.eof) {
				if (this.start < this.limit) {
					setLine(this.buffer, this.start, this.limit, 0);
					this.start = this.limit;
					return true;
				}
				return false;
			}
			if (this.start > 0) {
				System.arraycopy(this.buffer, this.start, this.buffer, 0, this.limit - this.start);
				this.limit -= this.start;
				this.base += this.start;
				this.start = 0;
			}
			searchFrom = this.limit;
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
	 * The buffer is full without a newline: keep the first LINE_CAP bytes, count the
	 * rest.
	 */
	private void readOverlongLine() throws IOException {
		if (this.overlong == null) {
			this.overlong = new byte[LINE_CAP];
		}
		System.arraycopy(this.buffer, 0, this.overlong, 0, LINE_CAP);
		this.lineStart = this.base;
		long length = this.limit;
		byte last = this.buffer[this.limit - 1];
		this.base += this.limit;
		this.start = 0;
		this.limit = 0;
		int terminator = 0;
		while (true) {
			fill();
			if (this.eof) {
				break;
			}
			int newline = indexOfNewline(this.buffer, 0, this.limit);
			if (newline >= 0) {
				length += newline;
				if (newline > 0) {
					last = this.buffer[newline - 1];
				}
				terminator = 1;
				this.start = newline + 1;
				break;
			}
			length += this.limit;
			last = this.buffer[this.limit - 1];
			this.base += this.limit;
			this.limit = 0;
		}
		if (terminator == 1 && last == '\r') {
			terminator = 2;
			length--;
		}
		this.lineBytes = this.overlong;
		this.lineOffset = 0;
		this.lineLength = LINE_CAP;
		this.fullLength = length;
		this.terminatorLength = terminator;
		this.lineNumber++;
	}

	private void setLine(byte[] bytes, int from, int newline, int terminator) {
		int end = newline;
		if (terminator == 1 && end > from && bytes[end - 1] == '\r') {
			end--;
			terminator = 2;
		}
		this.lineStart = this.base + from;
		this.lineBytes = bytes;
		this.lineOffset = from;
		this.lineLength = end - from;
		this.fullLength = this.lineLength;
		this.terminatorLength = terminator;
		this.lineNumber++;
	}

	private static int indexOfNewline(byte[] bytes, int from, int to) {
		for (int i = from; i < to; i++) {
			if (bytes[i] == '\n') {
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

	/** 0 (end of input), 1 (LF) or 2 (CR LF). */
	int terminatorLength() {
		return this.terminatorLength;
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
