package io.chatvault.integrity;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Adds a chunk's checks to its partition's counts, in the chunk's transaction: a chunk
 * rolled back counts nothing, so a restarted run counts every item once.
 */
class PartCounts implements ItemWriter<ItemCheck.Checked> {

	private final JdbcTemplate jdbc;

	private final long instanceId;

	private final String part;

	private final String kind;

	PartCounts(JdbcTemplate jdbc, long instanceId, String part, String kind) {
		this.jdbc = jdbc;
		this.instanceId = instanceId;
		this.part = part;
		this.kind = kind;
	}

	@Override
	public void write(Chunk<? extends ItemCheck.Checked> chunk) {
		long records = 0;
		long verified = 0;
		long bytes = 0;
		for (ItemCheck.Checked checked : chunk) {
			records += checked.records();
			verified += checked.ok() ? 1 : 0;
			bytes += checked.bytes();
		}
		int sampled = chunk.size();
		this.jdbc.update("""
				INSERT INTO integrity_run_part AS p (job_instance_id, part, kind, sampled, records, verified, failed,
					bytes_read) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (job_instance_id, part) DO UPDATE SET sampled = p.sampled + excluded.sampled,
					records = p.records + excluded.records, verified = p.verified + excluded.verified,
					failed = p.failed + excluded.failed, bytes_read = p.bytes_read + excluded.bytes_read
				""", this.instanceId, this.part, this.kind, sampled, records, verified, sampled - verified, bytes);
	}

}
