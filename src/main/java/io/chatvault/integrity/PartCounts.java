package io.chatvault.integrity;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.chatvault.vault.VaultCatalog.ItemKind;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Adds a chunk's checks to its partition's counts, per kind of item, in the chunk's
 * transaction: a chunk rolled back counts nothing, so a restarted run counts every item
 * once. A partition of packs counts several kinds: one row per partition and kind.
 */
class PartCounts implements ItemWriter<List<ItemCheck.Checked>> {

	private final JdbcTemplate jdbc;

	private final long instanceId;

	private final String part;

	PartCounts(JdbcTemplate jdbc, long instanceId, String part) {
		this.jdbc = jdbc;
		this.instanceId = instanceId;
		this.part = part;
	}

	@Override
	public void write(Chunk<? extends List<ItemCheck.Checked>> chunk) {
		Map<ItemKind, long[]> counts = new EnumMap<>(ItemKind.class);
		for (List<ItemCheck.Checked> checks : chunk) {
			for (ItemCheck.Checked checked : checks) {
				long[] count = counts.computeIfAbsent(checked.kind(), (kind) -> new long[6]);
				count[0]++;
				count[1] += checked.records();
				count[2 + checked.status().ordinal()]++;
				count[5] += checked.bytes();
			}
		}
		counts.forEach((kind, count) -> this.jdbc.update("""
				INSERT INTO integrity_run_part AS p (job_instance_id, part, kind, sampled, records, verified, failed,
					erased, bytes_read) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (job_instance_id, part) DO UPDATE SET sampled = p.sampled + excluded.sampled,
					records = p.records + excluded.records, verified = p.verified + excluded.verified,
					failed = p.failed + excluded.failed, erased = p.erased + excluded.erased,
					bytes_read = p.bytes_read + excluded.bytes_read
				""", this.instanceId, this.part + "/" + kind.name(), kind.name(), count[0], count[1], count[2],
				count[3], count[4], count[5]));
	}

}
