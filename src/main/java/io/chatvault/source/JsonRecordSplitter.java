package io.chatvault.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * Splits a JSON input into its records as raw bytes, streaming, with bounded memory: the
 * elements of a top-level array (a Slack day file, a Teams export), or the top-level
 * values one after another (a single object, JSON lines, concatenated bodies).
 *
 * <p>
 * It only tracks nesting and strings, so it never fails on bad JSON: a broken element
 * still ends at the next comma or line of its level and comes out as its own record with
 * its exact bytes, for the parser to quarantine while the following records are read as
 * usual. Records longer than the cap keep only their start ({@link Record#truncated()}).
 */
public final class JsonRecordSplitter implements Closeable {

	/** The default cap on one record: 64 MiB. */
	public static final int DEFAULT_MAX_RECORD_BYTES = 64 << 20;

	private final InputStream in;

	private final int maxRecordBytes;

	private final byte[] buffer = new byte[64 * 1024];

	private int position;

	private int limit;

	private long offset;

	private boolean started;

	private boolean arrayMode;

	private boolean arrayClosed;

	private long number;

	/**
	 * Creates a splitter with the default cap.
	 * @param in the input, closed by {@link #close()}
	 */
	public JsonRecordSplitter(InputStream in) {
		this(in, DEFAULT_MAX_RECORD_BYTES);
	}

	/**
	 * Creates a splitter.
	 * @param in the input, closed by {@link #close()}
	 * @param maxRecordBytes the most bytes kept of one record
	 */
	public JsonRecordSplitter(InputStream in, int maxRecordBytes) {
		this.in = in;
		this.maxRecordBytes = maxRecordBytes;
	}

	/**
	 * Whether the input is a top-level array (known after the first {@link #next()}).
	 * @return true for an array
	 */
	public boolean arrayMode() {
		return this.arrayMode;
	}

	/**
	 * Reads the next record.
	 * @return the record, or empty at the end of the input
	 * @throws IOException if the input cannot be read
	 */
	public Optional<Record> next() throws IOException {
		if (!this.started) {
			this.started = true;
			skipByteOrderMark();
			int first = peekNonWhitespace();
			if (first == '[') {
				this.arrayMode = true;
				this.position++;
				this.offset++;
			}
		}
		while (true) {
			int first = peekNonWhitespace();
			if (first < 0) {
				return Optional.empty();
			}
			if (this.arrayMode && !this.arrayClosed) {
				if (first == ']') {
					consume();
					this.arrayClosed = true;
					continue;
				}
				if (first == ',') {
					// An empty element ("[a,,b]" or a trailing comma) holds no record.
					consume();
					continue;
				}
				return Optional.of(readElement(true));
			}
			return Optional.of(readElement(false));
		}
	}

	private Record readElement(boolean inArray) throws IOException {
		long start = this.offset;
		Collector bytes = new Collector(this.maxRecordBytes);
		int depth = 0;
		boolean inString = false;
		boolean escaped = false;
		boolean structured = false;
		boolean complete = false;
		int first = -1;
		while (true) {
			int b = peek();
			if (b < 0) {
				complete = !inString && depth == 0;
				break;
			}
			if (first == -1) {
				first = b;
				structured = b == '{' || b == '[' || b == '"';
			}
			if (inString) {
				consume();
				bytes.add(b);
				if (escaped) {
					escaped = false;
				}
				else if (b == '\\') {
					escaped = true;
				}
				else if (b == '"') {
					inString = false;
					if (!inArray && depth == 0) {
						complete = true;
						break;
					}
				}
				continue;
			}
			if (depth == 0 && inArray && (b == ',' || b == ']')) {
				if (b == ',') {
					consume();
				}
				complete = true;
				break;
			}
			if (depth == 0 && !inArray && !structured && b == '\n') {
				consume();
				complete = true;
				break;
			}
			consume();
			bytes.add(b);
			if (b == '"') {
				inString = true;
			}
			else if (b == '{' || b == '[') {
				depth++;
			}
			else if ((b == '}' || b == ']') && depth > 0) {
				depth--;
				if (depth == 0 && !inArray && structured) {
					complete = true;
					break;
				}
			}
		}
		this.number++;
		return new Record(this.number, bytes.trimmed(), bytes.total(), start, bytes.truncated(), complete);
	}

	private void skipByteOrderMark() throws IOException {
		if (peek() == 0xEF && this.limit - this.position >= 3 && (this.buffer[this.position + 1] & 0xFF) == 0xBB
				&& (this.buffer[this.position + 2] & 0xFF) == 0xBF) {
			this.position += 3;
			this.offset += 3;
		}
	}

	private int peekNonWhitespace() throws IOException {
		while (true) {
			int b = peek();
			if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
				return b;
			}
			consume();
		}
	}

	private int peek() throws IOException {
		if (this.position >= this.limit) {
			int n = this.in.readNBytes(this.buffer, 0, this.buffer.length);
			if (n <= 0) {
				return -1;
			}
			this.position = 0;
			this.limit = n;
		}
		return this.buffer[this.position] & 0xFF;
	}

	private void consume() {
		this.position++;
		this.offset++;
	}

	@Override
	public void close() throws IOException {
		this.in.close();
	}

	/**
	 * One record as it is in the input.
	 *
	 * @param number the 1-based record number
	 * @param raw the record's bytes, without surrounding whitespace and separators; at
	 * most the cap
	 * @param rawLength the full length of the record
	 * @param offset the byte offset of its start in the input
	 * @param truncated whether it was longer than the cap
	 * @param complete whether its nesting and strings were closed before the input ended
	 */
	public record Record(long number, byte[] raw, long rawLength, long offset, boolean truncated, boolean complete) {

		/**
		 * Why the record cannot be parsed as it stands, if the splitter can already tell.
		 */
		public Optional<String> defect() {
			if (this.truncated) {
				return Optional
					.of("record of " + this.rawLength + " bytes exceeds the limit of " + this.raw.length + " bytes");
			}
			if (!this.complete) {
				return Optional.of("the input ends inside this record");
			}
			return Optional.empty();
		}

	}

	/** Keeps at most the cap, counts everything. */
	private static final class Collector {

		private final int cap;

		private byte[] bytes = new byte[256];

		private int size;

		private long total;

		Collector(int cap) {
			this.cap = cap;
		}

		void add(int b) {
			this.total++;
			if (this.size < this.cap) {
				if (this.size == this.bytes.length) {
					this.bytes = Arrays.copyOf(this.bytes, (int) Math.min(this.cap, this.bytes.length * 2L));
				}
				this.bytes[this.size++] = (byte) b;
			}
		}

		boolean truncated() {
			return this.total > this.cap;
		}

		long total() {
			return this.total;
		}

		byte[] trimmed() {
			int end = this.size;
			while (end > 0 && (this.bytes[end - 1] == ' ' || this.bytes[end - 1] == '\n' || this.bytes[end - 1] == '\r'
					|| this.bytes[end - 1] == '\t')) {
				end--;
			}
			return Arrays.copyOf(this.bytes, end);
		}

	}

}
