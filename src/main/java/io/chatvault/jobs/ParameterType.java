package io.chatvault.jobs;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a job parameter in the catalogue: how its value is written and checked,
 * and, for the periods, how it is derived from "now" when the operator or the schedule
 * leaves it out. Periods are UTC, written the ISO way: {@code day=2025-03-01},
 * {@code week=2025-W09}, {@code month=2025-03}, {@code quarter=2025-Q1},
 * {@code half=2025-H1}, {@code hour=2025-03-01T10}, {@code window-end} an instant
 * ({@code 2025-03-01T10:15:00Z}).
 */
public enum ParameterType {

	/** Any text. */
	STRING("string", "text"),

	/** A file or directory. */
	PATH("path", "a file or directory"),

	/** A whole number. */
	INTEGER("integer", "a whole number"),

	/** An IANA time zone. */
	ZONE("zone", "an IANA zone such as Europe/Berlin"),

	/** A day, {@code YYYY-MM-DD}. */
	DAY("day", "a day YYYY-MM-DD"),

	/** An ISO week, {@code YYYY-Www}. */
	WEEK("week", "an ISO week YYYY-Www"),

	/** A month, {@code YYYY-MM}. */
	MONTH("month", "a month YYYY-MM"),

	/** A quarter, {@code YYYY-Qn}. */
	QUARTER("quarter", "a quarter YYYY-Qn"),

	/** A half year, {@code YYYY-Hn}. */
	HALF("half", "a half year YYYY-Hn"),

	/** An hour in UTC, {@code YYYY-MM-DDTHH}. */
	HOUR("hour", "an hour YYYY-MM-DDTHH (UTC)"),

	/** The end of a window of the schedule's cadence, an instant. */
	WINDOW_END("window-end", "an instant such as 2025-03-01T10:15:00Z");

	private static final Pattern WEEK_PATTERN = Pattern.compile("([0-9]{4})-W([0-9]{2})");

	private static final Pattern QUARTER_PATTERN = Pattern.compile("([0-9]{4})-Q([1-4])");

	private static final Pattern HALF_PATTERN = Pattern.compile("([0-9]{4})-H([12])");

	private static final DateTimeFormatter HOUR_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH", Locale.ROOT);

	private final String key;

	private final String expected;

	ParameterType(String key, String expected) {
		this.key = key;
		this.expected = expected;
	}

	/** The name in the catalogue files. */
	public String key() {
		return this.key;
	}

	/** What a value looks like, for error messages. */
	public String expected() {
		return this.expected;
	}

	/** Whether a value can be derived from "now": the periods and window ends. */
	public boolean isPeriod() {
		return ordinal() >= DAY.ordinal();
	}

	/**
	 * The type named in a catalogue file.
	 * @param key the name
	 * @return the type
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static ParameterType of(String key) {
		for (ParameterType type : values()) {
			if (type.key.equals(key)) {
				return type;
			}
		}
		throw new IllegalArgumentException("unknown type '" + key + "' (one of string, path, integer, zone, day, "
				+ "week, month, quarter, half, hour, window-end)");
	}

	/**
	 * Checks a value.
	 * @param value the value as typed
	 * @return whether it is a valid value of this type
	 */
	public boolean accepts(String value) {
		if (value.isEmpty()) {
			return false;
		}
		try {
			switch (this) {
				case PATH -> Path.of(value);
				case INTEGER -> Long.parseLong(value);
				case ZONE -> ZoneId.of(value);
				case DAY -> LocalDate.parse(value);
				case WEEK -> {
					return week(value);
				}
				case MONTH -> YearMonth.parse(value);
				case QUARTER -> {
					return QUARTER_PATTERN.matcher(value).matches();
				}
				case HALF -> {
					return HALF_PATTERN.matcher(value).matches();
				}
				case HOUR -> LocalDateTime.parse(value, HOUR_FORMAT);
				case WINDOW_END -> Instant.parse(value);
				default -> {
					// any text
				}
			}
			return true;
		}
		catch (NumberFormatException | DateTimeException | InvalidPathException ex) {
			return false;
		}
	}

	/**
	 * The period that contains {@code now}, or the one before it.
	 * @param now the current instant
	 * @param cadence the schedule's cadence, for window ends
	 * @param previous the period before the current one (a report on the month that has
	 * just ended)
	 * @return the value
	 * @throws IllegalStateException for a type that is not a period, or a window end
	 * without a window cadence
	 */
	public String derive(Instant now, Cadence cadence, boolean previous) {
		LocalDateTime utc = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
		int back = previous ? 1 : 0;
		return switch (this) {
			case DAY -> utc.toLocalDate().minusDays(back).toString();
			case WEEK -> {
				LocalDate day = utc.toLocalDate().minusWeeks(back);
				yield String.format(Locale.ROOT, "%04d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR),
						day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
			}
			case MONTH -> YearMonth.from(utc).minusMonths(back).toString();
			case QUARTER -> {
				LocalDate day = utc.toLocalDate().minusMonths(3L * back);
				yield day.getYear() + "-Q" + day.get(IsoFields.QUARTER_OF_YEAR);
			}
			case HALF -> {
				LocalDate day = utc.toLocalDate().minusMonths(6L * back);
				yield day.getYear() + "-H" + ((day.getMonthValue() <= 6) ? 1 : 2);
			}
			case HOUR -> utc.truncatedTo(ChronoUnit.HOURS).minusHours(back).format(HOUR_FORMAT);
			case WINDOW_END -> {
				Instant end = cadence.windowEnd(now);
				yield (previous ? end.minus(cadence.window().orElseThrow()) : end).toString();
			}
			default -> throw new IllegalStateException(this.key + " parameters are not derived from the clock");
		};
	}

	private static boolean week(String value) {
		Matcher matcher = WEEK_PATTERN.matcher(value);
		if (!matcher.matches()) {
			return false;
		}
		int year = Integer.parseInt(matcher.group(1));
		int week = Integer.parseInt(matcher.group(2));
		// 28 December is always in the last ISO week of its year.
		long weeks = LocalDate.of(year, 12, 28).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
		return week >= 1 && week <= weeks;
	}

}
