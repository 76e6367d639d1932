package io.chatvault.disposition;

import java.io.ByteArrayOutputStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.message.Sha256;
import io.chatvault.retention.LegalHolds;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.RetentionViolationException;
import io.chatvault.storage.WriteOptions;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What one disposition run does, step by step, each part idempotent so that a restarted
 * run finishes what a crashed one began:
 * <ol>
 * <li>{@link #disposeRecords}: in the packs whose retain-until has passed (the cutoff:
 * the end of the run's day, or now if earlier), every record no live legal hold covers
 * leaves the index ({@code vault_message} with its keyed search tokens, its further
 * holders and attachments; the counts get a negative row) and is listed in
 * {@code retention_disposed_record};</li>
 * <li>{@link #disposeFiles}: media past retention that no record attaches any more, and
 * conversation states of conversations with no record left, leave the index;</li>
 * <li>{@link #deleteObjects}: packs past retention none of whose blocks the index still
 * names, and no live hold lists, are deleted from the store (primary and replica); one
 * the store still locks is listed {@code awaiting-lock} and tried again by the next
 * run;</li>
 * <li>{@link #certify}: the certificate (every record id, file and object with their
 * hashes) is written once to the store and its SHA-256 to the audit log.</li>
 * </ol>
 * A dry run lists what would go and changes nothing.
 */
class Disposition {

	static final String ACTOR = "job:disposition";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcTemplate jdbc;

	private final ObjectStore store;

	private final AuditLog audit;

	private final Period certificateRetention;

	Disposition(JdbcTemplate jdbc, ObjectStore store, AuditLog audit, Period certificateRetention) {
		this.jdbc = jdbc;
		this.store = store;
		this.audit = audit;
		this.certificateRetention = certificateRetention;
	}

	/**
	 * Records the run, or finds it when restarted: a restart keeps the first cutoff.
	 * @return the cutoff
	 */
	Instant start(long instance, LocalDate day, boolean dryRun, Instant now) {
		Instant endOfDay = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
		Instant cutoff = now.isBefore(endOfDay) ? now : endOfDay;
		this.jdbc.update(
				"INSERT INTO retention_disposition_run (job_instance_id, day, dry_run, cutoff, started_at) "
						+ "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
				instance, day, dryRun, Timestamp.from(cutoff), Timestamp.from(now));
		return this.jdbc
			.queryForObject("SELECT cutoff FROM retention_disposition_run WHERE job_instance_id = ?", Timestamp.class,
					instance)
			.toInstant();
	}

	/**
	 * Disposes the records of the next packs past retention.
	 * @param afterPack the last pack id done
	 * @param packs how many packs at most
	 * @return the last pack id done, or empty when none was left
	 */
	Optional<Long> disposeRecords(long instance, Instant cutoff, boolean dryRun, long afterPack, int packs) {
		List<Long> ids = this.jdbc.queryForList(
				"SELECT id FROM vault_pack WHERE retain_until <= ? AND id > ? ORDER BY id LIMIT ?", Long.class,
				Timestamp.from(cutoff), afterPack, packs);
		if (ids.isEmpty()) {
			return Optional.empty();
		}
		Long[] packIds = ids.toArray(Long[]::new);
		String records = " FROM vault_pack p JOIN vault_block b ON b.pack_id = p.id JOIN vault_message m ON m.block_id = b.id "
				+ "JOIN vault_conversation c ON c.id = m.conversation JOIN vault_custodian u ON u.id = c.custodian_id "
				+ "WHERE p.id = ANY (?) AND ";
		int disposed = this.jdbc
			.update("INSERT INTO retention_disposed_record (job_instance_id, message_id, custodian, "
					+ "source, conversation_id, kind, sent_at, retain_until, pack_key, block_sha256) SELECT ?, m.message_id, "
					+ "u.name, c.source, c.conversation_id, m.kind, m.sent_at, p.retain_until, p.object_key, b.stored_sha256"
					+ records + "NOT " + LegalHolds.RECORD_HELD + " ON CONFLICT DO NOTHING", instance, packIds);
		long held = this.jdbc.queryForObject("SELECT count(*)" + records + LegalHolds.RECORD_HELD, Long.class,
				(Object) packIds);
		if (!dryRun && disposed > 0) {
			List<byte[]> gone = new ArrayList<>();
			Map<List<Integer>, Integer> counts = new HashMap<>();
			this.jdbc.query(
					"DELETE FROM vault_message m USING retention_disposed_record d WHERE d.job_instance_id = ? "
							+ "AND d.message_id = m.message_id RETURNING m.message_id, m.conversation, m.kind",
					(rs) -> {
						gone.add(rs.getBytes(1));
						counts.merge(List.of(rs.getInt(2), rs.getInt(3)), 1, Integer::sum);
					}, instance);
			byte[][] messageIds = gone.toArray(byte[][]::new);
			this.jdbc.update("DELETE FROM vault_message_holder WHERE message_id = ANY (?)", (Object) messageIds);
			this.jdbc.update("DELETE FROM vault_message_attachment WHERE message_id = ANY (?)", (Object) messageIds);
			List<Object[]> negative = new ArrayList<>();
			counts.forEach((key, n) -> negative.add(new Object[] { key.get(0), key.get(1), -n }));
			this.jdbc.batchUpdate("INSERT INTO vault_message_count (conversation, kind, records) VALUES (?, ?, ?)",
					negative);
		}
		this.jdbc.update("UPDATE retention_disposition_run SET records_disposed = records_disposed + ?, "
				+ "records_held = records_held + ? WHERE job_instance_id = ?", disposed, held, instance);
		return Optional.of(ids.get(ids.size() - 1));
	}

	/**
	 * Media past retention that no record attaches and no receipt names, and the
	 * conversation states of conversations with no record left, leave the index.
	 * @return how many files
	 */
	int disposeFiles(long instance, Instant cutoff, boolean dryRun) {
		String unreferenced = " FROM vault_file f WHERE f.kind = 2 AND f.retain_until <= ? "
				+ "AND NOT EXISTS (SELECT 1 FROM vault_message_attachment a WHERE a.file_id = f.id "
				+ (dryRun ? "AND a.message_id NOT IN (SELECT message_id FROM retention_disposed_record "
						+ "WHERE job_instance_id = " + instance + ")" : "")
				+ ") AND NOT EXISTS (SELECT 1 FROM vault_receipt_entry e WHERE e.file_id = f.id)";
		int files = this.jdbc
			.update("INSERT INTO retention_disposed_file (job_instance_id, file_id, kind, sha256, size, "
					+ "retain_until) SELECT ?, f.id, f.kind, f.sha256, f.size, f.retain_until" + unreferenced
					+ " ON CONFLICT DO NOTHING", instance, Timestamp.from(cutoff));
		if (!dryRun) {
			this.jdbc
				.update("DELETE FROM vault_file_chunk WHERE file_id IN (SELECT file_id FROM retention_disposed_file "
						+ "WHERE job_instance_id = ?)", instance);
			this.jdbc.update("DELETE FROM vault_file WHERE id IN (SELECT file_id FROM retention_disposed_file "
					+ "WHERE job_instance_id = ?)", instance);
			this.jdbc.update(
					"DELETE FROM vault_conversation_state s USING vault_block b, vault_pack p "
							+ "WHERE b.id = s.block_id AND p.id = b.pack_id AND p.retain_until <= ? "
							+ "AND NOT EXISTS (SELECT 1 FROM vault_message m WHERE m.conversation = s.conversation)",
					Timestamp.from(cutoff));
		}
		this.jdbc.update(
				"UPDATE retention_disposition_run SET files_disposed = (SELECT count(*) FROM "
						+ "retention_disposed_file WHERE job_instance_id = ?) WHERE job_instance_id = ?",
				instance, instance);
		return files;
	}

	/**
	 * Deletes the next packs past retention whose blocks the index no longer names, or
	 * lists them (dry run).
	 * @param afterPack the last pack id tried
	 * @param packs how many at most
	 * @return the last pack id tried, or empty when none was left
	 */
	Optional<Long> deleteObjects(long instance, Instant cutoff, boolean dryRun, Instant now, long afterPack,
			int packs) {
		String stillNamed = dryRun ? "AND m.message_id NOT IN (SELECT message_id FROM retention_disposed_record "
				+ "WHERE job_instance_id = " + instance + ")" : "";
		String liveFiles = dryRun ? "AND fc.file_id NOT IN (SELECT file_id FROM retention_disposed_file "
				+ "WHERE job_instance_id = " + instance + ")" : "";
		List<Map<String, Object>> candidates = this.jdbc.queryForList("""
				SELECT p.id, p.object_key, p.size, p.sha256, p.retain_until FROM vault_pack p
				WHERE p.retain_until <= ? AND p.id > ?
				AND NOT EXISTS (SELECT 1 FROM vault_block b JOIN vault_message m ON m.block_id = b.id
				  WHERE b.pack_id = p.id %s)
				AND NOT EXISTS (SELECT 1 FROM vault_block b JOIN vault_file_chunk fc ON fc.block_id = b.id
				  WHERE b.pack_id = p.id %s)
				AND NOT EXISTS (SELECT 1 FROM vault_block b JOIN vault_conversation_state s ON s.block_id = b.id
				  WHERE b.pack_id = p.id %s)
				AND NOT EXISTS (SELECT 1 FROM retention_hold_object o JOIN retention_hold h ON h.case_name = o.case_name
				  WHERE o.object_key = p.object_key AND h.released_at IS NULL)
				ORDER BY p.id LIMIT ?
				""".formatted(stillNamed, liveFiles,
				dryRun ? "AND EXISTS (SELECT 1 FROM vault_message m2 WHERE " + "m2.conversation = s.conversation "
						+ stillNamed.replace("m.message_id", "m2.message_id") + ")" : ""),
				Timestamp.from(cutoff), afterPack, packs);
		if (candidates.isEmpty()) {
			return Optional.empty();
		}
		for (Map<String, Object> pack : candidates) {
			String key = (String) pack.get("object_key");
			String outcome;
			String detail = null;
			if (dryRun) {
				outcome = "would-delete";
			}
			else {
				try {
					this.store.delete(key);
					outcome = "deleted";
				}
				catch (RetentionViolationException ex) {
					outcome = "awaiting-lock";
					detail = ex.getMessage();
				}
			}
			this.jdbc.update(
					"INSERT INTO retention_disposed_object (job_instance_id, object_key, size, sha256, "
							+ "retain_until, outcome, detail, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
							+ "ON CONFLICT (job_instance_id, object_key) DO UPDATE SET outcome = excluded.outcome, "
							+ "detail = excluded.detail, decided_at = excluded.decided_at",
					instance, key, pack.get("size"), pack.get("sha256"), pack.get("retain_until"), outcome, detail,
					Timestamp.from(now));
			if (outcome.equals("deleted")) {
				this.jdbc.update("DELETE FROM vault_block WHERE pack_id = ?", pack.get("id"));
				this.jdbc.update("DELETE FROM vault_pack WHERE id = ?", pack.get("id"));
			}
		}
		this.jdbc.update("UPDATE retention_disposition_run SET "
				+ "objects_deleted = (SELECT count(*) FROM retention_disposed_object WHERE job_instance_id = ? "
				+ "AND outcome IN ('deleted', 'would-delete')), objects_awaiting_lock = (SELECT count(*) FROM "
				+ "retention_disposed_object WHERE job_instance_id = ? AND outcome = 'awaiting-lock') "
				+ "WHERE job_instance_id = ?", instance, instance, instance);
		return Optional.of(((Number) candidates.get(candidates.size() - 1).get("id")).longValue());
	}

	/**
	 * Writes the certificate of a run once to the store and records it in the audit log:
	 * JSON lines, the run first, then every record, file and object in id order, so that
	 * a restarted run writes the very same bytes. A dry run writes none.
	 * @return the run's figures
	 */
	Summary certify(long instance, String day, boolean dryRun, Instant now) {
		Summary summary = summary(instance);
		if (dryRun || summary.certificateKey().isPresent()) {
			return summary;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Map<String, Object> head = new LinkedHashMap<>();
		head.put("certificate", "chatvault-disposition-v1");
		head.put("day", day);
		head.put("run", instance);
		head.put("cutoff", summary.cutoff().toString());
		head.put("recordsDisposed", summary.recordsDisposed());
		head.put("recordsHeld", summary.recordsHeld());
		head.put("filesDisposed", summary.filesDisposed());
		head.put("objectsDeleted", summary.objectsDeleted());
		head.put("objectsAwaitingLock", summary.objectsAwaitingLock());
		line(out, head);
		this.jdbc.query("SELECT encode(message_id, 'hex'), custodian, source, conversation_id, kind, sent_at, "
				+ "retain_until, pack_key, encode(block_sha256, 'hex') FROM retention_disposed_record "
				+ "WHERE job_instance_id = ? ORDER BY message_id", (rs) -> {
					Map<String, Object> record = new LinkedHashMap<>();
					record.put("record", rs.getString(1));
					record.put("custodian", rs.getString(2));
					record.put("source", rs.getString(3));
					record.put("conversation", rs.getString(4));
					record.put("kind", rs.getInt(5));
					record.put("sentAt", rs.getTimestamp(6).toInstant().toString());
					record.put("retainUntil", rs.getTimestamp(7).toInstant().toString());
					record.put("pack", rs.getString(8));
					record.put("blockSha256", rs.getString(9));
					line(out, record);
				}, instance);
		this.jdbc.query("SELECT file_id, kind, encode(sha256, 'hex'), size, retain_until FROM retention_disposed_file "
				+ "WHERE job_instance_id = ? ORDER BY file_id", (rs) -> {
					Map<String, Object> file = new LinkedHashMap<>();
					file.put("file", rs.getLong(1));
					file.put("kind", (rs.getInt(2) == 2) ? "media" : "original");
					file.put("sha256", rs.getString(3));
					file.put("size", rs.getLong(4));
					file.put("retainUntil", rs.getTimestamp(5).toInstant().toString());
					line(out, file);
				}, instance);
		this.jdbc.query("SELECT object_key, size, encode(sha256, 'hex'), retain_until, outcome FROM "
				+ "retention_disposed_object WHERE job_instance_id = ? ORDER BY object_key", (rs) -> {
					Map<String, Object> object = new LinkedHashMap<>();
					object.put("object", rs.getString(1));
					object.put("size", rs.getLong(2));
					object.put("sha256", rs.getString(3));
					object.put("retainUntil", rs.getTimestamp(4).toInstant().toString());
					object.put("outcome", rs.getString(5));
					line(out, object);
				}, instance);
		byte[] bytes = out.toByteArray();
		String key = "certificates/disposition/" + day + "/" + instance + ".jsonl";
		String sha256 = Sha256.hex(bytes);
		Instant retainUntil = summary.cutoff().atOffset(ZoneOffset.UTC).plus(this.certificateRetention).toInstant();
		this.store.put(key, bytes, new WriteOptions(retainUntil, WriteOptions.LockMode.COMPLIANCE, false));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("day", day);
		details.put("certificate", key);
		details.put("sha256", sha256);
		details.put("recordsDisposed", summary.recordsDisposed());
		details.put("recordsHeld", summary.recordsHeld());
		details.put("filesDisposed", summary.filesDisposed());
		details.put("objectsDeleted", summary.objectsDeleted());
		details.put("objectsAwaitingLock", summary.objectsAwaitingLock());
		this.audit.append(AuditEvent.of(ACTOR, "disposition.certificate", "disposition:" + day, details));
		this.jdbc.update("UPDATE retention_disposition_run SET certificate_key = ?, certificate_sha256 = ?, "
				+ "completed_at = ? WHERE job_instance_id = ?", key, sha256, Timestamp.from(now), instance);
		return summary(instance);
	}

	private static void line(ByteArrayOutputStream out, Map<String, Object> value) {
		out.writeBytes(JSON.writeValueAsBytes(value));
		out.write('\n');
	}

	Summary summary(long instance) {
		return this.jdbc.queryForObject(
				"SELECT cutoff, records_disposed, records_held, files_disposed, "
						+ "objects_deleted, objects_awaiting_lock, certificate_key, certificate_sha256, dry_run "
						+ "FROM retention_disposition_run WHERE job_instance_id = ?",
				(rs, row) -> new Summary(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getLong(3), rs.getLong(4),
						rs.getLong(5), rs.getLong(6), Optional.ofNullable(rs.getString(7)),
						Optional.ofNullable(rs.getString(8)), rs.getBoolean(9)),
				instance);
	}

	/** The figures of a run. */
	record Summary(Instant cutoff, long recordsDisposed, long recordsHeld, long filesDisposed, long objectsDeleted,
			long objectsAwaitingLock, Optional<String> certificateKey, Optional<String> certificateSha256,
			boolean dryRun) {

		String describe() {
			return (this.dryRun ? "dry run: would dispose " : "disposed ") + this.recordsDisposed + " record(s), "
					+ this.filesDisposed + " file(s); " + this.recordsHeld + " past retention kept under legal hold; "
					+ this.objectsDeleted + " object(s) " + (this.dryRun ? "would be deleted" : "deleted") + ", "
					+ this.objectsAwaitingLock + " awaiting the store's lock"
					+ this.certificateKey.map((k) -> "; certificate " + k).orElse("");
		}

	}

}
