package io.chatvault.message;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#toString()}, the form in which record ids and canonical records hold an
 * instant, written directly for the years 0000 to 9999: the JDK prints it through the
 * general {@code DateTimeFormatter} machinery, twice per archived record (its id and its
 * canonical form), for a few per cent of a migration's CPU. Outside those years, and
 * wherever in doubt, it is {@link Instant#toString()} itself; a test compares the two.
 */
public final class IsoInstant {

	/** 0000-01-01T00:00:00Z. */
	private static final long FIRST = -62_167_219_200L;

	/** 9999-12-31T23:59:59Z. */
	private static final long LAST = 253_402_300_799L;

	private IsoInstant() {
	}

	/**
	 * The instant as {@link Instant#toString()} writes it.
	 * @param instant the instant
	 * @return {@code yyyy-MM-ddTHH:mm:ss} with 0, 3, 6 or 9 digits of fraction, and
	 * {@code Z}
	 */
	public static String format(Instant instant) {
		long seconds = instant.getEpochSecond();
		if (seconds < FIRST || seconds > LAST) {
			return instant.toString();
		}
		LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
		int nanos = instant.getNano();
		char[] out = new char[30];
		digits(out, 0, time.getYear(), 4);
		out[4] = '-';
		digits(out, 5, time.getMonthValue(), 2);
		out[7] = '-';
		digits(out, 8, time.getDayOfMonth(), 2);
		out[10] = 'T';
		digits(out, 11, time.getHour(), 2);
		out[13] = ':';
		digits(out, 14, time.getMinute(), 2);
		out[16] = ':';
		digits(out, 17, time.getSecond(), 2);
		int length = 19;
		if (nanos > 0) {
			out[length++] = '.';
			if (nanos % 1_000_000 == 0) {
				digits(out, length, nanos / 1_000_000, 3);
				length += 3;
			}
			else if (nanos % 1_000 == 0) {
				digits(out, length, nanos / 1_000, 6);
				length += 6;
			}
			else {
				digits(out, length, nanos, 9);
				length += 9;
			}
		}
		out[length++] = 'Z';
		return new String(out, 0, length);
	}

	private static void digits(char[] out, int at, int value, int width) {
		for (int i = at + width - 1; i >= at; i--) {
			out[i] = (char) ('0' + value % 10);
			value /= 10;
		}
	}

}
