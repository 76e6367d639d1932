package io.chatvault.source.whatsapp;

import java.time.DateTimeException;
import java.time.chrono.HijrahChronology;
import java.time.chrono.MinguoChronology;

import io.chatvault.source.DateOrder;

/**
 * Turns the three date fields of a header into a calendar date, given the file's date
 * order. The fields themselves cannot say whether "05/06/20" is the 5th of June or the
 * 6th of May; the order is inferred once per file ({@link DateOrderInference}).
 */
final class ExportDate {

	/**
	 * Returned by {@link #epochDay} when the fields are no valid date in either order.
	 */
	static final long INVALID = Long.MIN_VALUE;

	/**
	 * Returned by {@link #epochDay} for a four-digit year that only a Buddhist-era
	 * reading would make a plausible date (2400 to 2799, 543 years ahead of 1857 to
	 * 2256), in a header with no era marker. Such a year is never rewritten on a guess:
	 * the reader quarantines the message. A year outside that window (9999 included) is
	 * taken as written.
	 */
	static final long UNMARKED_BUDDHIST_YEAR = Long.MIN_VALUE + 1;

	private static final int FIRST_BUDDHIST_LOOKING_YEAR = 2400;

	private static final int LAST_BUDDHIST_LOOKING_YEAR = 2799;

	private ExportDate() {
	}

	/** Buddhist era years (Thai locale) run 543 years ahead of the Gregorian calendar. */
	private static final int BUDDHIST_OFFSET = 543;

	/**
	 * Whether the header's date fields are year-first whatever the file's order: a
	 * four-digit first field or a leading Japanese era.
	 */
	static boolean yearFirst(HeaderScanner h) {
		return h.eraFirst || h.firstDigits > 2;
	}

	/**
	 * The epoch day of the header's date under {@code order}; if the fields are no valid
	 * date in that order but are in the other (day-first versus month-first), that one is
	 * used and {@code swapped[0]} is set.
	 * @return the epoch day, {@link #INVALID}, or {@link #UNMARKED_BUDDHIST_YEAR}
	 */
	static long epochDay(HeaderScanner h, DateOrder order, boolean[] swapped) {
		swapped[0] = false;
		if (yearFirst(h) || order == DateOrder.YEAR_FIRST) {
			int year = h.eraFirst ? h.eraBase + h.first : year(h.first, h.firstDigits);
			if (!h.eraFirst && buddhistLooking(year)) {
				return UNMARKED_BUDDHIST_YEAR;
			}
			return epochDay(year, h.second, h.third);
		}
		HeaderScanner.Calendar calendar = h.calendar;
		int year;
		if (h.eraBase > 0) {
			year = h.eraBase + h.third;
		}
		else {
			year = (calendar == HeaderScanner.Calendar.GREGORIAN) ? year(h.third, h.thirdDigits) : h.third;
		}
		if (calendar == HeaderScanner.Calendar.GREGORIAN && buddhistLooking(year)) {
			return UNMARKED_BUDDHIST_YEAR;
		}
		boolean dayFirst = order != DateOrder.MONTH_FIRST;
		long day = dayFirst ? epochDay(calendar, year, h.second, h.first) : epochDay(calendar, year, h.first, h.second);
		if (day == INVALID) {
			day = dayFirst ? epochDay(calendar, year, h.first, h.second) : epochDay(calendar, year, h.second, h.first);
			swapped[0] = day != INVALID;
		}
		return day;
	}

	/**
	 * The epoch day of a date written in {@code calendar}. Japanese era years were
	 * already made Gregorian; the Buddhist and Minguo calendars only shift the year; the
	 * Hijri date is read in the Umm al-Qura calendar (java.time's
	 * {@link HijrahChronology}), the Persian (Solar Hijri) and Indian national (Saka)
	 * dates by their arithmetic.
	 */
	static long epochDay(HeaderScanner.Calendar calendar, int year, int month, int day) {
		return switch (calendar) {
			case GREGORIAN, JAPANESE -> epochDay(year, month, day);
			case BUDDHIST -> epochDay(year - BUDDHIST_OFFSET, month, day);
			case MINGUO -> chronology(MinguoChronology.INSTANCE, year, month, day);
			case HIJRI -> chronology(HijrahChronology.INSTANCE, year, month, day);
			case PERSIAN -> CalendarArithmetic.persian(year, month, day);
			case INDIAN -> CalendarArithmetic.indian(year, month, day);
		};
	}

	private static long chronology(java.time.chrono.Chronology chronology, int year, int month, int day) {
		try {
			return chronology.date(year, month, day).toEpochDay();
		}
		catch (DateTimeException ex) {
			return INVALID;
		}
	}

	/** A two-digit year is of this century; a longer one is taken as written. */
	private static int year(int value, int digits) {
		return (digits <= 2) ? 2000 + value : value;
	}

	static boolean buddhistLooking(int year) {
		return year >= FIRST_BUDDHIST_LOOKING_YEAR && year <= LAST_BUDDHIST_LOOKING_YEAR;
	}

	/**
	 * Why a header's year is not read: see {@link #UNMARKED_BUDDHIST_YEAR}.
	 * @param h the scanned header
	 * @return the quarantine reason
	 */
	static String unmarkedBuddhistYear(HeaderScanner h) {
		int year = (yearFirst(h) && !h.eraFirst) ? h.first : h.third;
		return "the year " + year + " is not rewritten: it is a plausible date only as a Buddhist-era year ("
				+ (year - 543) + "), which is taken only with an explicit era marker (BE) or the locale's evidence, "
				+ "and this header has neither";
	}

	static long epochDay(int year, int month, int day) {
		if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)) {
			return INVALID;
		}
		// Same algorithm as LocalDate.toEpochDay, without allocating a LocalDate per
		// line.
		long y = year;
		long m = month;
		long total = 365 * y;
		if (y >= 0) {
			total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
		}
		else {
			total -= y / -4 - y / -100 + y / -400;
		}
		total += (367 * m - 362) / 12;
		total += day - 1;
		if (m > 2) {
			total--;
			if (!isLeap(y)) {
				total--;
			}
		}
		return total - 719528L;
	}

	static int lengthOfMonth(int year, int month) {
		return switch (month) {
			case 2 -> isLeap(year) ? 29 : 28;
			case 4, 6, 9, 11 -> 30;
			default -> 31;
		};
	}

	static boolean isLeap(long year) {
		return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
	}

}
