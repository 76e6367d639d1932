package io.chatvault.sync;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The running figures of a window ({@code sync_window_tally}): counters added in the
 * transaction of each chunk, so that they count exactly what was committed, whatever
 * crashed and restarted in between. Counters named {@code max.*} keep the largest value
 * instead of a sum. The window's report reads them at its end.
 */
@Repository
class WindowTallies {

	private static final String UPSERT = """
			INSERT INTO sync_window_tally (group_name, window_end, name, value) VALUES (?, ?, ?, ?)
			ON CONFLICT (group_name, window_end, name) DO UPDATE SET value = CASE
				WHEN sync_window_tally.name LIKE 'max.%' THEN greatest(sync_window_tally.value, excluded.value)
				ELSE sync_window_tally.value + excluded.value END
			""";

	private final JdbcTemplate jdbc;

	WindowTallies(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Adds counters, in the caller's transaction.
	 * @param group the group
	 * @param windowEnd the window
	 * @param deltas counter name to amount (or, for {@code max.*}, candidate maximum)
	 */
	void add(String group, Instant windowEnd, Map<String, Long> deltas) {
		if (deltas.isEmpty()) {
			return;
		}
		Timestamp end = Timestamp.from(windowEnd);
		List<Object[]> rows = new ArrayList<>(deltas.size());
		// Sorted, so that concurrent writers of one window lock rows in one order.
		deltas.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.forEach((entry) -> rows.add(new Object[] { group, end, entry.getKey(), entry.getValue() }));
		this.jdbc.batchUpdate(UPSERT, rows);
	}

	/** Every counter of a window. */
	Map<String, Long> read(String group, Instant windowEnd) {
		Map<String, Long> tally = new HashMap<>();
		this.jdbc.query("SELECT name, value FROM sync_window_tally WHERE group_name = ? AND window_end = ?", (rs) -> {
			tally.put(rs.getString(1), rs.getLong(2));
		}, group, Timestamp.from(windowEnd));
		return tally;
	}

}
