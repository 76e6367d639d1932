package io.chatvault.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.chatvault.ChatVaultHome;
import io.chatvault.audit.AuditActors;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.message.Sha256;
import io.chatvault.migration.MigrationProperties;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.PutOutcome;
import io.chatvault.storage.WriteOptions;
import io.chatvault.vault.VaultReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The restore drill's work: draw the custodians of a quarter, restore each into an empty
 * scratch directory and prove it complete ({@link RestoredCheck}) and reconciled with
 * what the migrations and sync windows archived for them, record each account and the
 * shortfall by name, and write the drill report to the write-once store and its tables.
 * The drill acts as the built-in principal {@code job:restore-drill} (docs/access.md):
 * every custodian restored is a {@code content.restore} access-log entry.
 */
@Service
class RestoreDrill {

	static final String JOB = "restore-drill";

	/** The drill's principal in the audit log. */
	static final String PRINCIPAL = AuditActors.job(JOB);

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
		.build();

	private final Restorer restorer;

	private final VaultReader reader;

	private final JdbcTemplate jdbc;

	private final AuditLog audit;

	private final ObjectStore store;

	private final Clock clock;

	private final RestoreDrillProperties properties;

	private final Path scratch;

	private final String defaultCustodian;

	RestoreDrill(Restorer restorer, VaultReader reader, JdbcTemplate jdbc, AuditLog audit, ObjectStore store,
			Clock clock, RestoreDrillProperties properties, ChatVaultHome home, MigrationProperties migration) {
		this.restorer = restorer;
		this.reader = reader;
		this.jdbc = jdbc;
		this.audit = audit;
		this.store = store;
		this.clock = clock;
		this.properties = properties;
		this.scratch = (properties.scratch() != null) ? properties.scratch().toAbsolutePath().normalize()
				: home.home().resolve("restore-drill");
		this.defaultCustodian = migration.defaultCustodian();
	}

	/**
	 * The custodians a quarter draws: every custodian the archive holds, ranked by the
	 * SHA-256 of the quarter and their id, the first {@code count}. The same quarter
	 * draws the same custodians; a custodian added later displaces one only if it ranks
	 * before it.
	 * @param custodians the candidates
	 * @param quarter the quarter
	 * @param count how many
	 * @return the drawn, in rank order
	 */
	static List<String> draw(List<String> custodians, String quarter, int count) {
		return custodians.stream()
			.sorted(Comparator.comparing((String custodian) -> Sha256.hexOfFields("restore-drill", quarter, custodian))
				.thenComparing(Comparator.naturalOrder()))
			.limit(count)
			.toList();
	}

	/**
	 * Draws the custodians of a drill once; a resumed drill keeps them.
	 * @return the selection
	 */
	List<Selected> select(long instanceId, String quarter, DrillScope scope) {
		List<Selected> selected = selection(instanceId);
		if (!selected.isEmpty()) {
			return selected;
		}
		Instant now = this.clock.instant();
		int ordinal = 0;
		for (String custodian : draw(this.reader.custodians(), quarter, this.properties.custodians())) {
			Instant from = null;
			Instant to = null;
			if (scope == DrillScope.LAST_30_DAYS) {
				Timestamp latest = this.jdbc.queryForObject("""
						SELECT max(m.sent_at) FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation
						JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = ?
						""", Timestamp.class, custodian);
				to = ((latest != null) ? latest.toInstant() : now).plusNanos(1000);
				from = to.minus(Duration.ofDays(30));
			}
			this.jdbc.update(
					"INSERT INTO restore_drill_selection (job_instance_id, quarter, scope, ordinal, custodian, "
							+ "window_from, window_to, selected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
					instanceId, quarter, scope.key(), ordinal++, custodian, ts(from), ts(to), Timestamp.from(now));
		}
		return selection(instanceId);
	}

	List<Selected> selection(long instanceId) {
		return this.jdbc.query(
				"SELECT custodian, window_from, window_to FROM restore_drill_selection WHERE job_instance_id = ? "
						+ "ORDER BY ordinal",
				(rs, i) -> new Selected(rs.getString(1), instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3))),
				instanceId);
	}

	/**
	 * Drills one custodian, unless an earlier execution of the drill proved them complete
	 * already.
	 * @return the account's outcome, or empty when it was complete already
	 */
	Optional<Account> drill(long instanceId, long executionId, String quarter, DrillScope scope, Selected selected) {
		String custodian = selected.custodian();
		List<String> done = this.jdbc.queryForList(
				"SELECT outcome FROM restore_drill_account WHERE job_instance_id = ? AND custodian = ?", String.class,
				instanceId, custodian);
		if (done.contains("complete")) {
			return Optional.empty();
		}
		this.jdbc.update("DELETE FROM restore_drill_account WHERE job_instance_id = ? AND custodian = ?", instanceId,
				custodian);
		this.jdbc.update("DELETE FROM restore_drill_shortfall WHERE job_instance_id = ? AND custodian = ?", instanceId,
				custodian);
		Path target = this.scratch.resolve(Long.toString(instanceId)).resolve(RestoredFiles.segment(custodian));
		try {
			delete(target);
			RestoreRequest request = new RestoreRequest(custodian, Optional.empty(),
					Optional.ofNullable(selected.from()), Optional.ofNullable(selected.to()));
			long started = System.nanoTime();
			RestoreResult result = this.restorer.restore(request, (any) -> true, target, true);
			long restored = System.nanoTime();
			RestoredCheck.Checked checked = new RestoredCheck(this.jdbc).check(target, custodian, selected.from(),
					selected.to(), scope == DrillScope.FULL);
			long verified = System.nanoTime();
			List<RestoredCheck.Shortfall> shortfall = new ArrayList<>(checked.problems);
			long shortfallCount = checked.problemCount;
			for (String problem : result.problems()) {
				shortfall.add(new RestoredCheck.Shortfall("restore", null, problem));
			}
			shortfallCount += result.problemCount();
			Reconciled reconciled = null;
			if (scope == DrillScope.FULL) {
				reconciled = reconcile(custodian);
				if (reconciled.problem().isPresent()) {
					shortfall.add(new RestoredCheck.Shortfall("count", custodian, reconciled.problem().get()));
					shortfallCount++;
				}
			}
			if (checked.restoredRecords != result.records()) {
				shortfall.add(new RestoredCheck.Shortfall("count", custodian, "the restore wrote " + result.records()
						+ " records, its files hold " + checked.restoredRecords));
				shortfallCount++;
			}
			long restoreMillis = Duration.ofNanos(restored - started).toMillis();
			double perSecond = result.records() / Math.max(1e-3, (restored - started) / 1e9);
			Account account = new Account(custodian, (shortfallCount == 0) ? "complete" : "short", selected.from(),
					selected.to(), checked.indexRecords, checked.erasedRecords, checked.restoredRecords,
					checked.verifiedRecords, reconciled, result.conversations(), result.mediaFiles(),
					result.originals(), result.files(), result.bytes(), restoreMillis,
					Duration.ofNanos(verified - restored).toMillis(), perSecond, shortfallCount,
					shortfall.subList(0, Math.min(shortfall.size(), RestoredCheck.LISTED + Restorer.PROBLEMS_LISTED)));
			record(instanceId, executionId, quarter, scope, account);
			return Optional.of(account);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("restore drill of " + custodian + " in " + target + ": " + ex.getMessage(),
					ex);
		}
		finally {
			delete(target);
		}
	}

	private void record(long instanceId, long executionId, String quarter, DrillScope scope, Account account) {
		Instant now = this.clock.instant();
		Reconciled reconciled = account.reconciled();
		this.jdbc.update(
				"""
						INSERT INTO restore_drill_account (job_instance_id, job_execution_id, quarter, scope, custodian, outcome,
						  window_from, window_to, index_records, restored_records, verified_records, owned_records,
						  migration_archived, sync_messages, conversations, media_files, originals, files, bytes, restore_ms,
						  verify_ms, messages_per_second, shortfall_count, completed_at, erased_records)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
						""",
				instanceId, executionId, quarter, scope.key(), account.custodian(), account.outcome(),
				ts(account.from()), ts(account.to()), account.indexRecords(), account.restoredRecords(),
				account.verifiedRecords(), (reconciled != null) ? reconciled.owned() : null,
				(reconciled != null) ? reconciled.migrationArchived() : null,
				(reconciled != null) ? reconciled.syncMessages() : null, account.conversations(), account.mediaFiles(),
				account.originals(), account.files(), account.bytes(), account.restoreMillis(), account.verifyMillis(),
				account.messagesPerSecond(), account.shortfallCount(), Timestamp.from(now), account.erasedRecords());
		int ordinal = 0;
		for (RestoredCheck.Shortfall shortfall : account.shortfall()) {
			this.jdbc.update(
					"INSERT INTO restore_drill_shortfall (job_instance_id, custodian, ordinal, kind, item, detail) "
							+ "VALUES (?, ?, ?, ?, ?, ?)",
					instanceId, account.custodian(), ordinal++, shortfall.kind(), shortfall.item(), shortfall.detail());
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("operation", "content.restore");
		details.put("principal", PRINCIPAL);
		details.put("tokenId", "");
		details.put("client", AuditActors.operator().substring("os:".length()));
		details.put("custodians", List.of(account.custodian()));
		details.put("conversations", "all");
		details.put("from", (account.from() != null) ? account.from().toString() : "");
		details.put("to", (account.to() != null) ? account.to().toString() : "");
		details.put("query", "run restore-drill quarter=" + quarter + " scope=" + scope.key());
		details.put("effectiveScope", "all");
		details.put("grants", List.of("job:restore-drill (built in: compliance, all, content.restore)"));
		details.put("jobExecutionId", executionId);
		details.put("records", account.restoredRecords());
		details.put("bytes", account.bytes());
		details.put("verified", account.verifiedRecords());
		details.put("shortfall", account.shortfallCount());
		this.audit.append(new AuditEvent(PRINCIPAL, "job", "content.restore", "custodians:" + account.custodian(),
				account.shortfallCount() == 0 ? "success" : "failed", details));
	}

	/**
	 * The records first archived for a custodian against what the migrations (by their
	 * {@code custodian=}) and the sync windows (by account) archived for them. The
	 * migrations' count is exact (archived, not duplicates); a sync window counts every
	 * message of the custodian's accounts it read, duplicates included, so it bounds from
	 * above.
	 */
	Reconciled reconcile(String custodian) {
		long owned = this.jdbc.queryForObject("""
				SELECT count(*) FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation
				JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = ?
				""", Long.class, custodian);
		long migrated = this.jdbc.queryForObject("""
				SELECT coalesce(sum(r.archived), 0) FROM migration_reconciliation r
				WHERE coalesce((SELECT p.parameter_value FROM batch_job_execution_params p
				                JOIN batch_job_execution e ON e.job_execution_id = p.job_execution_id
				                WHERE e.job_instance_id = r.job_instance_id AND p.parameter_name = 'custodian'
				                LIMIT 1), ?) = ?
				""", Long.class, this.defaultCustodian, custodian);
		long synced = this.jdbc.queryForObject(
				"SELECT coalesce(sum(messages), 0) FROM sync_account_window WHERE custodian = ?", Long.class,
				custodian);
		Optional<String> problem = Optional.empty();
		if (owned < migrated) {
			problem = Optional.of("the index holds " + owned + " records first archived for " + custodian
					+ ", the migrations archived " + migrated + " for them");
		}
		else if (owned > migrated + synced) {
			problem = Optional.of("the index holds " + owned + " records first archived for " + custodian
					+ ", more than the migrations (" + migrated + ") and sync windows (" + synced + ") archived");
		}
		return new Reconciled(owned, migrated, synced, problem);
	}

	/**
	 * Writes the drill's report: the JSON document to the write-once store, its summary
	 * row to {@code restore_drill_run}.
	 * @return the report
	 */
	Report report(long instanceId, long executionId, String quarter, DrillScope scope) {
		List<Selected> selected = selection(instanceId);
		List<Map<String, Object>> accounts = new ArrayList<>();
		long expected = 0;
		long verified = 0;
		int complete = 0;
		List<String> shortLines = new ArrayList<>();
		for (Selected one : selected) {
			Map<String, Object> account = new LinkedHashMap<>();
			this.jdbc.query("SELECT * FROM restore_drill_account WHERE job_instance_id = ? AND custodian = ?", (rs) -> {
				account.put("custodian", rs.getString("custodian"));
				account.put("outcome", rs.getString("outcome"));
				account.put("from", text(rs.getTimestamp("window_from")));
				account.put("to", text(rs.getTimestamp("window_to")));
				account.put("indexRecords", rs.getLong("index_records"));
				account.put("erasedRecords", rs.getLong("erased_records"));
				account.put("restoredRecords", rs.getLong("restored_records"));
				account.put("verifiedRecords", rs.getLong("verified_records"));
				account.put("ownedRecords", rs.getObject("owned_records"));
				account.put("migrationArchived", rs.getObject("migration_archived"));
				account.put("syncMessages", rs.getObject("sync_messages"));
				account.put("conversations", rs.getInt("conversations"));
				account.put("mediaFiles", rs.getLong("media_files"));
				account.put("originals", rs.getLong("originals"));
				account.put("files", rs.getLong("files"));
				account.put("bytes", rs.getLong("bytes"));
				account.put("restoreSeconds", rs.getLong("restore_ms") / 1000.0);
				account.put("verifySeconds", rs.getLong("verify_ms") / 1000.0);
				account.put("messagesPerSecond", Math.round(rs.getDouble("messages_per_second")));
				account.put("shortfallCount", rs.getLong("shortfall_count"));
				account.put("drilledBy", rs.getLong("job_execution_id"));
			}, instanceId, one.custodian());
			if (account.isEmpty()) {
				account.put("custodian", one.custodian());
				account.put("outcome", "short");
				account.put("shortfallCount", 1);
				shortLines.add(one.custodian() + ": not drilled");
				accounts.add(account);
				continue;
			}
			List<String> shortfall = this.jdbc.queryForList(
					"SELECT detail FROM restore_drill_shortfall WHERE job_instance_id = ? AND custodian = ? ORDER BY ordinal",
					String.class, instanceId, one.custodian());
			account.put("shortfall", shortfall);
			expected += (long) account.get("indexRecords");
			verified += (long) account.get("verifiedRecords");
			if ("complete".equals(account.get("outcome"))) {
				complete++;
			}
			else {
				shortLines.add(one.custodian() + ": " + account.get("shortfallCount") + " missing or wrong, first: "
						+ (shortfall.isEmpty() ? "?" : shortfall.get(0)));
			}
			accounts.add(account);
		}
		double successRate = (expected == 0) ? 1.0 : (double) verified / expected;
		String outcome = (complete == selected.size()) ? "complete" : "short";
		Instant now = this.clock.instant();
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("job", JOB);
		report.put("quarter", quarter);
		report.put("scope", scope.key());
		report.put("jobInstanceId", instanceId);
		report.put("jobExecutionId", executionId);
		report.put("principal", PRINCIPAL);
		report.put("custodiansDrawn", selected.stream().map(Selected::custodian).toList());
		report.put("custodiansComplete", complete);
		report.put("recordsExpected", expected);
		report.put("recordsVerified", verified);
		report.put("successRate", successRate);
		report.put("outcome", outcome);
		report.put("accounts", accounts);
		report.put("completedAt", now.toString());
		byte[] bytes = JSON.writeValueAsBytes(report);
		String key = "reports/restore-drill/" + quarter + "/" + scope.key() + "/execution-" + executionId + ".json";
		PutOutcome put = this.store.put(key, bytes,
				new WriteOptions(now.atOffset(ZoneOffset.UTC).plus(this.properties.reportRetention()).toInstant(),
						WriteOptions.LockMode.COMPLIANCE, false));
		String sha = Sha256.hex(bytes);
		if (put == PutOutcome.ALREADY_PRESENT) {
			// A replay of this execution's report step after a crash: the stored one
			// stands.
			sha = this.jdbc
				.queryForList("SELECT report_sha256 FROM restore_drill_run WHERE job_execution_id = ?", String.class,
						executionId)
				.stream()
				.findFirst()
				.orElse(sha);
		}
		this.jdbc.update("""
				INSERT INTO restore_drill_run (job_execution_id, job_instance_id, quarter, scope, custodians_drawn,
				  custodians_complete, records_expected, records_verified, success_rate, outcome, report_key,
				  report_sha256, completed_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_execution_id) DO NOTHING
				""", executionId, instanceId, quarter, scope.key(), selected.size(), complete, expected, verified,
				successRate, outcome, key, sha, Timestamp.from(now));
		String summary = String.format(
				"%d of %d custodian(s) restored complete (%s), %d of %d records verified " + "(%.4f%%); report %s",
				complete, selected.size(),
				selected.stream().map(Selected::custodian).reduce((a, b) -> a + ", " + b).orElse("none"), verified,
				expected, successRate * 100, key);
		if (!shortLines.isEmpty()) {
			summary = "restore drill short: " + String.join("; ", shortLines) + " (" + summary + ")";
		}
		return new Report(outcome.equals("complete"), summary, key);
	}

	private static void delete(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot clean the drill's scratch directory " + directory, ex);
		}
	}

	private static Timestamp ts(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static String text(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant().toString() : null;
	}

	/**
	 * A custodian drawn, with the range restored (the lost-phone rehearsal).
	 *
	 * @param custodian the custodian
	 * @param from the range's start, or null
	 * @param to the range's end, or null
	 */
	record Selected(String custodian, Instant from, Instant to) {
	}

	/**
	 * The records first archived for a custodian and what archived them.
	 *
	 * @param owned index rows first archived for them
	 * @param migrationArchived what their migrations archived
	 * @param syncMessages what sync windows read for their accounts
	 * @param problem what does not add up
	 */
	record Reconciled(long owned, long migrationArchived, long syncMessages, Optional<String> problem) {
	}

	/**
	 * One custodian drilled.
	 */
	record Account(String custodian, String outcome, Instant from, Instant to, long indexRecords, long erasedRecords,
			long restoredRecords, long verifiedRecords, Reconciled reconciled, int conversations, long mediaFiles,
			long originals, long files, long bytes, long restoreMillis, long verifyMillis, double messagesPerSecond,
			long shortfallCount, List<RestoredCheck.Shortfall> shortfall) {
	}

	/**
	 * A drill's report.
	 *
	 * @param complete whether every custodian came back complete
	 * @param summary one line
	 * @param key the report's object key
	 */
	record Report(boolean complete, String summary, String key) {
	}

}
