package io.chatvault.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A window's figures, summed up from its tallies: the reconciliation per source, the
 * latencies, the late arrivals and the messages per minute and per account. A source the
 * group does not use is absent (null), not zero.
 *
 * @param inboxDeliveries deliveries drained, or null when there is no inbox
 * @param inbox records read from the inbox, or null when there is no inbox
 * @param polled records polled, or null when the group has no polled accounts
 * @param dropped records read from dropped exports, or null when the group has no drop
 * folder
 * @param droppedFiles files completely imported, or null with {@code dropped}
 * @param archived newly archived
 * @param duplicates already in the archive
 * @param quarantined kept in quarantine
 * @param perSource read, archived, duplicates, quarantined of each source that read
 * anything
 * @param lateArrivals late arrivals, or null when there is no inbox
 * @param lateMaxLagMillis the longest lag of a late arrival, or null when none
 * @param latencies the latency measures that had samples
 * @param perMinute messages by the minute they were sent (epoch minute)
 * @param perAccount messages by account key
 */
record WindowFigures(Long inboxDeliveries, Long inbox, Long polled, Long dropped, Long droppedFiles, long archived,
		long duplicates, long quarantined, Map<SyncSource, long[]> perSource, Long lateArrivals, Long lateMaxLagMillis,
		List<Latency> latencies, Map<Long, Long> perMinute, Map<String, Long> perAccount) {

	/** Measures of latency. */
	static final String SENT_TO_CAPTURED = "sent_to_captured";

	static final String CAPTURED_TO_ARCHIVED = "captured_to_archived";

	/**
	 * One latency measure.
	 *
	 * @param measure {@value #SENT_TO_CAPTURED} or {@value #CAPTURED_TO_ARCHIVED}
	 * @param samples records measured
	 * @param p50 milliseconds
	 * @param p95 milliseconds
	 * @param max milliseconds
	 */
	record Latency(String measure, long samples, long p50, long p95, long max) {
	}

	long read() {
		return orZero(this.inbox) + orZero(this.polled) + orZero(this.dropped);
	}

	long records() {
		return this.archived + this.duplicates + this.quarantined;
	}

	boolean balanced() {
		return read() == records();
	}

	Optional<Latency> latency(String measure) {
		return this.latencies.stream().filter((latency) -> latency.measure().equals(measure)).findFirst();
	}

	static long orZero(Long value) {
		return (value != null) ? value : 0;
	}

	/**
	 * Sums up tallies.
	 * @param tally the window's counters
	 * @param hasInbox whether an inbox is there
	 * @param hasPolls whether the group has polled accounts
	 * @param hasDropFolder whether the group has a drop folder
	 * @return the figures
	 */
	static WindowFigures of(Map<String, Long> tally, boolean hasInbox, boolean hasPolls, boolean hasDropFolder) {
		Map<SyncSource, long[]> perSource = new java.util.EnumMap<>(SyncSource.class);
		long archived = 0;
		long duplicates = 0;
		long quarantined = 0;
		long polled = 0;
		for (SyncSource source : SyncSource.values()) {
			long[] figures = new long[] { get(tally, "read." + source.key()), get(tally, "archived." + source.key()),
					get(tally, "duplicates." + source.key()), get(tally, "quarantined." + source.key()) };
			archived += figures[1];
			duplicates += figures[2];
			quarantined += figures[3];
			if (source.polled()) {
				polled += figures[0];
			}
			if (figures[0] > 0) {
				perSource.put(source, figures);
			}
		}
		Map<Long, Long> perMinute = new HashMap<>();
		Map<String, Long> perAccount = new HashMap<>();
		Map<String, Map<Integer, Long>> buckets = new HashMap<>();
		for (Map.Entry<String, Long> entry : tally.entrySet()) {
			String name = entry.getKey();
			if (name.startsWith("minute.")) {
				perMinute.put(Long.parseLong(name.substring(7)), entry.getValue());
			}
			else if (name.startsWith("account.")) {
				perAccount.put(name.substring(8), entry.getValue());
			}
			else if (name.matches("(sc|ca)\\.b\\d+")) {
				buckets.computeIfAbsent(name.substring(0, 2), (key) -> new HashMap<>())
					.put(Integer.parseInt(name.substring(4)), entry.getValue());
			}
		}
		List<Latency> latencies = new ArrayList<>();
		latency(latencies, SENT_TO_CAPTURED, buckets.get("sc"), get(tally, "max.sc"));
		latency(latencies, CAPTURED_TO_ARCHIVED, buckets.get("ca"), get(tally, "max.ca"));
		Long late = hasInbox ? get(tally, "late.count") : null;
		return new WindowFigures(hasInbox ? get(tally, "deliveries.inbox") : null,
				hasInbox ? get(tally, "read.inbox") : null, hasPolls ? polled : null,
				hasDropFolder ? get(tally, "read.drop") : null, hasDropFolder ? get(tally, "files.drop") : null,
				archived, duplicates, quarantined, perSource, late,
				(late != null && late > 0) ? get(tally, "max.late") : null, latencies, perMinute, perAccount);
	}

	private static void latency(List<Latency> latencies, String measure, Map<Integer, Long> buckets, long max) {
		if (buckets == null) {
			return;
		}
		long samples = buckets.values().stream().mapToLong(Long::longValue).sum();
		LatencyHistogram.percentile(buckets, 50, max)
			.ifPresent((p50) -> latencies.add(new Latency(measure, samples, p50,
					LatencyHistogram.percentile(buckets, 95, max).orElse(max), max)));
	}

	private static long get(Map<String, Long> tally, String name) {
		return tally.getOrDefault(name, 0L);
	}

	/** A duration for people: 850 ms, 12.4 s, 3m05s, 2h10m. */
	static String human(long millis) {
		if (millis < 1000) {
			return millis + " ms";
		}
		if (millis < 60_000) {
			return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		Duration duration = Duration.ofMillis(millis);
		if (millis < 3_600_000) {
			return String.format(java.util.Locale.ROOT, "%dm%02ds", duration.toMinutes(), duration.toSecondsPart());
		}
		return String.format(java.util.Locale.ROOT, "%dh%02dm", duration.toHours(), duration.toMinutesPart());
	}

}
