package io.chatvault.access;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.message.SourcePlatform;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The custodian registry: who the employees whose chats are archived are, their accounts
 * on each platform, their group, whether they are still employed, and their consent.
 * Migration and sync attribute records through {@link #byAccount}; sync routes by
 * {@link #group}; supervisors' grants cover a group's custodians.
 * <p>
 * Every change is an audit-log entry ({@code custodian.create}, {@code custodian.update},
 * {@code custodian.consent}, {@code custodian.depart}) in the same transaction as the
 * change. A departure revokes at once every grant and token of the principals who are
 * that employee, and requests a last sync of their accounts.
 */
@Service
public class Custodians {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final AuditLog audit;

	private final Clock clock;

	private final Revocations revocations;

	Custodians(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, AuditLog audit, Clock clock,
			Revocations revocations) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.audit = audit;
		this.clock = clock;
		this.revocations = revocations;
	}

	/**
	 * A custodian by id.
	 * @param id the custodian id
	 * @return the custodian, if registered
	 */
	public Optional<Custodian> find(String id) {
		return this.jdbc.query("SELECT * FROM access_custodian WHERE id = ?", this::custodian, id).stream().findFirst();
	}

	/**
	 * The custodian an account belongs to: how migration and sync attribute a record.
	 * @param platform the platform
	 * @param accountId the account id in any written form ({@code +49 170 1234567})
	 * @return the custodian, if the account is registered (empty also for an id that is
	 * not of the platform's form)
	 */
	public Optional<Custodian> byAccount(AccountPlatform platform, String accountId) {
		String canonical;
		try {
			canonical = platform.normalize(accountId);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		return this.jdbc
			.query("SELECT c.* FROM access_custodian c JOIN access_custodian_account a ON a.custodian_id = c.id "
					+ "WHERE a.platform = ? AND a.account_id = ?", this::custodian, platform.key(), canonical)
			.stream()
			.findFirst();
	}

	/**
	 * The custodian an account of a record's source belongs to.
	 * @param source the source of the record
	 * @param accountId the author's account id
	 * @return the custodian, if registered
	 */
	public Optional<Custodian> byAccount(SourcePlatform source, String accountId) {
		return byAccount(AccountPlatform.of(source), accountId);
	}

	/**
	 * A custodian by HR employee id.
	 * @param hrEmployeeId the employee id in the HR system
	 * @return the custodian, if registered
	 */
	public Optional<Custodian> byHrEmployeeId(String hrEmployeeId) {
		return this.jdbc.query("SELECT * FROM access_custodian WHERE hr_employee_id = ?", this::custodian, hrEmployeeId)
			.stream()
			.findFirst();
	}

	/**
	 * The group of a custodian: what sync routes by.
	 * @param custodianId the custodian id
	 * @return the group, if the custodian is registered
	 */
	public Optional<String> group(String custodianId) {
		return this.jdbc.queryForList("SELECT group_name FROM access_custodian WHERE id = ?", String.class, custodianId)
			.stream()
			.findFirst();
	}

	/**
	 * The ids of a group's custodians, departed ones included (their archive stays in the
	 * group's scope).
	 * @param group the group
	 * @return the custodian ids, sorted
	 */
	public List<String> idsInGroup(String group) {
		return this.jdbc.queryForList("SELECT id FROM access_custodian WHERE group_name = ? ORDER BY id", String.class,
				group);
	}

	/**
	 * The registry, or one group of it.
	 * @param group a group, or empty for all
	 * @return the custodians by id
	 */
	public List<Custodian> list(Optional<String> group) {
		Map<String, List<CustodianAccount>> accounts = new TreeMap<>();
		this.jdbc.query("SELECT custodian_id, platform, account_id FROM access_custodian_account "
				+ "ORDER BY custodian_id, platform, account_id", (ResultSet rs) -> {
					accounts.computeIfAbsent(rs.getString(1), (id) -> new ArrayList<>())
						.add(new CustodianAccount(AccountPlatform.fromKey(rs.getString(2)).orElseThrow(),
								rs.getString(3)));
				});
		return this.jdbc.query(
				"SELECT * FROM access_custodian WHERE CAST(? AS TEXT) IS NULL OR group_name = ? ORDER BY id",
				(rs, row) -> custodian(rs, accounts.getOrDefault(rs.getString("id"), List.of())), group.orElse(null),
				group.orElse(null));
	}

	/**
	 * Registers a custodian or updates one: name, HR id, group, accounts (the given set
	 * replaces the registered one) and consent when given. A custodian given as departed
	 * who is registered as active departs ({@link #depart}).
	 * @param custodian the custodian as it should be
	 * @param actor who changes it
	 * @return what changed
	 * @throws IllegalArgumentException if an account belongs to another custodian
	 */
	public Change save(Custodian custodian, Actor actor) {
		return this.transaction.execute((status) -> {
			Optional<Custodian> current = find(custodian.id());
			checkAccountsFree(custodian.id(), custodian.accounts());
			Instant now = this.clock.instant();
			if (current.isEmpty()) {
				this.jdbc.update(
						"INSERT INTO access_custodian (id, name, hr_employee_id, group_name, status, departure_date, "
								+ "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
						custodian.id(), custodian.name(), custodian.hrEmployeeId().orElse(null), custodian.group(),
						custodian.status().key(), custodian.departureDate().map(Date::valueOf).orElse(null),
						Timestamp.from(now), Timestamp.from(now));
				replaceAccounts(custodian.id(), custodian.accounts(), now);
				custodian.consent().ifPresent((consent) -> storeConsent(custodian.id(), consent));
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("group", custodian.group());
				details.put("status", custodian.status().key());
				custodian.hrEmployeeId().ifPresent((hr) -> details.put("hrEmployeeId", hr));
				details.put("accounts", custodian.accounts().stream().map(CustodianAccount::toString).toList());
				custodian.departureDate().ifPresent((date) -> details.put("departureDate", date.toString()));
				details.put("consent", custodian.consent().isPresent());
				append(actor, "custodian.create", custodian.id(), details);
				return Change.CREATED;
			}
			Custodian before = current.get();
			Map<String, Object> changes = new LinkedHashMap<>();
			if (!before.name().equals(custodian.name())) {
				changes.put("name", custodian.name());
			}
			if (!before.hrEmployeeId().equals(custodian.hrEmployeeId())) {
				changes.put("hrEmployeeId", custodian.hrEmployeeId().orElse(""));
			}
			if (!before.group().equals(custodian.group())) {
				changes.put("group", before.group() + " -> " + custodian.group());
			}
			Set<CustodianAccount> added = new LinkedHashSet<>(custodian.accounts());
			before.accounts().forEach(added::remove);
			Set<CustodianAccount> removed = new LinkedHashSet<>(before.accounts());
			custodian.accounts().forEach(removed::remove);
			if (!added.isEmpty()) {
				changes.put("accountsAdded", added.stream().map(CustodianAccount::toString).toList());
			}
			if (!removed.isEmpty()) {
				changes.put("accountsRemoved", removed.stream().map(CustodianAccount::toString).toList());
			}
			Change change = Change.UNCHANGED;
			if (!changes.isEmpty()) {
				this.jdbc.update(
						"UPDATE access_custodian SET name = ?, hr_employee_id = ?, group_name = ?, updated_at = ? "
								+ "WHERE id = ?",
						custodian.name(), custodian.hrEmployeeId().orElse(null), custodian.group(), Timestamp.from(now),
						custodian.id());
				replaceAccounts(custodian.id(), custodian.accounts(), now);
				append(actor, "custodian.update", custodian.id(), changes);
				change = changes.containsKey("group") ? Change.MOVED : Change.UPDATED;
			}
			if (custodian.consent().isPresent() && !custodian.consent().equals(before.consent())) {
				recordConsent(custodian.id(), custodian.consent().get(), actor);
				change = (change == Change.UNCHANGED) ? Change.UPDATED : change;
			}
			if (custodian.status() == Custodian.Status.DEPARTED && before.active()) {
				depart(custodian.id(), custodian.departureDate().orElseThrow(), actor);
				change = Change.DEPARTED;
			}
			else if (custodian.status() == Custodian.Status.ACTIVE && !before.active()) {
				this.jdbc.update("UPDATE access_custodian SET status = 'active', departure_date = NULL, updated_at = ? "
						+ "WHERE id = ?", Timestamp.from(now), custodian.id());
				append(actor, "custodian.rehire", custodian.id(),
						Map.of("departedOn", before.departureDate().map(LocalDate::toString).orElse("")));
				change = Change.REHIRED;
			}
			return change;
		});
	}

	/**
	 * Imports a registry file ({@link RegistryCsv}): every row checked first; a file with
	 * a bad row changes nothing, and one whose rows conflict with the registry (an
	 * account of another custodian) is rolled back whole.
	 * @param file the CSV file
	 * @param actor who imports it
	 * @return the bad rows (nothing imported) or the changes made
	 * @throws IllegalArgumentException if a row conflicts with the registry (nothing
	 * imported)
	 */
	public Import importFile(java.nio.file.Path file, Actor actor) {
		CsvFile.Parsed<Custodian> parsed = RegistryCsv.read(file);
		if (!parsed.wellFormed()) {
			return new Import(parsed.bad(), Map.of());
		}
		return this.transaction.execute((status) -> {
			Map<Change, Integer> changes = new java.util.EnumMap<>(Change.class);
			for (CsvFile.Row<Custodian> row : parsed.rows()) {
				try {
					changes.merge(save(row.value(), actor), 1, Integer::sum);
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(
							file + ":" + row.line() + ": " + ex.getMessage() + "; nothing imported", ex);
				}
			}
			return new Import(List.of(), changes);
		});
	}

	/**
	 * What an import did.
	 *
	 * @param bad the rows that could not be read (then nothing was imported)
	 * @param changes how many custodians were created, updated, moved, departed
	 */
	public record Import(List<CsvFile.BadRow> bad, Map<Change, Integer> changes) {
	}

	/**
	 * Records a custodian's signed consent.
	 * @param custodianId the custodian
	 * @param consent the consent
	 * @param actor who records it
	 * @throws IllegalArgumentException if the custodian is not registered
	 */
	public void recordConsent(String custodianId, Consent consent, Actor actor) {
		this.transaction.executeWithoutResult((status) -> {
			if (storeConsent(custodianId, consent) == 0) {
				throw new IllegalArgumentException("no custodian " + custodianId);
			}
			append(actor, "custodian.consent", custodianId, Map.of("document", consent.document(), "sha256",
					consent.sha256(), "version", consent.version(), "signedOn", consent.signedOn().toString()));
		});
	}

	/**
	 * A custodian leaves. On or after the departure date (UTC, by the clock) they are
	 * marked departed at once: their archive is kept, every grant and token of the
	 * principals who are this employee (linked to the custodian or by HR id) is revoked,
	 * those principals are disabled, and a last sync of each of their accounts is
	 * requested. A date still to come is kept, and {@link #applyDueDepartures} applies it
	 * when it comes.
	 * @param custodianId the custodian
	 * @param date the first day they no longer work here
	 * @param actor who records the departure
	 * @return what was done
	 * @throws IllegalArgumentException if the custodian is not registered
	 */
	public Departure depart(String custodianId, LocalDate date, Actor actor) {
		return this.transaction.execute((status) -> {
			Custodian custodian = find(custodianId)
				.orElseThrow(() -> new IllegalArgumentException("no custodian " + custodianId));
			Instant now = this.clock.instant();
			if (date.isAfter(today())) {
				this.jdbc.update("UPDATE access_custodian SET departure_date = ?, updated_at = ? WHERE id = ?",
						Date.valueOf(date), Timestamp.from(now), custodianId);
				append(actor, "custodian.depart.schedule", custodianId, Map.of("departureDate", date.toString()));
				return new Departure(custodianId, date, false, RevokedAccess.NONE, 0);
			}
			if (custodian.active()) {
				this.jdbc.update("UPDATE access_custodian SET status = 'departed', departure_date = ?, updated_at = ? "
						+ "WHERE id = ?", Date.valueOf(date), Timestamp.from(now), custodianId);
			}
			RevokedAccess revoked = this.revocations.revokeEmployee(custodianId, custodian.hrEmployeeId(), actor,
					"departed on " + date);
			int lastSyncs = 0;
			for (CustodianAccount account : custodian.accounts()) {
				lastSyncs += this.jdbc.update("INSERT INTO access_last_sync_request (custodian_id, platform, "
						+ "account_id, reason, requested_at, requested_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
						custodianId, account.platform().key(), account.accountId(), "departure " + date,
						Timestamp.from(now), actor.id());
			}
			if (custodian.active()) {
				append(actor, "custodian.depart", custodianId,
						Map.of("departureDate", date.toString(), "grantsRevoked", revoked.grants(), "tokensRevoked",
								revoked.tokens(), "principalsDisabled", revoked.principals(), "lastSyncRequested",
								lastSyncs));
			}
			return new Departure(custodianId, date, true, revoked, lastSyncs);
		});
	}

	/**
	 * Applies the departures whose day has come, and revokes whatever is still live for a
	 * custodian who has already departed (a grant given after the departure, a token
	 * created by hand): the sweep that the hourly HR sync runs.
	 * @param actor who applies them
	 * @return the departures applied or completed, by custodian id
	 */
	public List<Departure> applyDueDepartures(Actor actor) {
		List<String> due = this.jdbc.queryForList(
				"""
						SELECT c.id FROM access_custodian c
						WHERE (c.status = 'active' AND c.departure_date <= ?)
						   OR (c.status = 'departed' AND EXISTS (
						        SELECT 1 FROM access_principal p
						        WHERE (p.custodian_id = c.id OR p.hr_employee_id = c.hr_employee_id)
						          AND (p.disabled_at IS NULL
						               OR EXISTS (SELECT 1 FROM access_grant g WHERE g.principal_id = p.id AND g.revoked_at IS NULL)
						               OR EXISTS (SELECT 1 FROM access_token t WHERE t.principal_id = p.id AND t.revoked_at IS NULL))))
						ORDER BY c.id
						""",
				String.class, Date.valueOf(today()));
		List<Departure> applied = new ArrayList<>();
		for (String id : due) {
			Custodian custodian = find(id).orElseThrow();
			applied.add(depart(id, custodian.departureDate().orElseThrow(), actor));
		}
		return applied;
	}

	/**
	 * The open requests for a last sync of a departed custodian's accounts: what the sync
	 * job reads.
	 * @return the open requests, oldest first
	 */
	public List<LastSyncRequest> openLastSyncRequests() {
		return this.jdbc.query(
				"SELECT id, custodian_id, platform, account_id, reason, requested_at "
						+ "FROM access_last_sync_request WHERE fulfilled_at IS NULL ORDER BY requested_at, id",
				(rs, row) -> new LastSyncRequest(rs.getLong(1), rs.getString(2),
						AccountPlatform.fromKey(rs.getString(3)).orElseThrow(), rs.getString(4), rs.getString(5),
						rs.getTimestamp(6).toInstant()));
	}

	/**
	 * Marks a last-sync request done.
	 * @param requestId the request
	 * @param by who fulfilled it (the sync job execution, say {@code job:sync#42})
	 * @return whether it was open
	 */
	public boolean fulfilLastSync(long requestId, String by) {
		return this.jdbc.update(
				"UPDATE access_last_sync_request SET fulfilled_at = ?, fulfilled_by = ? "
						+ "WHERE id = ? AND fulfilled_at IS NULL",
				Timestamp.from(this.clock.instant()), by, requestId) == 1;
	}

	private LocalDate today() {
		return LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
	}

	private void checkAccountsFree(String custodianId, List<CustodianAccount> accounts) {
		for (CustodianAccount account : accounts) {
			List<String> owner = this.jdbc.queryForList(
					"SELECT custodian_id FROM access_custodian_account WHERE platform = ? AND account_id = ?",
					String.class, account.platform().key(), account.accountId());
			if (!owner.isEmpty() && !owner.get(0).equals(custodianId)) {
				throw new IllegalArgumentException(
						"account " + account + " already belongs to custodian " + owner.get(0));
			}
		}
	}

	private void replaceAccounts(String custodianId, List<CustodianAccount> accounts, Instant now) {
		this.jdbc.update("DELETE FROM access_custodian_account WHERE custodian_id = ?", custodianId);
		for (CustodianAccount account : new LinkedHashSet<>(accounts)) {
			this.jdbc.update(
					"INSERT INTO access_custodian_account (platform, account_id, custodian_id, added_at) "
							+ "VALUES (?, ?, ?, ?)",
					account.platform().key(), account.accountId(), custodianId, Timestamp.from(now));
		}
	}

	private int storeConsent(String custodianId, Consent consent) {
		return this.jdbc.update(
				"UPDATE access_custodian SET consent_document = ?, consent_sha256 = ?, consent_version = ?, "
						+ "consent_signed_on = ?, updated_at = ? WHERE id = ?",
				consent.document(), consent.sha256Bytes(), consent.version(), Date.valueOf(consent.signedOn()),
				Timestamp.from(this.clock.instant()), custodianId);
	}

	private void append(Actor actor, String action, String custodianId, Map<String, Object> details) {
		this.audit
			.append(new AuditEvent(actor.id(), actor.role(), action, "custodian:" + custodianId, "success", details));
	}

	private Custodian custodian(ResultSet rs, int row) throws SQLException {
		List<CustodianAccount> accounts = this.jdbc.query(
				"SELECT platform, account_id FROM access_custodian_account WHERE custodian_id = ? "
						+ "ORDER BY platform, account_id",
				(a, n) -> new CustodianAccount(AccountPlatform.fromKey(a.getString(1)).orElseThrow(), a.getString(2)),
				rs.getString("id"));
		return custodian(rs, accounts);
	}

	private static Custodian custodian(ResultSet rs, List<CustodianAccount> accounts) throws SQLException {
		Date departure = rs.getDate("departure_date");
		Optional<Consent> consent = Optional.empty();
		if (rs.getString("consent_document") != null) {
			consent = Optional.of(new Consent(rs.getString("consent_document"),
					HexFormat.of().formatHex(rs.getBytes("consent_sha256")), rs.getString("consent_version"),
					rs.getDate("consent_signed_on").toLocalDate()));
		}
		return new Custodian(rs.getString("id"), rs.getString("name"),
				Optional.ofNullable(rs.getString("hr_employee_id")), rs.getString("group_name"),
				Custodian.Status.fromKey(rs.getString("status")), Optional.ofNullable(departure).map(Date::toLocalDate),
				consent, accounts);
	}

	/** What {@link #save} changed. */
	public enum Change {

		/** A new custodian. */
		CREATED,

		/** Name, HR id, accounts or consent changed. */
		UPDATED,

		/** The group changed (a mover). */
		MOVED,

		/** The custodian departed. */
		DEPARTED,

		/** A departed custodian is employed again. */
		REHIRED,

		/** Nothing changed. */
		UNCHANGED

	}

	/**
	 * A departure recorded or applied.
	 *
	 * @param custodianId the custodian
	 * @param date the first day they no longer work here
	 * @param effective whether it is applied (false: scheduled for a later day)
	 * @param revoked the grants, tokens and principals revoked
	 * @param lastSyncRequests the last syncs of accounts requested
	 */
	public record Departure(String custodianId, LocalDate date, boolean effective, RevokedAccess revoked,
			int lastSyncRequests) {
	}

	/**
	 * A request for one last sync of a departed custodian's account.
	 *
	 * @param id the request id ({@link #fulfilLastSync})
	 * @param custodianId the custodian
	 * @param platform the platform
	 * @param accountId the account
	 * @param reason why ({@code departure <date>})
	 * @param requestedAt when it was requested
	 */
	public record LastSyncRequest(long id, String custodianId, AccountPlatform platform, String accountId,
			String reason, Instant requestedAt) {
	}

}
