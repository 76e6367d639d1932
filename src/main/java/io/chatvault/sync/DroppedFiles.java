package io.chatvault.sync;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The files taken from drop folders, by SHA-256 ({@code sync_dropped_file}): how many of
 * a file's records are committed, and whether it is done. A file is imported once
 * whatever its name or how often it is dropped; a crash in the middle of one resumes
 * after its last committed record.
 */
@Repository
class DroppedFiles {

	private final JdbcTemplate jdbc;

	DroppedFiles(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * What is known of a file.
	 *
	 * @param recordsDone records committed
	 * @param done whether it is completely imported
	 */
	record State(long recordsDone, boolean done) {
	}

	Optional<State> state(String sha256) {
		return this.jdbc
			.query("SELECT records_done, done_at IS NOT NULL FROM sync_dropped_file WHERE sha256 = ?",
					(rs, row) -> new State(rs.getLong(1), rs.getBoolean(2)), sha256)
			.stream()
			.findFirst();
	}

	/** Records a file's progress, in the caller's transaction. */
	void progress(String group, Instant windowEnd, long jobExecutionId, Acknowledgement.DroppedFile file, Instant now) {
		this.jdbc.update("""
				INSERT INTO sync_dropped_file (sha256, group_name, custodian, file_name, format, size_bytes,
					records_done, first_window_end, job_execution_id, done_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (sha256) DO UPDATE SET records_done = excluded.records_done,
					job_execution_id = excluded.job_execution_id, done_at = excluded.done_at
				""", file.sha256(), group, file.custodian(), file.file().getFileName().toString(), file.format(),
				file.size(), file.recordsDone(), Timestamp.from(windowEnd), jobExecutionId,
				file.done() ? Timestamp.from(now) : null);
	}

}
