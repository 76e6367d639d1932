package io.chatvault.report;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.access.AccessFixture;
import io.chatvault.access.AccountPlatform;
import io.chatvault.access.Custodian;
import io.chatvault.access.CustodianAccount;
import io.chatvault.access.GrantScope;
import io.chatvault.access.Role;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A month of seeded job data (March 2025) whose figures the tests know: records in the
 * vault index, sync windows with latencies, job executions (a failure restarted two hours
 * later), a permission audit, custodians with and without consent or traffic, quarantined
 * records, audit entries for some job runs, a key rotation in February and a regulator
 * drill in January. No audit anchor, no restore drill: those must show as findings.
 */
final class ReportSeed {

	static final Instant MARCH = Instant.parse("2025-03-01T00:00:00Z");

	/**
	 * ann 10 a day all month, ben 5 a day for 10 days and 2 edits, cat 100 on the 15th.
	 */
	static final long RECORDS = 310 + 50 + 2 + 100;

	static final long MESSAGES = 310 + 50 + 100;

	static final long RECORDS_ON_THE_15TH = 10 + 100;

	/** 100 of the 124 six-hour windows of March. */
	static final int WINDOWS = 100;

	private ReportSeed() {
	}

	static void march(AccessFixture fixture) {
		JdbcTemplate jdbc = fixture.jdbc;
		fixture.clock.set(Instant.parse("2025-02-20T09:00:00Z"));
		fixture.custodians.save(
				custodian("ann", "sales", true, new CustodianAccount(AccountPlatform.WHATSAPP, "+491701234567")),
				AccessFixture.ADMIN);
		fixture.custodians.save(
				custodian("ben", "sales", true, new CustodianAccount(AccountPlatform.SLACK, "U024BE7LH")),
				AccessFixture.ADMIN);
		fixture.custodians.save(
				custodian("cat", "trading", true,
						new CustodianAccount(AccountPlatform.TEAMS, "0f6b6b6e-1111-2222-3333-444455556666")),
				AccessFixture.ADMIN);
		// no consent, no traffic
		fixture.custodians.save(
				custodian("dex", "trading", false, new CustodianAccount(AccountPlatform.WHATSAPP, "+491707654321")),
				AccessFixture.ADMIN);
		fixture.principal("comp", Optional.empty(), Role.COMPLIANCE, GrantScope.ALL);
		fixture.principal("ann-p", Optional.of("ann"), Role.EMPLOYEE, GrantScope.custodian("ann"));

		jdbc.update("INSERT INTO vault_custodian (id, name) VALUES (1, 'ann'), (2, 'ben'), (3, 'cat')");
		jdbc.update("INSERT INTO vault_conversation (id, source, conversation_id, custodian_id) VALUES "
				+ "(1, 'WHATSAPP_EXPORT', 'chat-a', 1), (2, 'SLACK_EXPORT', 'C0123', 2), (3, 'TEAMS_GRAPH', 't-1', 3)");
		records(jdbc, 1, 0, "2025-03-01T08:00:00Z", 31, 10, 86400);
		records(jdbc, 2, 0, "2025-03-01T09:00:00Z", 10, 5, 86400);
		records(jdbc, 2, 2, "2025-03-03T09:30:00Z", 1, 2, 0);
		records(jdbc, 3, 0, "2025-03-15T12:00:00Z", 1, 100, 0);
		// outside the month: never counted
		records(jdbc, 1, 0, "2025-02-28T23:59:00Z", 1, 7, 0);
		records(jdbc, 3, 0, "2025-04-01T00:00:00Z", 1, 9, 0);

		long sync = execution(jdbc, 900001, "sync", "COMPLETED", "2025-03-01T06:00:00Z", "2025-03-01T06:01:00Z");
		long hrFailed = execution(jdbc, 900002, "hr-sync", "FAILED", "2025-03-05T10:00:00Z", "2025-03-05T10:05:00Z");
		long hrRestart = execution(jdbc, 900003, 900002, "hr-sync", "COMPLETED", "2025-03-05T12:00:00Z",
				"2025-03-05T12:05:00Z");
		long audit = execution(jdbc, 900004, "permission-audit", "COMPLETED", "2025-04-01T03:00:00Z",
				"2025-04-01T03:01:00Z");
		for (int w = 0; w < WINDOWS; w++) {
			Instant end = Instant.parse("2025-03-01T06:00:00Z").plusSeconds(21600L * w);
			jdbc.update("INSERT INTO sync_window (group_name, window_end, window_start, cadence_seconds, "
					+ "job_instance_id, job_execution_id, missed_windows, inbox_deliveries, inbox_records, archived, "
					+ "duplicates, quarantined, late_arrivals, alerts, completed_at) "
					+ "VALUES ('desk', ?, ?, 21600, 900001, ?, 0, 5, 5, 4, 1, 0, 0, 0, ?)", Timestamp.from(end),
					Timestamp.from(end.minusSeconds(21600)), sync, Timestamp.from(end));
			jdbc.update(
					"INSERT INTO sync_window_latency (group_name, window_end, measure, samples, p50_ms, p95_ms, "
							+ "max_ms) VALUES ('desk', ?, 'sent_to_captured', 10, ?, 900, ?)",
					Timestamp.from(end), (w == 57) ? 1400 : 400, (w == 57) ? 4000 : 1500);
		}
		jdbc.update("INSERT INTO access_review_run (job_execution_id, job_name, period, period_start, period_end, "
				+ "principals_reviewed, grants_reviewed, tokens_reviewed, custodians_reviewed, privileged_principals, "
				+ "access_entries, findings_high, findings_medium, findings_low, completed_at) VALUES "
				+ "(?, 'permission-audit', '2025-03', ?, ?, 2, 2, 2, 4, 1, 40, 1, 0, 2, ?)", audit,
				Timestamp.from(MARCH), Timestamp.from(Instant.parse("2025-04-01T00:00:00Z")),
				Timestamp.from(Instant.parse("2025-04-01T03:01:00Z")));
		jdbc.update("INSERT INTO access_finding (job_execution_id, job_name, period, kind, severity, subject, detail, "
				+ "found_at) VALUES (?, 'permission-audit', '2025-03', 'abnormal-access', 'high', 'principal:comp', "
				+ "'comp was returned 1200 content records on 2025-03-10', now())", audit);
		for (int q = 0; q < 2; q++) {
			jdbc.update("INSERT INTO vault_quarantine (fingerprint, custodian, origin_file, origin_entry, origin_line, "
					+ "reason, raw_sha256, raw_length, object_key, data_key_id, stored_sha256, stored_length, "
					+ "quarantined_at) VALUES (?, 'ann', 'chat.txt', '', ?, 'not a message line', 'ab', 12, ?, 1, "
					+ "'cd', 40, ?)", "fp" + q, 10 + q, "quarantine/fp" + q,
					Timestamp.from(Instant.parse("2025-03-20T10:00:00Z")));
		}
		// Checksum sampling on 20 days of March: 1,000 items a day, all checked; on the
		// 10th two damaged objects, one repaired 10 minutes after it was found, one after
		// 20; on the 12th 10 items erased (checked, neither verified nor failed).
		execution(jdbc, 800001, "checksum-sampling", "COMPLETED", "2025-03-01T02:30:00Z", "2025-03-01T02:31:00Z");
		for (int day = 1; day <= 20; day++) {
			jdbc.update(
					"INSERT INTO integrity_run (job_instance_id, job_execution_id, day, full_pass, items_in_archive, "
							+ "records_in_archive, sampled, records_sampled, verified, failed, erased, repaired, "
							+ "unrepairable, bytes_read, seconds, mb_per_second, records_per_second, outcome, started_at, "
							+ "completed_at) VALUES (?, ?, ?, false, 5000, 100000, 1000, 20000, ?, ?, ?, ?, 0, 1000000, 10, "
							+ "0.1, 2000, ?, now(), now())",
					800000 + day, 800000 + day, java.sql.Date.valueOf("2025-03-" + String.format("%02d", day)),
					(day == 10) ? 998 : (day == 12) ? 990 : 1000, (day == 10) ? 2 : 0, (day == 12) ? 10 : 0,
					(day == 10) ? 2 : 0, (day == 10) ? "repaired" : "intact");
		}
		for (int minutes : new int[] { 10, 20 }) {
			Instant detected = Instant.parse("2025-03-10T02:40:00Z");
			jdbc.update("INSERT INTO integrity_incident (job_instance_id, job_execution_id, day, kind, item_id, "
					+ "object_key, problem, detected_at, repaired_at, outcome, new_object_key) VALUES (800010, 800010, "
					+ "DATE '2025-03-10', 'RECORD_BLOCK', ?, ?, 'SHA-256 mismatch', ?, ?, 'repaired', ?)", minutes,
					"packs/" + minutes, Timestamp.from(detected), Timestamp.from(detected.plusSeconds(60L * minutes)),
					"packs/" + minutes + "-r");
		}
		// Disposition on 31 days; a live hold on ann from the 5th; one run removed one of
		// ann's records sent inside the hold (a held record disposed of) and one of
		// ben's.
		for (int day = 1; day <= 31; day++) {
			jdbc.update(
					"INSERT INTO retention_disposition_run (job_instance_id, day, dry_run, cutoff, records_disposed, "
							+ "records_held, objects_deleted, started_at, completed_at) VALUES (?, ?, false, now(), ?, 1, 0, ?, "
							+ "now())",
					700000 + day, java.sql.Date.valueOf("2025-03-" + String.format("%02d", day)), (day == 20) ? 2 : 0,
					Timestamp.from(MARCH.plusSeconds(86400L * (day - 1) + 3600)));
		}
		jdbc.update("INSERT INTO retention_hold (case_name, custodians, from_at, reason, created_at, created_by) "
				+ "VALUES ('case-1', ARRAY['ann'], TIMESTAMPTZ '2018-01-01 00:00Z', 'litigation', "
				+ "TIMESTAMPTZ '2025-03-05 00:00Z', 'comp')");
		for (String custodian : new String[] { "ann", "ben" }) {
			jdbc.update("INSERT INTO retention_disposed_record (job_instance_id, message_id, custodian, source, "
					+ "conversation_id, kind, sent_at, retain_until, pack_key, block_sha256) VALUES (700020, ?, ?, "
					+ "'WHATSAPP_EXPORT', 'c', 0, TIMESTAMPTZ '2018-03-01 00:00Z', TIMESTAMPTZ '2025-03-01 00:00Z', "
					+ "'packs/p', ?)", sha(custodian), custodian, sha("block"));
		}
		// Key rotation of 2025-Q1 on 20 February: version 7 made then, 1,234 data keys
		// re-wrapped from version 6, which it retired. The key is 39 days old at the
		// end of March.
		execution(jdbc, 710001, "key-rotation", "COMPLETED", "2025-02-20T10:00:00Z", "2025-02-20T10:05:00Z");
		jdbc.update("INSERT INTO key_kek_version (version, description, created_at, created_by, retired_at) VALUES "
				+ "(6, 'PKCS#12 test', TIMESTAMPTZ '2024-11-20 10:00Z', 'job:key-rotation', "
				+ "TIMESTAMPTZ '2025-02-20 10:05Z'), (7, 'PKCS#12 test', TIMESTAMPTZ '2025-02-20 10:00Z', "
				+ "'job:key-rotation', NULL)");
		jdbc.update("INSERT INTO key_rotation_run (job_instance_id, quarter, previous_version, new_version, "
				+ "keys_rewrapped, versions_retired, started_at, completed_at) VALUES (710001, '2025-Q1', 6, 7, 1234, "
				+ "'{6}', TIMESTAMPTZ '2025-02-20 10:00Z', TIMESTAMPTZ '2025-02-20 10:05Z')");
		// Regulator drill of 2025-H1 on 15 January: 'contract' passed (recall 1, 1.2 s,
		// 12 records of its scope erased); 'bribe' found 3 of 4 in 6.5 s (30 erased).
		execution(jdbc, 720001, "regulator-drill", "FAILED", "2025-01-15T03:00:00Z", "2025-01-15T03:10:00Z");
		jdbc.update("INSERT INTO search_drill_run (job_execution_id, half, requests, failed, min_recall, max_seconds, "
				+ "passed, completed_at) VALUES (720001, '2025-H1', 2, 1, 0.999, 5, false, "
				+ "TIMESTAMPTZ '2025-01-15 03:10Z')");
		jdbc.update("INSERT INTO search_drill_request (job_execution_id, half, name, redacted_query, custodians, hits, "
				+ "expected, found, scanned, erased, recall, first_page_ms, complete_ms, passed, detail) VALUES "
				+ "(720001, '2025-H1', 'contract', 't:aaaa', '*', 40, 40, 40, 10000, 12, 1.0, 300, 1200, true, 'passed'), "
				+ "(720001, '2025-H1', 'bribe', 't:bbbb', '*', 3, 4, 3, 10000, 30, 0.75, 6500, 6500, false, "
				+ "'recall 0.7500 below 0.9990: 1 of 4 records a full scan finds were not found; took 6.500 s, "
				+ "more than 5.000 s')");
		// Two of the four executions that ended in March have their job.end entry.
		AuditLog log = fixture.context.getBean(AuditLog.class);
		log.append(AuditEvent.of("job:sync", "job.end", "execution:" + sync, Map.of("exitCode", 0)));
		log.append(AuditEvent.of("job:hr-sync", "job.end", "execution:" + hrRestart, Map.of("exitCode", 0)));
		fixture.clock.set(Instant.parse("2025-04-01T06:00:00Z"));
		if (hrFailed < 0) {
			throw new IllegalStateException();
		}
	}

	private static Object sha(String text) {
		return io.chatvault.message.Sha256.digest().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private static Custodian custodian(String id, String group, boolean consent, CustodianAccount account) {
		return new Custodian(id, "Name of " + id, Optional.of("hr-" + id), group, Custodian.Status.ACTIVE,
				Optional.empty(), consent ? Optional.of(new io.chatvault.access.Consent("dms://consent/" + id,
						"a".repeat(64), "v1", java.time.LocalDate.of(2024, 1, 2))) : Optional.empty(),
				List.of(account));
	}

	/** {@code perDay} records a day for {@code days} days from {@code first}. */
	private static void records(JdbcTemplate jdbc, int conversation, int kind, String first, int days, int perDay,
			int stepSeconds) {
		jdbc.update("""
				INSERT INTO vault_message (block_id, sent_at, conversation, kind, ordinal, message_id)
				SELECT 1, ?::timestamptz + make_interval(secs => d * ? + n), ?, ?, 0,
					sha256(convert_to(? || ':' || ? || ':' || ? || ':' || d || ':' || n, 'UTF8'))
				FROM generate_series(0, ? - 1) d, generate_series(0, ? - 1) n
				""", first, stepSeconds, conversation, kind, conversation, kind, first, days, perDay);
	}

	private static long execution(JdbcTemplate jdbc, long id, String job, String status, String start, String end) {
		jdbc.update("INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) VALUES (?, 0, ?, ?)",
				id, job, "k" + id);
		return execution(jdbc, id, id, job, status, start, end);
	}

	private static long execution(JdbcTemplate jdbc, long id, long instance, String job, String status, String start,
			String end) {
		jdbc.update("INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, "
				+ "start_time, end_time, status, exit_code, exit_message, last_updated) VALUES (?, 1, ?, ?, ?, ?, ?, ?, "
				+ "'', ?)", id, instance, local(start), local(start), local(end), status, status, local(end));
		return id;
	}

	private static Timestamp local(String instant) {
		return Timestamp.valueOf(LocalDateTime.ofInstant(Instant.parse(instant), ZoneId.systemDefault()));
	}

}
