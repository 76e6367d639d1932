package io.chatvault.sync;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * How far each poll of each group has come ({@code sync_watermark}): a Slack ts, an
 * instant, a Graph delta link. Advanced in the transaction of the chunk that archived
 * what it covers, so a crash before the commit polls the same range again (the vault
 * counts the replay as duplicates) and a crash after it never polls it twice.
 */
@Repository
class Watermarks {

	private final JdbcTemplate jdbc;

	Watermarks(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	Optional<String> position(String group, String source) {
		return this.jdbc
			.queryForList("SELECT position FROM sync_watermark WHERE group_name = ? AND source = ?", String.class,
					group, source)
			.stream()
			.findFirst();
	}

	/** Sets a watermark, in the caller's transaction. */
	void advance(String group, String source, String position, Instant windowEnd, long jobExecutionId) {
		this.jdbc.update("""
				INSERT INTO sync_watermark (group_name, source, position, window_end, job_execution_id, updated_at)
				VALUES (?, ?, ?, ?, ?, now())
				ON CONFLICT (group_name, source) DO UPDATE SET position = excluded.position,
					window_end = excluded.window_end, job_execution_id = excluded.job_execution_id, updated_at = now()
				""", group, source, position, Timestamp.from(windowEnd), jobExecutionId);
	}

}
