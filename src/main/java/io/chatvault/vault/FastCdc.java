package io.chatvault.vault;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Content-defined chunking with FastCDC (Xia et al., USENIX ATC 2016): a gear rolling
 * hash over the bytes, a cut where the hash's masked bits are zero, with normalized
 * chunking (a harder mask before the average size, an easier one after it) so that chunk
 * sizes gather around the average. Since cuts depend on the content alone, the same bytes
 * are cut the same way wherever they sit in a file: a later export of a chat, which
 * repeats the earlier history and adds to it, yields the earlier chunks again, and only
 * the chunks around what changed are new.
 *
 * <p>
 * The gear table and the masks are derived from fixed constants and are part of the vault
 * format: changing them would not break reading, but would stop new files from sharing
 * chunks with those stored before.
 */
final class FastCdc {

	/** Chunk sizes for originals (chat text, JSON): 16 KiB to 256 KiB, 64 KiB average. */
	static final FastCdc ORIGINALS = new FastCdc(16 << 10, 64 << 10, 256 << 10);

	/** Chunk sizes for media: 256 KiB to 4 MiB, 1 MiB average. */
	static final FastCdc MEDIA = new FastCdc(256 << 10, 1 << 20, 4 << 20);

	private static final long[] GEAR = new long[256];

	static {
		SplittableRandom random = new SplittableRandom(0x43_56_43_44_43_32_30_32L); // "CVCDC202"
		for (int i = 0; i < GEAR.length; i++) {
			GEAR[i] = random.nextLong();
		}
	}

	private final int min;

	private final int average;

	private final int max;

	private final long maskHard;

	private final long maskEasy;

	/**
	 * A chunker.
	 * @param min the smallest chunk (except the last of a file)
	 * @param average the size chunks gather around; a power of two
	 * @param max the largest chunk
	 */
	FastCdc(int min, int average, int max) {
		if (Integer.bitCount(average) != 1 || min <= 0 || min >= average || max <= average) {
			throw new IllegalArgumentException("need 0 < min < average (a power of two) < max");
		}
		this.min = min;
		this.average = average;
		this.max = max;
		int bits = Integer.numberOfTrailingZeros(average);
		// Normalization level 2: two more mask bits before the average, two fewer after.
		this.maskHard = mask(bits + 2);
		this.maskEasy = mask(bits - 2);
	}

	int min() {
		return this.min;
	}

	int average() {
		return this.average;
	}

	int max() {
		return this.max;
	}

	/**
	 * A mask of {@code ones} bits spread over the upper 48 bits: with the gear hash
	 * shifted left once per byte, bit {@code k} depends on the last {@code k + 1} bytes,
	 * so high bits make every cut depend on a window of dozens of bytes.
	 */
	private static long mask(int ones) {
		long mask = 0;
		for (int i = 0; i < ones; i++) {
			mask |= 1L << (63 - (i * 48) / ones);
		}
		return mask;
	}

	/**
	 * The length of the first chunk of {@code data[from, to)}.
	 * @param data the bytes
	 * @param from the chunk's start
	 * @param to the end of the available bytes
	 * @return the chunk's length: at most {@code max}, and the whole rest when it is no
	 * longer than {@code min}
	 */
	int cut(byte[] data, int from, int to) {
		int length = to - from;
		if (length <= this.min) {
			return length;
		}
		int end = from + Math.min(length, this.max);
		int normal = from + Math.min(length, this.average);
		long hash = 0;
		int i = from + this.min;
		for (; i < normal; i++) {
			hash = (hash << 1) + GEAR[data[i] & 0xFF];
			if ((hash & this.maskHard) == 0) {
				return i + 1 - from;
			}
		}
		for (; i < end; i++) {
			hash = (hash << 1) + GEAR[data[i] & 0xFF];
			if ((hash & this.maskEasy) == 0) {
				return i + 1 - from;
			}
		}
		return end - from;
	}

	/**
	 * Cuts a stream into chunks, holding at most twice the largest chunk.
	 * @param in the bytes; not closed
	 * @return the chunks in order
	 */
	Chunks chunks(InputStream in) {
		return new Chunks(in);
	}

	/** The chunks of one stream, read on demand. */
	final class Chunks {

		private final InputStream in;

		private final byte[] buffer = new byte[2 * FastCdc.this.max];

		private int start;

		private int limit;

		private boolean eof;

		private long offset;

		private Chunks(InputStream in) {
			this.in = in;
		}

		/**
		 * The next chunk.
		 * @return its bytes (a copy), or {@code null} at the end of the stream
		 * @throws IOException if the stream cannot be read
		 */
		byte[] next() throws IOException {
			if (this.limit - this.start < FastCdc.this.max && !this.eof) {
				System.arraycopy(this.buffer, this.start, this.buffer, 0, this.limit - this.start);
				this.limit -= this.start;
				this.start = 0;
				while (this.limit < this.buffer.length) {
					int n = this.in.read(this.buffer, this.limit, this.buffer.length - this.limit);
					if (n < 0) {
						this.eof = true;
						break;
					}
					this.limit += n;
				}
			}
			if (this.start == this.limit) {
				return null;
			}
			int length = cut(this.buffer, this.start, this.limit);
			byte[] chunk = Arrays.copyOfRange(this.buffer, this.start, this.start + length);
			this.start += length;
			this.offset += length;
			return chunk;
		}

		/** Bytes handed out so far. */
		long offset() {
			return this.offset;
		}

	}

}
