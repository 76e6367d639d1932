package io.chatvault.sync;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The stored results of sync windows, which the compliance report reads
 * ({@code sync_window}, {@code sync_window_source}, {@code sync_window_latency},
 * {@code sync_account_window}, {@code sync_alert}; see docs/sync.md).
 */
@Repository
class SyncWindows {

	private final JdbcTemplate jdbc;

	SyncWindows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** The end of the group's last completed window before a window. */
	Optional<Instant> previousEnd(String group, Instant windowEnd) {
		Timestamp previous = this.jdbc.queryForObject(
				"SELECT max(window_end) FROM sync_window WHERE group_name = ? AND window_end < ?", Timestamp.class,
				group, Timestamp.from(windowEnd));
		return Optional.ofNullable(previous).map(Timestamp::toInstant);
	}

	/**
	 * Records per covered cadence of the group's last completed windows, newest first.
	 */
	List<Double> recentVolumes(String group, Instant windowEnd, int limit) {
		return this.jdbc.queryForList("""
				SELECT (archived + duplicates + quarantined)::float8 / (1 + missed_windows) FROM sync_window
				WHERE group_name = ? AND window_end < ? ORDER BY window_end DESC LIMIT ?
				""", Double.class, group, Timestamp.from(windowEnd), limit);
	}

	/** An account's messages in the windows before a window, newest first. */
	List<Long> accountHistory(String group, String account, Instant windowEnd, int limit) {
		return this.jdbc.queryForList("""
				SELECT messages FROM sync_account_window WHERE group_name = ? AND account = ? AND window_end < ?
				ORDER BY window_end DESC LIMIT ?
				""", Long.class, group, account, Timestamp.from(windowEnd), limit);
	}

	/**
	 * Stores a window's results, replacing any earlier ones of the same window (a report
	 * step that ran again).
	 */
	void save(SyncWindow window, long jobInstanceId, int missedWindows, WindowFigures figures,
			Map<String, String> accounts, List<Alert> alerts, Instant completedAt) {
		String group = window.groupName();
		Timestamp end = Timestamp.from(window.windowEnd());
		for (String table : List.of("sync_window_source", "sync_window_latency", "sync_account_window", "sync_alert",
				"sync_window")) {
			this.jdbc.update("DELETE FROM " + table + " WHERE group_name = ? AND window_end = ?", group, end);
		}
		this.jdbc.update("""
				INSERT INTO sync_window (group_name, window_end, window_start, cadence_seconds, job_instance_id,
					job_execution_id, missed_windows, inbox_deliveries, inbox_records, polled_records, dropped_files,
					dropped_records, archived, duplicates, quarantined, late_arrivals, late_max_lag_ms, alerts,
					completed_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				""", group, end, window.start().map(Timestamp::from).orElse(null), window.group().cadence().toSeconds(),
				jobInstanceId, window.jobExecutionId(), missedWindows, figures.inboxDeliveries(), figures.inbox(),
				figures.polled(), figures.droppedFiles(), figures.dropped(), figures.archived(), figures.duplicates(),
				figures.quarantined(), figures.lateArrivals(), figures.lateMaxLagMillis(), alerts.size(),
				Timestamp.from(completedAt));
		figures.perSource().forEach((source, f) -> this.jdbc.update("""
				INSERT INTO sync_window_source (group_name, window_end, source, read_count, archived, duplicates,
					quarantined) VALUES (?, ?, ?, ?, ?, ?, ?)
				""", group, end, source.key(), f[0], f[1], f[2], f[3]));
		for (WindowFigures.Latency latency : figures.latencies()) {
			this.jdbc.update("""
					INSERT INTO sync_window_latency (group_name, window_end, measure, samples, p50_ms, p95_ms, max_ms)
					VALUES (?, ?, ?, ?, ?, ?, ?)
					""", group, end, latency.measure(), latency.samples(), latency.p50(), latency.p95(), latency.max());
		}
		accounts.forEach((account, custodian) -> this.jdbc.update("""
				INSERT INTO sync_account_window (group_name, window_end, account, custodian, messages)
				VALUES (?, ?, ?, ?, ?)
				""", group, end, account, custodian, figures.perAccount().getOrDefault(account, 0L)));
		for (Alert alert : alerts) {
			this.jdbc.update(
					"INSERT INTO sync_alert (group_name, window_end, kind, account, detail) VALUES (?, ?, ?, ?, ?)",
					group, end, alert.kind(), alert.account(), alert.detail());
		}
	}

}
