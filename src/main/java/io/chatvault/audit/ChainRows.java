package io.chatvault.audit;

import java.util.List;
import java.util.function.Predicate;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads {@code audit_entry} in chain order by keyset pages, so that a chain of any length
 * is walked in constant memory.
 */
final class ChainRows {

	static final int PAGE = 5_000;

	private final JdbcTemplate jdbc;

	ChainRows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Rows with a sequence in a range, in order.
	 * @param from the first sequence
	 * @param to the last sequence
	 * @return the rows present
	 */
	List<ChainRow> between(long from, long to) {
		return this.jdbc.query(
				"SELECT " + ChainRow.COLUMNS + " FROM audit_entry WHERE sequence BETWEEN ? AND ? ORDER BY sequence",
				ChainRow::map, from, to);
	}

	/**
	 * Walks the rows after a sequence in order, page by page, until the visitor says
	 * stop.
	 * @param after the sequence to start after
	 * @param visitor returns false to stop
	 */
	void walk(long after, Predicate<ChainRow> visitor) {
		long cursor = after;
		while (true) {
			List<ChainRow> page = this.jdbc.query(
					"SELECT " + ChainRow.COLUMNS + " FROM audit_entry WHERE sequence > ? ORDER BY sequence LIMIT ?",
					ChainRow::map, cursor, PAGE);
			for (ChainRow row : page) {
				if (!visitor.test(row)) {
					return;
				}
				cursor = row.sequence();
			}
			if (page.size() < PAGE) {
				return;
			}
		}
	}

	/** The highest sequence stored, 0 when the log is empty. */
	long lastSequence() {
		Long last = this.jdbc.queryForObject("SELECT max(sequence) FROM audit_entry", Long.class);
		return (last != null) ? last : 0;
	}

}
