package io.chatvault.vault;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;

/**
 * Rows in PostgreSQL's binary {@code COPY} format, for the columns the index writes per
 * record. Binary, not text, because PostgreSQL parses a text {@code bigint[]} of search
 * tokens digit by digit: a record's ~35 tokens cost its backend about 5.6 µs more as text
 * (measured, docs/BENCHMARKS.md "Migration"), and the JVM formats them besides.
 */
final class BinaryCopy {

	private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

	private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

	private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

	private static final byte[] SIGNATURE = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0 };

	/** {@code int8}'s type oid: a binary array names the type of its elements. */
	private static final int INT8_OID = 20;

	/** PostgreSQL's epoch, 2000-01-01T00:00:00Z, in seconds of the Unix epoch. */
	private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

	private byte[] buffer;

	private int size;

	private boolean finished;

	/**
	 * Starts the data of one {@code COPY ... FROM STDIN (FORMAT binary)}.
	 * @param expectedBytes a guess of the size, to spare regrowing
	 */
	BinaryCopy(int expectedBytes) {
		this.buffer = new byte[Math.max(expectedBytes, 64)];
		System.arraycopy(SIGNATURE, 0, this.buffer, 0, SIGNATURE.length);
		this.size = SIGNATURE.length;
		putInt(0); // flags
		putInt(0); // header extension length
	}

	/** Starts a row of {@code fields} columns. */
	BinaryCopy row(int fields) {
		ensure(2);
		SHORT.set(this.buffer, this.size, (short) fields);
		this.size += 2;
		return this;
	}

	BinaryCopy int8(long value) {
		putInt(8);
		putLong(value);
		return this;
	}

	BinaryCopy int4(int value) {
		putInt(4);
		putInt(value);
		return this;
	}

	/**
	 * A {@code smallint}.
	 * @throws IllegalArgumentException if the value does not fit (as PostgreSQL would
	 * refuse it in text)
	 */
	BinaryCopy int2(int value) {
		if (value != (short) value) {
			throw new IllegalArgumentException(value + " is out of range for a smallint");
		}
		putInt(2);
		ensure(2);
		SHORT.set(this.buffer, this.size, (short) value);
		this.size += 2;
		return this;
	}

	/**
	 * A {@code timestamptz}: microseconds since 2000-01-01 UTC, rounded as PostgreSQL
	 * rounds the fraction of a text timestamp (the nearest microsecond, by {@code rint}
	 * of the fraction as a double), so that both forms store the same value.
	 */
	BinaryCopy timestamptz(Instant instant) {
		int nanos = instant.getNano();
		long micros = nanos / 1000;
		if (nanos % 1000 != 0) {
			micros = (long) Math.rint(Double.parseDouble("0." + String.format("%09d", nanos)) * 1_000_000);
		}
		return int8((instant.getEpochSecond() - POSTGRES_EPOCH_SECONDS) * 1_000_000 + micros);
	}

	/** A {@code bytea} given as lowercase hex (as ids and hashes are checked to be). */
	BinaryCopy byteaHex(String hex) {
		int length = hex.length() / 2;
		putInt(length);
		ensure(length);
		for (int i = 0; i < length; i++) {
			this.buffer[this.size++] = (byte) ((nibble(hex.charAt(2 * i)) << 4) | nibble(hex.charAt(2 * i + 1)));
		}
		return this;
	}

	/** A one-dimensional {@code bigint[]}, or NULL for a null array. */
	BinaryCopy int8Array(long[] values) {
		if (values == null) {
			putInt(-1);
			return this;
		}
		boolean empty = values.length == 0;
		putInt(empty ? 12 : 20 + 12 * values.length);
		putInt(empty ? 0 : 1); // dimensions
		putInt(0); // no nulls
		putInt(INT8_OID);
		if (!empty) {
			putInt(values.length);
			putInt(1); // lower bound
			ensure(12 * values.length);
			for (long value : values) {
				INT.set(this.buffer, this.size, 8);
				LONG.set(this.buffer, this.size + 4, value);
				this.size += 12;
			}
		}
		return this;
	}

	/**
	 * Ends the data; called again, gives the same bytes again (to send them a second
	 * time).
	 * @return the bytes to send
	 */
	InputStream finish() {
		if (!this.finished) {
			ensure(2);
			SHORT.set(this.buffer, this.size, (short) -1);
			this.size += 2;
			this.finished = true;
		}
		return new ByteArrayInputStream(this.buffer, 0, this.size);
	}

	private static int nibble(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		throw new IllegalArgumentException("not a lowercase hex digit: '" + c + "'");
	}

	private void putInt(int value) {
		ensure(4);
		INT.set(this.buffer, this.size, value);
		this.size += 4;
	}

	private void putLong(long value) {
		ensure(8);
		LONG.set(this.buffer, this.size, value);
		this.size += 8;
	}

	private void ensure(int more) {
		if (this.size + more > this.buffer.length) {
			this.buffer = Arrays.copyOf(this.buffer, Math.max(this.buffer.length * 2, this.size + more));
		}
	}

}
