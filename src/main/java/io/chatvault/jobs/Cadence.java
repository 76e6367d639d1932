package io.chatvault.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a job runs, as the catalogue names it: {@code once} (by hand), a fixed
 * interval that divides the day ({@code 15m}, {@code 6h}, {@code hourly}), or a calendar
 * period ({@code daily}, {@code weekly}, {@code monthly}, {@code quarterly},
 * {@code half-yearly}). Everything is in UTC: the schedules in {@code ops/}, and the
 * windows and periods derived from "now".
 *
 * @param text the cadence as written in the catalogue
 * @param kind which kind of cadence
 * @param interval the interval of an {@link Kind#INTERVAL} cadence, else zero
 */
public record Cadence(String text, Kind kind, Duration interval) {

	private static final Pattern INTERVAL = Pattern.compile("([0-9]{1,2})(m|h)");

	private static final Set<Integer> MINUTES = Set.of(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30);

	private static final Set<Integer> HOURS = Set.of(1, 2, 3, 4, 6, 8, 12);

	/** The kinds of cadence. */
	public enum Kind {

		/** Run by hand or once per backlog: no schedule. */
		ONCE,
		/** Every few minutes or hours, aligned to midnight UTC. */
		INTERVAL,
		/** Every day at a time of day. */
		DAILY,
		/** Every Monday at a time of day. */
		WEEKLY,
		/** On the 1st of every month. */
		MONTHLY,
		/** On the 1st of January, April, July and October. */
		QUARTERLY,
		/** On the 1st of January and July. */
		HALF_YEARLY

	}

	/**
	 * Reads a cadence.
	 * @param text as written in the catalogue
	 * @return the cadence
	 * @throws IllegalArgumentException naming what is accepted
	 */
	public static Cadence parse(String text) {
		String value = text.strip().toLowerCase(Locale.ROOT);
		Matcher interval = INTERVAL.matcher(value);
		if (interval.matches()) {
			int amount = Integer.parseInt(interval.group(1));
			boolean minutes = interval.group(2).equals("m");
			if (!(minutes ? MINUTES : HOURS).contains(amount)) {
				throw new IllegalArgumentException("cadence '" + text + "' does not divide "
						+ (minutes ? "an hour (minutes: " + MINUTES : "a day (hours: " + HOURS) + ")");
			}
			return new Cadence(value, Kind.INTERVAL, minutes ? Duration.ofMinutes(amount) : Duration.ofHours(amount));
		}
		return switch (value) {
			case "hourly" -> new Cadence(value, Kind.INTERVAL, Duration.ofHours(1));
			case "once" -> new Cadence(value, Kind.ONCE, Duration.ZERO);
			case "daily" -> new Cadence(value, Kind.DAILY, Duration.ZERO);
			case "weekly" -> new Cadence(value, Kind.WEEKLY, Duration.ZERO);
			case "monthly" -> new Cadence(value, Kind.MONTHLY, Duration.ZERO);
			case "quarterly" -> new Cadence(value, Kind.QUARTERLY, Duration.ZERO);
			case "half-yearly" -> new Cadence(value, Kind.HALF_YEARLY, Duration.ZERO);
			default -> throw new IllegalArgumentException("unknown cadence '" + text
					+ "' (once, 15m or another interval dividing an hour or a day, hourly, daily, weekly, monthly, "
					+ "quarterly, half-yearly)");
		};
	}

	/** Whether a time of day ({@code at}) applies: daily and longer cadences. */
	public boolean hasTimeOfDay() {
		return this.kind != Kind.ONCE && this.kind != Kind.INTERVAL;
	}

	/**
	 * The end of the window that has just closed: "now" rounded down to the interval
	 * (daily cadences: to midnight UTC). A scheduled start a few seconds late still names
	 * the window its schedule meant.
	 * @param now the current instant
	 * @return the window end
	 * @throws IllegalStateException for cadences without windows
	 */
	public Instant windowEnd(Instant now) {
		long seconds = switch (this.kind) {
			case INTERVAL -> this.interval.toSeconds();
			case DAILY -> Duration.ofDays(1).toSeconds();
			default -> throw new IllegalStateException("a " + this.text + " cadence has no window");
		};
		return Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), seconds) * seconds);
	}

	/**
	 * The length of one window, for {@link #windowEnd}.
	 * @return the interval, one day for daily cadences, empty for the others
	 */
	public Optional<Duration> window() {
		return switch (this.kind) {
			case INTERVAL -> Optional.of(this.interval);
			case DAILY -> Optional.of(Duration.ofDays(1));
			default -> Optional.empty();
		};
	}

	/**
	 * The schedule as a five-field cron expression (minute hour day-of-month month
	 * day-of-week), in UTC.
	 * @param at the time of day for daily and longer cadences
	 * @return the expression; empty for {@code once}
	 */
	public Optional<String> cron(LocalTime at) {
		String time = at.getMinute() + " " + at.getHour();
		return Optional.ofNullable(switch (this.kind) {
			case ONCE -> null;
			case INTERVAL -> (this.interval.toHours() == 0) ? "*/" + this.interval.toMinutes() + " * * * *"
					: (this.interval.toHours() == 1) ? "0 * * * *" : "0 */" + this.interval.toHours() + " * * *";
			case DAILY -> time + " * * *";
			case WEEKLY -> time + " * * 1";
			case MONTHLY -> time + " 1 * *";
			case QUARTERLY -> time + " 1 1,4,7,10 *";
			case HALF_YEARLY -> time + " 1 1,7 *";
		});
	}

	/**
	 * The schedule as a systemd {@code OnCalendar=} expression, in UTC.
	 * @param at the time of day for daily and longer cadences
	 * @return the expression; empty for {@code once}
	 */
	public Optional<String> onCalendar(LocalTime at) {
		String time = String.format(Locale.ROOT, "%02d:%02d:00 UTC", at.getHour(), at.getMinute());
		return Optional.ofNullable(switch (this.kind) {
			case ONCE -> null;
			case INTERVAL -> (this.interval.toHours() == 0) ? "*-*-* *:00/" + this.interval.toMinutes() + ":00 UTC"
					: "*-*-* 00/" + this.interval.toHours() + ":00:00 UTC";
			case DAILY -> "*-*-* " + time;
			case WEEKLY -> "Mon *-*-* " + time;
			case MONTHLY -> "*-*-01 " + time;
			case QUARTERLY -> "*-01,04,07,10-01 " + time;
			case HALF_YEARLY -> "*-01,07-01 " + time;
		});
	}

	/**
	 * In words, for listings: "every 15 minutes", "daily at 02:30 UTC".
	 * @param at the time of day for daily and longer cadences
	 * @return the description
	 */
	public String describe(LocalTime at) {
		String time = String.format(Locale.ROOT, " at %02d:%02d UTC", at.getHour(), at.getMinute());
		return switch (this.kind) {
			case ONCE -> "by hand";
			case INTERVAL -> (this.interval.toHours() == 0) ? "every " + this.interval.toMinutes() + " minutes"
					: (this.interval.toHours() == 1) ? "hourly" : "every " + this.interval.toHours() + " hours";
			case DAILY -> "daily" + time;
			case WEEKLY -> "Mondays" + time;
			case MONTHLY -> "monthly on the 1st" + time;
			case QUARTERLY -> "quarterly on the 1st" + time;
			case HALF_YEARLY -> "on 1 January and 1 July" + time;
		};
	}

	@Override
	public String toString() {
		return this.text;
	}

}
