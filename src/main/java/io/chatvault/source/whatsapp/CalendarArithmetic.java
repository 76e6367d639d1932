package io.chatvault.source.whatsapp;

/**
 * Dates of the calendars iOS offers that java.time has no chronology for, as epoch days.
 */
final class CalendarArithmetic {

	/**
	 * The years in which the 2820-year approximation of the Persian calendar breaks, as
	 * published with the jalaali algorithm (Borkowski); valid for the years -61 to 3177.
	 */
	private static final int[] PERSIAN_BREAKS = { -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060,
			2097, 2192, 2262, 2324, 2394, 2456, 3178 };

	private CalendarArithmetic() {
	}

	/**
	 * The epoch day of a Persian (Solar Hijri) date: year 1 Farvardin falls on the March
	 * equinox; months 1-6 have 31 days, 7-11 have 30, the 12th 29 or 30 in a leap year.
	 * @return the epoch day, or {@link ExportDate#INVALID}
	 */
	static long persian(int year, int month, int day) {
		if (year < PERSIAN_BREAKS[0] || year >= PERSIAN_BREAKS[PERSIAN_BREAKS.length - 1] || month < 1 || month > 12
				|| day < 1) {
			return ExportDate.INVALID;
		}
		int gregorianYear = year + 621;
		int leapPersian = -14;
		int previousBreak = PERSIAN_BREAKS[0];
		int jump = 0;
		for (int i = 1; i < PERSIAN_BREAKS.length; i++) {
			int nextBreak = PERSIAN_BREAKS[i];
			jump = nextBreak - previousBreak;
			if (year < nextBreak) {
				break;
			}
			leapPersian += jump / 33 * 8 + (jump % 33) / 4;
			previousBreak = nextBreak;
		}
		int n = year - previousBreak;
		leapPersian += n / 33 * 8 + ((n % 33) + 3) / 4;
		if (jump % 33 == 4 && jump - n == 4) {
			leapPersian++;
		}
		int leapGregorian = gregorianYear / 4 - (gregorianYear / 100 + 1) * 3 / 4 - 150;
		int march = 20 + leapPersian - leapGregorian;
		if (jump - n < 6) {
			n = n - jump + (jump + 4) / 33 * 33;
		}
		int leap = ((n + 1) % 33 - 1) % 4;
		if (leap == -1) {
			leap = 4;
		}
		int length = (month <= 6) ? 31 : (month <= 11) ? 30 : (leap == 0) ? 30 : 29;
		if (day > length) {
			return ExportDate.INVALID;
		}
		long newYear = ExportDate.epochDay(gregorianYear, 3, march);
		return newYear + (month - 1) * 31 - (month / 7) * (month - 7) + day - 1;
	}

	/**
	 * The epoch day of a date of the Indian national calendar (Saka era): 1 Chaitra is 22
	 * March (21 March in a Gregorian leap year) of Saka year + 78; Chaitra has 30 days
	 * (31 in a leap year), the next five months 31, the last six 30.
	 * @return the epoch day, or {@link ExportDate#INVALID}
	 */
	static long indian(int year, int month, int day) {
		if (month < 1 || month > 12 || day < 1) {
			return ExportDate.INVALID;
		}
		int gregorianYear = year + 78;
		boolean leap = ExportDate.isLeap(gregorianYear);
		int length = (month == 1) ? (leap ? 31 : 30) : (month <= 6) ? 31 : 30;
		if (day > length) {
			return ExportDate.INVALID;
		}
		long day0 = ExportDate.epochDay(gregorianYear, 3, leap ? 21 : 22);
		int before = 0;
		for (int m = 1; m < month; m++) {
			before += (m == 1) ? (leap ? 31 : 30) : (m <= 6) ? 31 : 30;
		}
		return day0 + before + day - 1;
	}

}
