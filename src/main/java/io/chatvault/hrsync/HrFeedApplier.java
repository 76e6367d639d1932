package io.chatvault.hrsync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.chatvault.access.AccessProperties;
import io.chatvault.access.AccountPlatform;
import io.chatvault.access.Actor;
import io.chatvault.access.CsvFile;
import io.chatvault.access.Custodian;
import io.chatvault.access.CustodianAccount;
import io.chatvault.access.Custodians;
import io.chatvault.access.Principals;
import io.chatvault.access.RevokedAccess;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.ExitCode;
import io.chatvault.message.Sha256;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one HR file, whole or not at all. Every row is checked first, against the
 * file's other rows and against the registry; a file with any bad row is rejected: each
 * bad row quarantined with its line number, reason and raw text, nothing applied. A
 * well-formed file is applied in one savepoint: joiners registered, movers moved (and the
 * grants that no longer fit their role revoked), leavers departed (every grant and token
 * of theirs revoked at once, a last sync of their accounts requested), rehires active
 * again. Files are recognised by their SHA-256: one seen before is never applied twice,
 * whatever its name.
 */
@Component
class HrFeedApplier {

	static final Actor ACTOR = Actor.job(HrSyncJobConfiguration.JOB_NAME);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate savepoint;

	private final Custodians custodians;

	private final Principals principals;

	private final AuditLog audit;

	private final Clock clock;

	private final AccessProperties properties;

	HrFeedApplier(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, Custodians custodians,
			Principals principals, AuditLog audit, Clock clock, AccessProperties properties) {
		this.jdbc = jdbc;
		this.savepoint = new TransactionTemplate(transactionManager);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.custodians = custodians;
		this.principals = principals;
		this.audit = audit;
		this.clock = clock;
		this.properties = properties;
	}

	/**
	 * The files of the feed, in name order: the configured file, or the {@code .csv}
	 * files of the configured directory.
	 * @return the files
	 * @throws CommandException if the feed is not configured or missing
	 */
	List<Path> feedFiles() {
		Path feed = this.properties.hrFeed();
		if (feed == null) {
			throw new CommandException(ExitCode.USAGE,
					"chatvault.access.hr-feed is not set: the HR feed (a CSV file or a directory of them)");
		}
		if (Files.isRegularFile(feed)) {
			return List.of(feed);
		}
		if (!Files.isDirectory(feed)) {
			throw new CommandException(ExitCode.INFRASTRUCTURE_UNAVAILABLE,
					"the HR feed " + feed + " (chatvault.access.hr-feed) does not exist");
		}
		try (Stream<Path> files = Files.list(feed)) {
			return files.filter(Files::isRegularFile)
				.filter((file) -> file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"))
				.filter((file) -> !file.getFileName().toString().startsWith("."))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot list the HR feed " + feed + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The next file of the feed not yet applied or rejected.
	 * @return its path and hash, or empty when all are done
	 */
	Optional<FeedFile> nextPending() {
		for (Path file : feedFiles()) {
			byte[] sha256 = sha256(file);
			Integer seen = this.jdbc.queryForObject("SELECT count(*) FROM access_hr_file WHERE sha256 = ?",
					Integer.class, sha256);
			if (seen == null || seen == 0) {
				return Optional.of(new FeedFile(file, sha256));
			}
		}
		return Optional.empty();
	}

	/**
	 * Applies a file or rejects it, and records which.
	 * @param feedFile the file
	 * @param executionId the job execution
	 * @param hour the run's hour
	 * @return whether it was applied, and its bad rows
	 */
	CsvFile.Parsed<HrRow> apply(FeedFile feedFile, long executionId, String hour) {
		Path file = feedFile.path();
		CsvFile.Parsed<HrRow> parsed = check(CsvFile.read(file, HrRow.REQUIRED, HrRow.COLUMNS, HrRow::of));
		if (parsed.wellFormed()) {
			List<CsvFile.Row<HrRow>> rows = parsed.rows();
			try {
				this.savepoint.executeWithoutResult((status) -> applyRows(file, rows, executionId, hour));
			}
			catch (RowConflict conflict) {
				parsed = new CsvFile.Parsed<>(parsed.rows(), List.of(conflict.bad));
			}
		}
		String name = file.getFileName().toString();
		if (!parsed.wellFormed()) {
			for (CsvFile.BadRow bad : parsed.bad()) {
				this.jdbc.update(
						"INSERT INTO access_hr_quarantine (job_execution_id, hour, file_name, file_sha256, "
								+ "line, reason, raw, quarantined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
						executionId, hour, name, feedFile.sha256(), bad.line(), bad.reason(),
						bad.raw().getBytes(StandardCharsets.UTF_8), now());
			}
		}
		String outcome = parsed.wellFormed() ? "applied" : "rejected";
		long size;
		try {
			size = Files.size(file);
		}
		catch (IOException ex) {
			size = -1;
		}
		this.jdbc.update(
				"INSERT INTO access_hr_file (sha256, file_name, size, rows_read, rows_bad, outcome, "
						+ "job_execution_id, hour, processed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				feedFile.sha256(), name, size, parsed.rows().size() + parsed.bad().size(), parsed.bad().size(), outcome,
				executionId, hour, now());
		Map<String, Object> details = new HashMap<>();
		details.put("file", file.toString());
		details.put("sha256", HexFormat.of().formatHex(feedFile.sha256()));
		details.put("rows", parsed.rows().size() + parsed.bad().size());
		details.put("badRows", parsed.bad().stream().map((bad) -> bad.line() + ": " + bad.reason()).toList());
		this.audit.append(new AuditEvent(ACTOR.id(), "", "hr.file." + (parsed.wellFormed() ? "apply" : "reject"),
				"execution:" + executionId, parsed.wellFormed() ? "success" : "rejected", details));
		return parsed;
	}

	/**
	 * Checks rows against each other and against the registry.
	 */
	private CsvFile.Parsed<HrRow> check(CsvFile.Parsed<HrRow> parsed) {
		List<CsvFile.BadRow> bad = new ArrayList<>(parsed.bad());
		Map<String, Long> employees = new HashMap<>();
		Map<String, Long> custodianIds = new HashMap<>();
		Map<CustodianAccount, Long> accounts = new HashMap<>();
		for (CsvFile.Row<HrRow> row : parsed.rows()) {
			try {
				checkRow(row, employees, custodianIds, accounts);
			}
			catch (IllegalArgumentException ex) {
				bad.add(new CsvFile.BadRow(row.line(), ex.getMessage(), row.raw()));
			}
		}
		bad.sort(java.util.Comparator.comparingLong(CsvFile.BadRow::line));
		return new CsvFile.Parsed<>(parsed.rows(), bad);
	}

	private void checkRow(CsvFile.Row<HrRow> row, Map<String, Long> employees, Map<String, Long> custodianIds,
			Map<CustodianAccount, Long> accounts) {
		HrRow hr = row.value();
		Long earlier = employees.putIfAbsent(hr.employeeId(), row.line());
		if (earlier != null) {
			throw new IllegalArgumentException("employee " + hr.employeeId() + " is also on line " + earlier);
		}
		Optional<Custodian> known = known(hr);
		if (known.isEmpty() && !hr.left()) {
			if (hr.custodianId().isEmpty() || hr.name().isEmpty() || hr.group().isEmpty()) {
				throw new IllegalArgumentException("joiner " + hr.employeeId()
						+ " needs custodian_id, name and group (no custodian has this employee id)");
			}
		}
		if (known.isPresent() && hr.custodianId().isPresent() && !hr.custodianId().get().equals(known.get().id())) {
			throw new IllegalArgumentException("employee " + hr.employeeId() + " is custodian " + known.get().id()
					+ ", not " + hr.custodianId().get());
		}
		Optional<String> custodianId = known.map(Custodian::id).or(hr::custodianId);
		if (custodianId.isPresent()) {
			Long other = custodianIds.putIfAbsent(custodianId.get(), row.line());
			if (other != null) {
				throw new IllegalArgumentException("custodian " + custodianId.get() + " is also on line " + other);
			}
		}
		// the forms of ids are checked by building the custodian as it would be saved
		if (!hr.left()) {
			target(hr, known);
		}
		for (CustodianAccount account : hr.allAccounts()) {
			Long line = accounts.putIfAbsent(account, row.line());
			if (line != null) {
				throw new IllegalArgumentException("account " + account + " is also on line " + line);
			}
			Optional<Custodian> owner = this.custodians.byAccount(account.platform(), account.accountId());
			if (owner.isPresent() && !owner.get().id().equals(custodianId.orElse(""))) {
				throw new IllegalArgumentException(
						"account " + account + " belongs to custodian " + owner.get().id() + " in the registry");
			}
		}
	}

	/**
	 * The registered custodian of an HR row: by employee id, or by the custodian id of a
	 * custodian registered without one.
	 */
	private Optional<Custodian> known(HrRow hr) {
		Optional<Custodian> byEmployee = this.custodians.byHrEmployeeId(hr.employeeId());
		if (byEmployee.isPresent()) {
			return byEmployee;
		}
		Optional<Custodian> byId = hr.custodianId().flatMap(this.custodians::find);
		if (byId.isPresent() && byId.get().hrEmployeeId().isPresent()) {
			throw new IllegalArgumentException("custodian " + byId.get().id() + " is employee "
					+ byId.get().hrEmployeeId().get() + ", not " + hr.employeeId());
		}
		return byId;
	}

	private Custodian target(HrRow hr, Optional<Custodian> known) {
		Map<AccountPlatform, List<CustodianAccount>> accounts = new EnumMap<>(AccountPlatform.class);
		known.ifPresent((custodian) -> custodian.accounts()
			.forEach((account) -> accounts.computeIfAbsent(account.platform(), (p) -> new ArrayList<>()).add(account)));
		accounts.putAll(hr.accounts());
		return new Custodian(known.map(Custodian::id).orElseGet(() -> hr.custodianId().orElseThrow()),
				hr.name().or(() -> known.map(Custodian::name)).orElseThrow(), Optional.of(hr.employeeId()),
				hr.group().or(() -> known.map(Custodian::group)).orElseThrow(), Custodian.Status.ACTIVE,
				Optional.empty(), known.flatMap(Custodian::consent),
				accounts.values().stream().flatMap(List::stream).toList());
	}

	private void applyRows(Path file, List<CsvFile.Row<HrRow>> rows, long executionId, String hour) {
		String name = file.getFileName().toString();
		for (CsvFile.Row<HrRow> row : rows) {
			HrRow hr = row.value();
			try {
				Optional<Custodian> known = known(hr);
				if (hr.left()) {
					leave(name, row, known, executionId, hour);
					continue;
				}
				Custodian before = known.orElse(null);
				Custodians.Change change = this.custodians.save(target(hr, known), ACTOR);
				String custodianId = known.map(Custodian::id).orElseGet(() -> hr.custodianId().orElseThrow());
				switch (change) {
					case CREATED -> record(executionId, hour, name, row, custodianId, "joiner",
							"joined group " + hr.group().orElseThrow(), RevokedAccess.NONE);
					case MOVED -> {
						RevokedAccess revoked = this.principals.revokeGrantsBeyondRole(custodianId,
								"moved from group " + before.group() + " to " + hr.group().orElseThrow(), ACTOR);
						record(executionId, hour, name, row, custodianId, "mover",
								before.group() + " -> " + hr.group().orElseThrow(), revoked);
					}
					case UPDATED -> record(executionId, hour, name, row, custodianId, "update", "name or accounts",
							RevokedAccess.NONE);
					case REHIRED -> record(executionId, hour, name, row, custodianId, "rehire",
							"active again; no access restored", RevokedAccess.NONE);
					default -> {
					}
				}
			}
			catch (IllegalArgumentException ex) {
				throw new RowConflict(new CsvFile.BadRow(row.line(), ex.getMessage(), row.raw()));
			}
		}
	}

	private void leave(String file, CsvFile.Row<HrRow> row, Optional<Custodian> known, long executionId, String hour) {
		HrRow hr = row.value();
		String reason = "left on " + hr.departureDate().orElseThrow() + " (HR feed " + file + ":" + row.line() + ")";
		if (known.isPresent()) {
			if (!known.get().active()) {
				// departed before; the sweep revokes anything left over
				return;
			}
			Custodians.Departure departure = this.custodians.depart(known.get().id(), hr.departureDate().orElseThrow(),
					ACTOR);
			record(executionId, hour, file, row, known.get().id(),
					departure.effective() ? "leaver" : "leaver-scheduled",
					departure.effective() ? "departed " + departure.date() + "; " + departure.lastSyncRequests()
							+ " last sync(s) requested" : "departs " + departure.date(),
					departure.revoked());
			return;
		}
		RevokedAccess revoked = this.principals.revokeEmployee(hr.employeeId(), reason, ACTOR);
		record(executionId, hour, file, row, null, (revoked.principals() > 0) ? "leaver" : "leaver-unknown",
				(revoked.principals() > 0) ? "principal(s) without custodian disabled"
						: "no custodian or principal has this employee id",
				revoked);
	}

	void record(long executionId, String hour, String file, CsvFile.Row<HrRow> row, String custodianId, String change,
			String detail, RevokedAccess revoked) {
		this.jdbc.update(
				"INSERT INTO access_hr_change (job_execution_id, hour, file_name, line, employee_id, "
						+ "custodian_id, change, detail, grants_revoked, tokens_revoked, applied_at) "
						+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				executionId, hour, file, (row != null) ? row.line() : null,
				(row != null) ? row.value().employeeId() : null, custodianId, change, detail, revoked.grants(),
				revoked.tokens(), now());
	}

	private Timestamp now() {
		return Timestamp.from(this.clock.instant());
	}

	private static byte[] sha256(Path file) {
		MessageDigest digest = Sha256.digest();
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
			in.transferTo(java.io.OutputStream.nullOutputStream());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the HR file " + file + ": " + ex.getMessage(), ex);
		}
		return digest.digest();
	}

	/**
	 * A file of the feed.
	 *
	 * @param path where it is
	 * @param sha256 the SHA-256 of its content
	 */
	record FeedFile(Path path, byte[] sha256) {
	}

	/** A row that the registry refused while applying: the file is rolled back. */
	private static final class RowConflict extends RuntimeException {

		private final CsvFile.BadRow bad;

		RowConflict(CsvFile.BadRow bad) {
			super(bad.reason(), null, false, false);
			this.bad = bad;
		}

	}

}
