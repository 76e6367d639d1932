package io.chatvault.accessreview;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period a review covers: a month ({@code 2025-03}) or an ISO week
 * ({@code 2025-W10}), as days in the review zone ({@code chatvault.access.review-zone}).
 *
 * @param label the identifying parameter's value
 * @param start the first instant
 * @param end the first instant after it
 */
record ReviewPeriod(String label, Instant start, Instant end) {

	private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");

	static ReviewPeriod month(String text, ZoneId zone) {
		YearMonth month;
		try {
			month = YearMonth.parse(text, DateTimeFormatter.ofPattern("uuuu-MM"));
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("month=" + text + " is not a month in the form YYYY-MM, e.g. 2025-03");
		}
		return new ReviewPeriod(text, month.atDay(1).atStartOfDay(zone).toInstant(),
				month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
	}

	static ReviewPeriod week(String text, ZoneId zone) {
		Matcher matcher = WEEK.matcher(text);
		int year = matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
		int week = matcher.matches() ? Integer.parseInt(matcher.group(2)) : -1;
		LocalDate monday = null;
		if (year > 0) {
			LocalDate probe = LocalDate.of(year, 6, 1);
			if (week >= 1 && week <= probe.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
				monday = probe.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week).with(java.time.DayOfWeek.MONDAY);
			}
		}
		if (monday == null) {
			throw new IllegalArgumentException(
					"week=" + text + " is not an ISO week in the form YYYY-Www, e.g. 2025-W10");
		}
		return new ReviewPeriod(text, monday.atStartOfDay(zone).toInstant(),
				monday.plusWeeks(1).atStartOfDay(zone).toInstant());
	}

}
