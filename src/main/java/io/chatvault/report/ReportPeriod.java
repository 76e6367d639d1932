package io.chatvault.report;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period a compliance report covers: a month ({@code 2025-03}, the monthly report) or
 * an ISO week ({@code 2025-W10}, the shorter weekly one), as whole days in the report's
 * zone.
 *
 * @param kind monthly or weekly
 * @param label the identifying parameter's value
 * @param first the first day
 * @param days the number of days
 * @param zone the zone the days are counted in
 */
public record ReportPeriod(Kind kind, String label, LocalDate first, int days, ZoneId zone) {

	private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");

	/** The two kinds of report. */
	public enum Kind {

		/** A calendar month: every area, in full. */
		MONTHLY,

		/**
		 * An ISO week: the KPIs and the operational areas, without the monthly reviews.
		 */
		WEEKLY;

		/** {@code monthly} or {@code weekly}. */
		public String key() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

		/** The job parameter that names a period of this kind. */
		public String parameter() {
			return (this == MONTHLY) ? "month" : "week";
		}

	}

	/**
	 * A month.
	 * @param text {@code YYYY-MM}
	 * @param zone the report's zone
	 * @return the period
	 * @throws IllegalArgumentException for anything else
	 */
	public static ReportPeriod month(String text, ZoneId zone) {
		YearMonth month;
		try {
			month = YearMonth.parse(text, DateTimeFormatter.ofPattern("uuuu-MM"));
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("month=" + text + " is not a month in the form YYYY-MM, e.g. 2025-03");
		}
		return new ReportPeriod(Kind.MONTHLY, text, month.atDay(1), month.lengthOfMonth(), zone);
	}

	/**
	 * An ISO week.
	 * @param text {@code YYYY-Www}
	 * @param zone the report's zone
	 * @return the period
	 * @throws IllegalArgumentException for anything else
	 */
	public static ReportPeriod week(String text, ZoneId zone) {
		Matcher matcher = WEEK.matcher(text);
		LocalDate monday = null;
		if (matcher.matches()) {
			int year = Integer.parseInt(matcher.group(1));
			int week = Integer.parseInt(matcher.group(2));
			LocalDate probe = LocalDate.of(year, 6, 1);
			if (week >= 1 && week <= probe.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
				monday = probe.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week).with(DayOfWeek.MONDAY);
			}
		}
		if (monday == null) {
			throw new IllegalArgumentException(
					"week=" + text + " is not an ISO week in the form YYYY-Www, e.g. 2025-W10");
		}
		return new ReportPeriod(Kind.WEEKLY, text, monday, 7, zone);
	}

	/** The first instant of the period. */
	public Instant start() {
		return this.first.atStartOfDay(this.zone).toInstant();
	}

	/** The first instant after the period. */
	public Instant end() {
		return this.first.plusDays(this.days).atStartOfDay(this.zone).toInstant();
	}

	/** Every day of the period, in order. */
	public List<LocalDate> dates() {
		List<LocalDate> dates = new ArrayList<>(this.days);
		for (int i = 0; i < this.days; i++) {
			dates.add(this.first.plusDays(i));
		}
		return dates;
	}

	/** {@code month=2025-03} or {@code week=2025-W10}. */
	public String parameter() {
		return this.kind.parameter() + "=" + this.label;
	}

	/** How the report names its period to a reader: "March 2025", "week 2025-W10". */
	public String describe() {
		if (this.kind == Kind.MONTHLY) {
			return this.first.format(DateTimeFormatter.ofPattern("MMMM uuuu", java.util.Locale.ENGLISH));
		}
		return "week " + this.label + " (" + this.first + " to " + this.first.plusDays(6) + ")";
	}

}
