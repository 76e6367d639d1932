package io.chatvault.report;

import java.time.LocalDate;
import java.util.Optional;

/**
 * One day of the charts: records archived, and the capture latency measured by the sync
 * windows that ended that day (empty when none was measured).
 *
 * @param day the day
 * @param records records archived with a sent time on that day
 * @param latencyP50 sample-weighted p50 of the day's windows, in milliseconds
 * @param latencyP95 the highest p95 of the day's windows
 */
public record DailyFigures(LocalDate day, long records, Optional<Long> latencyP50, Optional<Long> latencyP95) {

}
