package io.chatvault.source.whatsapp;

import java.nio.charset.StandardCharsets;

/**
 * Recognises the header that starts every message of a WhatsApp export ("[20.06.19,
 * 15:58:47] ", "1/23/23, 3:19 AM - ", "09/12/2012 17:02:35: ") directly on the UTF-8
 * bytes of a line, without a regular expression: this runs once per input line, twice per
 * file, and is what the parse rate depends on. Most continuation lines are rejected by
 * the first byte.
 *
 * <p>
 * It only reads the fields; turning them into a date needs the file's date order (see
 * {@link ExportDate}). An instance keeps its scan position in fields, so each reader owns
 * one.
 */
final class HeaderScanner {

	/** Separates the header from the rest of the line. */
	enum Style {

		/** {@code [date, time] }: iOS. */
		BRACKET,

		/** {@code date, time - }: Android. */
		DASH,

		/** {@code dd/mm/yyyy HH:MM:SS: }: the 2012 legacy form. */
		LEGACY_COLON,

		/** {@code date, time:ss }: iOS without brackets. */
		BARE

	}

	/**
	 * The calendar a header's year is written in. Only an explicit mark selects another
	 * calendar than the Gregorian one: an era letter or name (Japanese), or an era
	 * abbreviation after the year as iOS writes it ({@code 3/18/2565 BE},
	 * {@code 8/15/1443
	 * AH}, {@code 12/27/1400 AP}, {@code 3/18/1944 Saka}, {@code 3/18/111 Minguo}).
	 */
	enum Calendar {

		GREGORIAN, JAPANESE, BUDDHIST, HIJRI, PERSIAN, INDIAN, MINGUO

	}

	static final int NO_MERIDIEM = 0;

	static final int AM = 1;

	static final int PM = 2;

	private static final byte[][] ERA_NAMES = { utf8("明治"), utf8("大正"), utf8("昭和"), utf8("平成"), utf8("令和") };

	private static final int[] ERA_KANJI_BASE = { 1867, 1911, 1925, 1988, 2018 };

	private static final String ERA_LETTERS = "MTSHR";

	private static final byte[] KLO = utf8("klo");

	/** Era abbreviations written after the year, and the calendar each stands for. */
	private static final byte[][] ERA_SUFFIXES = { utf8("BE"), utf8("AH"), utf8("هـ"), utf8("AP"), utf8("Saka"),
			utf8("Minguo") };

	private static final Calendar[] ERA_SUFFIX_CALENDARS = { Calendar.BUDDHIST, Calendar.HIJRI, Calendar.HIJRI,
			Calendar.PERSIAN, Calendar.INDIAN, Calendar.MINGUO };

	private static final byte[][] PRE_TIME_MARKERS = { utf8("上午"), utf8("下午"), utf8("午前"), utf8("午後"), utf8("오전"),
			utf8("오후") };

	private static final byte[] ARABIC_AM = utf8("ص");

	private static final byte[] ARABIC_PM = utf8("م");

	// Scan results, valid after scan() returned true.

	int first;

	int firstDigits;

	int second;

	int third;

	int thirdDigits;

	/** The Gregorian year of era year 0 (Japanese era), or 0 when no era was given. */
	int eraBase;

	/** Whether the Japanese era stands before the first field ({@code R5/12/15}). */
	boolean eraFirst;

	Calendar calendar;

	/** Whether the time came before the date ({@code [14:56:01, 3/18/22]}). */
	boolean timeFirst;

	int hour;

	int minute;

	/** Seconds, or -1 when the header has none. */
	int secondOfMinute;

	int meridiem;

	Style style;

	/** Offset of the first byte after the header. */
	int restStart;

	private int pos;

	private int value;

	private int digits;

	/**
	 * Scans a line for a message header.
	 * @param b the bytes
	 * @param from the line's first byte
	 * @param to the end of the line (exclusive, without the line terminator)
	 * @return whether the line starts with a well-formed header; the fields are then set
	 */
	boolean scan(byte[] b, int from, int to) {
		this.pos = from;
		skipIgnorable(b, to);
		if (this.pos >= to) {
			return false;
		}
		int c = b[this.pos] & 0xFF;
		// Fast reject: a header starts with '[', a digit (ASCII, or the lead byte of a
		// native digit: Arabic-Indic, Persian, N'Ko, or three-byte scripts such as
		// Devanagari, Bengali and Thai), an era letter or an era name.
		if (c != '[' && !(c >= '0' && c <= '9') && c != 0xD9 && c != 0xDB && c != 0xDF && ERA_LETTERS.indexOf(c) < 0
				&& c < 0xE0) {
			return false;
		}
		boolean bracket = false;
		if (c == '[') {
			bracket = true;
			this.pos++;
			skipIgnorable(b, to);
		}
		int start = this.pos;
		this.timeFirst = false;
		boolean fields = date(b, to) && dateTimeSeparator(b, to) && time(b, to);
		if (!fields) {
			// Locales that write the time first: "[14:56:01, 3/18/22]"
			this.pos = start;
			fields = time(b, to) && dateTimeSeparator(b, to) && date(b, to);
			this.timeFirst = fields;
		}
		return fields && terminator(b, to, bracket) && validTime();
	}

	private boolean date(byte[] b, int to) {
		this.eraBase = 0;
		this.eraFirst = false;
		this.calendar = Calendar.GREGORIAN;
		era(b, to);
		this.eraFirst = this.eraBase > 0;
		if (!number(b, to, 4)) {
			return false;
		}
		this.first = this.value;
		this.firstDigits = this.digits;
		skipIgnorable(b, to);
		if (this.pos >= to) {
			return false;
		}
		byte separator = b[this.pos];
		if (separator != '/' && separator != '.' && separator != '-') {
			return false;
		}
		this.pos++;
		skipOneSpace(b, to);
		skipIgnorable(b, to);
		if (!number(b, to, 2)) {
			return false;
		}
		this.second = this.value;
		skipIgnorable(b, to);
		if (this.pos >= to || b[this.pos] != separator) {
			return false;
		}
		this.pos++;
		skipOneSpace(b, to);
		skipIgnorable(b, to);
		if (!this.eraFirst && this.pos < to) {
			// "3/18/R4": the Japanese era before the year, in the last field
			era(b, to);
			if (this.eraBase > 0 && !this.eraFirst) {
				if (!number(b, to, 2)) {
					return false;
				}
				this.third = this.value;
				this.thirdDigits = this.digits;
				this.calendar = Calendar.JAPANESE;
				return this.firstDigits <= 2;
			}
		}
		if (!number(b, to, 4)) {
			return false;
		}
		this.third = this.value;
		this.thirdDigits = this.digits;
		if (this.eraBase > 0) {
			this.calendar = Calendar.JAPANESE;
		}
		else if (this.thirdDigits >= 3) {
			eraSuffix(b, to);
		}
		boolean minguo = this.calendar == Calendar.MINGUO;
		if (this.firstDigits == 3 || (this.thirdDigits == 3 && !minguo)
				|| (this.firstDigits > 2 && this.thirdDigits > 2)) {
			return false;
		}
		// "2020. 3. 12." (a trailing dot after the last field)
		if (separator == '.' && this.pos < to && b[this.pos] == '.') {
			this.pos++;
		}
		return true;
	}

	/** An era abbreviation after the year ("2565 BE"), which selects the calendar. */
	private void eraSuffix(byte[] b, int to) {
		int p = this.pos;
		int space = (p < to) ? spaceLength(b, p, to) : 0;
		if (space == 0) {
			return;
		}
		p += space;
		for (int i = 0; i < ERA_SUFFIXES.length; i++) {
			byte[] suffix = ERA_SUFFIXES[i];
			int end = p + suffix.length;
			if (startsWith(b, p, to, suffix) && (end >= to || !isAsciiLetter(b[end]))) {
				this.calendar = ERA_SUFFIX_CALENDARS[i];
				this.pos = end;
				return;
			}
		}
	}

	private void era(byte[] b, int to) {
		if (this.pos >= to) {
			return;
		}
		int c = b[this.pos] & 0xFF;
		int letter = ERA_LETTERS.indexOf(c);
		if (letter >= 0 && c != 0) {
			if (this.pos + 1 < to && isAsciiDigit(b[this.pos + 1])) {
				this.eraBase = ERA_KANJI_BASE[letter];
				this.pos++;
			}
			return;
		}
		for (int i = 0; i < ERA_NAMES.length; i++) {
			if (startsWith(b, this.pos, to, ERA_NAMES[i])) {
				this.eraBase = ERA_KANJI_BASE[i];
				this.pos += ERA_NAMES[i].length;
				return;
			}
		}
	}

	private boolean dateTimeSeparator(byte[] b, int to) {
		int start = this.pos;
		skipIgnorable(b, to);
		if (this.pos < to && b[this.pos] == ',') {
			this.pos++;
		}
		else if (startsWith(b, this.pos, to, (byte) 0xD8, (byte) 0x8C)) {
			// Arabic comma
			this.pos += 2;
		}
		skipSpaces(b, to);
		skipIgnorable(b, to);
		if (startsWith(b, this.pos, to, KLO)) {
			this.pos += KLO.length;
			skipSpaces(b, to);
		}
		return this.pos > start;
	}

	private boolean time(byte[] b, int to) {
		this.meridiem = NO_MERIDIEM;
		preTimeMarker(b, to);
		skipIgnorable(b, to);
		if (!number(b, to, 2)) {
			return false;
		}
		this.hour = this.value;
		if (this.pos >= to || (b[this.pos] != ':' && b[this.pos] != '.')) {
			return false;
		}
		this.pos++;
		if (!number(b, to, 2) || this.digits != 2) {
			return false;
		}
		this.minute = this.value;
		this.secondOfMinute = -1;
		if (this.pos + 2 < to && (b[this.pos] == ':' || b[this.pos] == '.') && digitAt(b, this.pos + 1, to) >= 0) {
			this.pos++;
			if (!number(b, to, 2) || this.digits != 2) {
				return false;
			}
			this.secondOfMinute = this.value;
		}
		if (this.meridiem == NO_MERIDIEM) {
			postTimeMarker(b, to);
		}
		return true;
	}

	private void preTimeMarker(byte[] b, int to) {
		for (int i = 0; i < PRE_TIME_MARKERS.length; i++) {
			if (startsWith(b, this.pos, to, PRE_TIME_MARKERS[i])) {
				this.meridiem = (i % 2 == 0) ? AM : PM;
				this.pos += PRE_TIME_MARKERS[i].length;
				skipSpaces(b, to);
				return;
			}
		}
	}

	private void postTimeMarker(byte[] b, int to) {
		int start = this.pos;
		skipSpaces(b, to);
		if (this.pos < to && b[this.pos] == '_') {
			this.pos++;
		}
		if (this.pos >= to) {
			this.pos = start;
			return;
		}
		int c = b[this.pos] | 0x20;
		if (c == 'a' || c == 'p') {
			int p = this.pos + 1;
			if (p < to && b[p] == '.') {
				p++;
			}
			int spaces = spaceLength(b, p, to);
			p += spaces;
			if (p < to && (b[p] | 0x20) == 'm') {
				p++;
				if (p < to && b[p] == '.') {
					p++;
				}
				if (p >= to || !isAsciiLetter(b[p])) {
					this.meridiem = (c == 'a') ? AM : PM;
					this.pos = p;
					return;
				}
			}
		}
		else if (startsWith(b, this.pos, to, ARABIC_AM) || startsWith(b, this.pos, to, ARABIC_PM)) {
			this.meridiem = startsWith(b, this.pos, to, ARABIC_AM) ? AM : PM;
			this.pos += 2;
			return;
		}
		this.pos = start;
	}

	private boolean terminator(byte[] b, int to, boolean bracket) {
		skipIgnorable(b, to);
		if (bracket) {
			if (this.pos >= to || b[this.pos] != ']') {
				return false;
			}
			this.pos++;
			skipOneSpace(b, to);
			this.style = Style.BRACKET;
		}
		else if (this.pos < to && b[this.pos] == ':') {
			this.pos++;
			if (this.pos < to && spaceLength(b, this.pos, to) == 0) {
				return false;
			}
			skipOneSpace(b, to);
			this.style = Style.LEGACY_COLON;
		}
		else {
			int space = spaceLength(b, this.pos, to);
			if (space == 0) {
				return false;
			}
			int p = this.pos + space;
			int dash = dashLength(b, p, to);
			if (dash > 0) {
				p += dash;
				if (p < to && spaceLength(b, p, to) == 0) {
					return false;
				}
				this.pos = p;
				skipOneSpace(b, to);
				this.style = Style.DASH;
			}
			else if (this.secondOfMinute >= 0) {
				this.pos = p;
				this.style = Style.BARE;
			}
			else {
				return false;
			}
		}
		this.restStart = this.pos;
		return true;
	}

	private boolean validTime() {
		if (this.minute > 59 || this.secondOfMinute > 59) {
			return false;
		}
		if (this.meridiem == NO_MERIDIEM) {
			return this.hour <= 23;
		}
		// "00:08 a. m." occurs in real exports: 00 with a marker means hour 0.
		return this.hour <= 12;
	}

	/** The hour of day, 0-23, with the AM/PM marker applied. */
	int hourOfDay() {
		if (this.meridiem == AM) {
			return (this.hour == 12) ? 0 : this.hour;
		}
		if (this.meridiem == PM) {
			return (this.hour == 12) ? 12 : this.hour + 12;
		}
		return this.hour;
	}

	private boolean number(byte[] b, int to, int maxDigits) {
		int result = 0;
		int count = 0;
		if (this.pos < to && isAsciiDigit(b[this.pos])) {
			// The common case, without the native digit tests.
			while (this.pos < to && isAsciiDigit(b[this.pos])) {
				if (++count > maxDigits) {
					return false;
				}
				result = result * 10 + (b[this.pos++] - '0');
			}
			this.value = result;
			this.digits = count;
			return true;
		}
		int packed;
		while (this.pos < to && (packed = digitAt(b, this.pos, to)) >= 0) {
			if (++count > maxDigits) {
				return false;
			}
			result = result * 10 + (packed >> 3);
			this.pos += packed & 7;
		}
		this.value = result;
		this.digits = count;
		return count > 0;
	}

	/**
	 * The decimal digit at {@code p} in any script Unicode gives decimal digits (ASCII,
	 * Arabic-Indic, Persian, N'Ko, Devanagari, Bengali, Gurmukhi, Gujarati, Tamil,
	 * Telugu, Kannada, Malayalam, Thai, Lao, Tibetan, Myanmar, Khmer, full-width...),
	 * packed as {@code value << 3 | byteLength}; -1 when there is none.
	 */
	static int digitAt(byte[] b, int p, int to) {
		int c = b[p] & 0xFF;
		if (c >= '0' && c <= '9') {
			return ((c - '0') << 3) | 1;
		}
		int cp;
		int length;
		if (c >= 0xC2 && c <= 0xDF && p + 1 < to && (b[p + 1] & 0xC0) == 0x80) {
			cp = ((c & 0x1F) << 6) | (b[p + 1] & 0x3F);
			length = 2;
		}
		else if (c >= 0xE0 && c <= 0xEF && p + 2 < to && (b[p + 1] & 0xC0) == 0x80 && (b[p + 2] & 0xC0) == 0x80) {
			cp = ((c & 0x0F) << 12) | ((b[p + 1] & 0x3F) << 6) | (b[p + 2] & 0x3F);
			length = 3;
		}
		else {
			return -1;
		}
		if (Character.getType(cp) != Character.DECIMAL_DIGIT_NUMBER) {
			return -1;
		}
		return (Character.digit(cp, 10) << 3) | length;
	}

	private void skipIgnorable(byte[] b, int to) {
		int n;
		while (this.pos < to && (n = ignorableLength(b, this.pos, to)) > 0) {
			this.pos += n;
		}
	}

	private void skipSpaces(byte[] b, int to) {
		int n;
		while (this.pos < to && (n = spaceLength(b, this.pos, to)) > 0) {
			this.pos += n;
		}
	}

	private void skipOneSpace(byte[] b, int to) {
		if (this.pos < to) {
			this.pos += spaceLength(b, this.pos, to);
		}
	}

	/**
	 * The length of a byte-order mark or bidi control at {@code p}: U+FEFF, U+200E,
	 * U+200F, U+202A-202E, U+2066-2069, U+061C; else 0.
	 */
	static int ignorableLength(byte[] b, int p, int to) {
		int c = b[p] & 0xFF;
		if (c == 0xE2 && p + 2 < to) {
			int c1 = b[p + 1] & 0xFF;
			int c2 = b[p + 2] & 0xFF;
			if (c1 == 0x80 && (c2 == 0x8E || c2 == 0x8F || (c2 >= 0xAA && c2 <= 0xAE))) {
				return 3;
			}
			if (c1 == 0x81 && c2 >= 0xA6 && c2 <= 0xA9) {
				return 3;
			}
		}
		else if (c == 0xEF && p + 2 < to && (b[p + 1] & 0xFF) == 0xBB && (b[p + 2] & 0xFF) == 0xBF) {
			return 3;
		}
		else if (c == 0xD8 && p + 1 < to && (b[p + 1] & 0xFF) == 0x9C) {
			return 2;
		}
		return 0;
	}

	/** The length of a space at {@code p}: U+0020, U+00A0, U+202F, U+2009; else 0. */
	static int spaceLength(byte[] b, int p, int to) {
		int c = b[p] & 0xFF;
		if (c == ' ') {
			return 1;
		}
		if (c == 0xC2 && p + 1 < to && (b[p + 1] & 0xFF) == 0xA0) {
			return 2;
		}
		if (c == 0xE2 && p + 2 < to && (b[p + 1] & 0xFF) == 0x80
				&& ((b[p + 2] & 0xFF) == 0xAF || (b[p + 2] & 0xFF) == 0x89)) {
			return 3;
		}
		return 0;
	}

	/** The length of '-', an en dash or an em dash at {@code p}; else 0. */
	private static int dashLength(byte[] b, int p, int to) {
		if (p >= to) {
			return 0;
		}
		if (b[p] == '-') {
			return 1;
		}
		if ((b[p] & 0xFF) == 0xE2 && p + 2 < to && (b[p + 1] & 0xFF) == 0x80
				&& ((b[p + 2] & 0xFF) == 0x93 || (b[p + 2] & 0xFF) == 0x94)) {
			return 3;
		}
		return 0;
	}

	private static boolean isAsciiDigit(byte c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isAsciiLetter(byte c) {
		int l = c | 0x20;
		return l >= 'a' && l <= 'z';
	}

	static boolean startsWith(byte[] b, int p, int to, byte... prefix) {
		if (to - p < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if (b[p + i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	private static byte[] utf8(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

}
