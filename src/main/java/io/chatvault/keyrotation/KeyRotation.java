package io.chatvault.keyrotation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.crypto.KeyEncryptionKeys;
import io.chatvault.crypto.WrappedKey;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a key-rotation run does: adds a key-encryption key version once per run (the run's
 * row remembers it, so a restart does not add another), re-wraps data keys (by the chunk
 * step, {@link #rewrap}), and retires the versions older than the new one that no live
 * data key uses. A version added by a run that crashed before it recorded it is unused,
 * so the next run retires it.
 */
public class KeyRotation {

	static final String ACTOR = "job:key-rotation";

	private final JdbcTemplate jdbc;

	private final KeyEncryptionKeys keks;

	private final AuditLog audit;

	private final Clock clock;

	public KeyRotation(JdbcTemplate jdbc, KeyEncryptionKeys keks, AuditLog audit, Clock clock) {
		this.jdbc = jdbc;
		this.keks = keks;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Adds the run's new version, unless it has one already.
	 * @return the run's new version
	 */
	int newVersion(long instance, String quarter) {
		Optional<Integer> recorded = recorded(instance);
		if (recorded.isPresent()) {
			return recorded.get();
		}
		int previous = this.keks.currentVersion();
		Instant now = this.clock.instant();
		seen(previous, now, "first seen");
		this.jdbc.update(
				"INSERT INTO key_rotation_run (job_instance_id, quarter, previous_version, started_at) "
						+ "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
				instance, quarter, previous, Timestamp.from(now));
		int next = this.keks.rotate();
		this.jdbc.update(
				"INSERT INTO key_kek_version (version, description, created_at, created_by) VALUES (?, ?, ?, ?) "
						+ "ON CONFLICT (version) DO NOTHING",
				next, this.keks.description(), Timestamp.from(now), ACTOR);
		this.jdbc.update("UPDATE key_rotation_run SET new_version = ? WHERE job_instance_id = ?", next, instance);
		this.audit.append(AuditEvent.of(ACTOR, "key.rotate", "kek:" + next,
				Map.of("quarter", quarter, "previous", previous, "keys", this.keks.description())));
		return next;
	}

	/** Records a version made outside a run (the first, created by the first write). */
	void seen(int version, Instant now, String by) {
		this.jdbc.update(
				"INSERT INTO key_kek_version (version, description, created_at, created_by) VALUES (?, ?, ?, ?) "
						+ "ON CONFLICT (version) DO NOTHING",
				version, this.keks.description(), Timestamp.from(now), by);
	}

	Optional<Integer> recorded(long instance) {
		return this.jdbc
			.queryForList(
					"SELECT new_version FROM key_rotation_run WHERE job_instance_id = ? AND new_version IS NOT NULL",
					Integer.class, instance)
			.stream()
			.findFirst();
	}

	/**
	 * Re-wraps one chunk of data keys with the current version, each only if it is still
	 * live and wrapped as read.
	 * @return how many were re-wrapped
	 */
	int rewrap(long instance, List<DataKeyRow> rows) {
		List<Object[]> updates = new ArrayList<>(rows.size());
		for (DataKeyRow row : rows) {
			byte[] material = this.keks.unwrap(new WrappedKey(row.kekVersion(), row.wrapped()));
			WrappedKey rewrapped = this.keks.wrap(material);
			java.util.Arrays.fill(material, (byte) 0);
			updates.add(new Object[] { rewrapped.kekVersion(), rewrapped.bytes(), row.id(), row.kekVersion() });
		}
		int[] counts = this.jdbc.batchUpdate("UPDATE vault_data_key SET kek_version = ?, wrapped_key = ?, "
				+ "rewrapped_at = now() WHERE id = ? AND kek_version = ? AND destroyed_at IS NULL", updates);
		int done = 0;
		for (int count : counts) {
			done += Math.max(count, 0);
		}
		this.jdbc.update("UPDATE key_rotation_run SET keys_rewrapped = keys_rewrapped + ? WHERE job_instance_id = ?",
				done, instance);
		return done;
	}

	/**
	 * Retires every version older than the run's that no live data key uses.
	 * @return the versions retired
	 */
	List<Integer> retireUnused(long instance, int newVersion) {
		List<Integer> retired = new ArrayList<>();
		for (int version : this.keks.versions()) {
			if (version >= newVersion) {
				continue;
			}
			long live = this.jdbc.queryForObject(
					"SELECT count(*) FROM vault_data_key WHERE kek_version = ? AND destroyed_at IS NULL", Long.class,
					version);
			if (live == 0) {
				this.keks.retire(version);
				Instant now = this.clock.instant();
				seen(version, now, "first seen");
				this.jdbc.update("UPDATE key_kek_version SET retired_at = ? WHERE version = ?", Timestamp.from(now),
						version);
				this.audit.append(AuditEvent.of(ACTOR, "key.retire", "kek:" + version, Map.of("run", instance)));
				retired.add(version);
			}
		}
		this.jdbc.update(
				"UPDATE key_rotation_run SET versions_retired = versions_retired || ?::integer[], "
						+ "completed_at = ? WHERE job_instance_id = ?",
				retired.toArray(Integer[]::new), Timestamp.from(this.clock.instant()), instance);
		return retired;
	}

	String summary(long instance) {
		return this.jdbc.queryForObject(
				"SELECT previous_version, new_version, keys_rewrapped, versions_retired "
						+ "FROM key_rotation_run WHERE job_instance_id = ?",
				(rs, row) -> "key-encryption key version " + rs.getInt(2) + " (was " + rs.getInt(1) + "): "
						+ rs.getLong(3) + " data key(s) re-wrapped; " + "retired: "
						+ java.util.Arrays.toString((Integer[]) rs.getArray(4).getArray()),
				instance);
	}

	/**
	 * The key figures of {@code chatvault status}: the current version, its age, and the
	 * live data keys by version.
	 */
	Map<String, Object> figures() {
		Map<String, Object> figures = new LinkedHashMap<>();
		boolean anyKey = this.jdbc.queryForObject(
				"SELECT EXISTS (SELECT 1 FROM vault_data_key) OR EXISTS (SELECT 1 FROM key_kek_version)",
				Boolean.class);
		// No key yet: do not create a keystore just to show the status.
		List<Integer> versions = anyKey ? this.keks.versions() : List.of();
		if (versions.isEmpty()) {
			figures.put("kekVersion", "none yet");
			return figures;
		}
		int current = versions.get(versions.size() - 1);
		Instant now = this.clock.instant();
		seen(current, now, "first seen");
		Instant created = this.jdbc
			.queryForObject("SELECT created_at FROM key_kek_version WHERE version = ?", Timestamp.class, current)
			.toInstant();
		figures.put("kekVersion", current);
		figures.put("kekCreated", created.toString());
		figures.put("kekAgeDays", Duration.between(created, now).toDays());
		Map<String, Object> byVersion = new LinkedHashMap<>();
		this.jdbc.query("SELECT kek_version, count(*) FROM vault_data_key WHERE destroyed_at IS NULL "
				+ "GROUP BY kek_version ORDER BY kek_version", (rs) -> {
					byVersion.put(String.valueOf(rs.getInt(1)), rs.getLong(2));
				});
		figures.put("dataKeysByKekVersion", byVersion);
		figures.put("dataKeysDestroyed", this.jdbc
			.queryForObject("SELECT count(*) FROM vault_data_key WHERE destroyed_at IS NOT NULL", Long.class));
		return figures;
	}

	/** One live data key as the rewrap step reads it. */
	record DataKeyRow(long id, int kekVersion, byte[] wrapped) {
	}

}
