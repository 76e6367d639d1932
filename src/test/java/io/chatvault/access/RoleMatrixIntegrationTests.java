package io.chatvault.access;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.chatvault.audit.AuditEvent;
import io.chatvault.cli.ExitCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Done means 1: what each role may and may not do, every refusal logged. One principal
 * per role in a small organisation (groups sales: alice, bob, sam; trading: carol), each
 * row an operation over a scope, each cell allowed (Y) or refused (N). A refusal must be
 * exit code 11 with one {@code access.denied} entry naming the principal, operation and
 * reason; an allowance one {@code authorized} entry whose effective scope is exactly what
 * the role permits.
 * <p>
 * Rows go through the authorization API that every reader calls. Restore (issue 15) and
 * the audit-log reader (issue 11) call it with {@link Operation#CONTENT_RESTORE} and
 * {@link Operation#AUDIT_READ}; when their commands land, add rows that run the commands
 * themselves (a {@link Row} whose attempt runs the CLI) to the same table.
 */
class RoleMatrixIntegrationTests {

	@TempDir
	static Path home;

	static AccessFixture fixture;

	static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);

	static final Map<Role, String> PRINCIPALS = Map.of(Role.EMPLOYEE, "alice-p", Role.SUPERVISOR, "sam-p",
			Role.COMPLIANCE, "cora", Role.AUDITOR, "audrey", Role.OPERATOR, "otto", Role.ADMIN, "ada");

	/** Columns: employee, supervisor, compliance, auditor, operator, admin. */
	static final List<Row> MATRIX = List.of(
	// @formatter:off
			new Row("read own conversations", Operation.CONTENT_READ, ContentScope.custodians("alice"), "YYYNNN"),
			new Row("read a colleague in the group", Operation.CONTENT_READ, ContentScope.custodians("bob"), "NYYNNN"),
			new Row("read another group", Operation.CONTENT_READ, ContentScope.custodians("carol"), "NNYNNN"),
			new Row("read all permitted", Operation.CONTENT_READ, ContentScope.everythingPermitted(), "YYYNNN"),
			new Row("restore own history", Operation.CONTENT_RESTORE, ContentScope.custodians("alice"), "YYYNNN"),
			new Row("restore a colleague", Operation.CONTENT_RESTORE, ContentScope.custodians("bob"), "NYYNNN"),
			new Row("restore another group", Operation.CONTENT_RESTORE, ContentScope.custodians("carol"), "NNYNNN"),
			new Row("restore two groups", Operation.CONTENT_RESTORE, ContentScope.custodians("bob", "carol"), "NNYNNN"),
			new Row("export for a regulator", Operation.CONTENT_EXPORT, ContentScope.custodians("alice"), "NNYNNN"),
			new Row("place a legal hold", Operation.HOLD_MANAGE, ContentScope.NONE, "NNYNNN"),
			new Row("set a retention policy or erase", Operation.RETENTION_MANAGE, ContentScope.NONE, "NNYNNN"),
			new Row("read the audit log", Operation.AUDIT_READ, ContentScope.NONE, "NNYYNN"),
			new Row("verify the audit log", Operation.AUDIT_VERIFY, ContentScope.NONE, "NNYYNN"),
			new Row("read reports", Operation.REPORT_READ, ContentScope.NONE, "NNYYNN"),
			new Row("run and restart jobs", Operation.JOB_OPERATE, ContentScope.NONE, "NNNNYN"),
			new Row("grant access", Operation.ACCESS_ADMIN, ContentScope.NONE, "NNNNNY"));
	// @formatter:on

	@BeforeAll
	static void organisation() {
		fixture = AccessFixture.start(home);
		fixture.custodian("alice", "sales");
		fixture.custodian("bob", "sales");
		fixture.custodian("sam", "sales");
		fixture.custodian("carol", "trading");
		TOKENS.put(Role.EMPLOYEE,
				fixture.principal("alice-p", Optional.of("alice"), Role.EMPLOYEE, GrantScope.custodian("alice")));
		TOKENS.put(Role.SUPERVISOR,
				fixture.principal("sam-p", Optional.of("sam"), Role.SUPERVISOR, GrantScope.group("sales")));
		TOKENS.put(Role.COMPLIANCE, fixture.principal("cora", Optional.empty(), Role.COMPLIANCE, GrantScope.ALL));
		TOKENS.put(Role.AUDITOR, fixture.principal("audrey", Optional.empty(), Role.AUDITOR, GrantScope.NONE));
		TOKENS.put(Role.OPERATOR, fixture.principal("otto", Optional.empty(), Role.OPERATOR, GrantScope.NONE));
		TOKENS.put(Role.ADMIN, fixture.principal("ada", Optional.empty(), Role.ADMIN, GrantScope.NONE));
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	static Stream<Arguments> cells() {
		List<Arguments> cells = new ArrayList<>();
		for (Row row : MATRIX) {
			for (Role role : Role.values()) {
				cells.add(Arguments.of(row, role, row.allowed(role)));
			}
		}
		return cells.stream();
	}

	@ParameterizedTest(name = "{1}: {0} -> {2}")
	@MethodSource("cells")
	void eachRoleMayDoExactlyItsOperationsAndEveryRefusalIsLogged(Row row, Role role, boolean allowed) {
		// given
		long before = fixture.lastSequence();
		String principal = PRINCIPALS.get(role);

		// when
		AccessDeniedException denied = catchThrowableOfType(AccessDeniedException.class,
				() -> fixture.authorize(TOKENS.get(role), row.operation(), row.scope()));

		// then
		List<AuditEvent> entries = fixture.entriesAfter(before);
		assertThat(entries).hasSize(1);
		AuditEvent entry = entries.get(0);
		assertThat(entry.actor()).isEqualTo(principal);
		if (allowed) {
			assertThat(denied).isNull();
			assertThat(entry.action()).isEqualTo(row.operation().action());
			assertThat(entry.outcome()).isEqualTo("authorized");
			assertThat(entry.role()).isEqualTo(role.key());
		}
		else {
			assertThat(denied).isNotNull();
			assertThat(denied.exitCode()).isEqualTo(ExitCode.ACCESS_DENIED);
			assertThat(denied.getMessage()).startsWith("access denied: " + principal).doesNotContain("\n");
			assertThat(entry.action()).isEqualTo("access.denied");
			assertThat(entry.outcome()).isEqualTo("denied");
			assertThat(entry.details()).containsEntry("operation", row.operation().action())
				.containsEntry("reason", denied.reason())
				.containsEntry("client", "tester@host")
				.containsKey("tokenId");
			assertThat(denied.reason()).isIn("no-grant", "outside-scope");
		}
	}

	@Test
	void theEffectiveScopeOfReadingAllPermittedIsWhatEachRoleCovers() {
		// when
		Access employee = fixture.authorize(TOKENS.get(Role.EMPLOYEE), Operation.CONTENT_READ,
				ContentScope.everythingPermitted());
		Access supervisor = fixture.authorize(TOKENS.get(Role.SUPERVISOR), Operation.CONTENT_READ,
				ContentScope.everythingPermitted());
		Access compliance = fixture.authorize(TOKENS.get(Role.COMPLIANCE), Operation.CONTENT_READ,
				ContentScope.everythingPermitted());

		// then
		assertThat(employee.effective().custodians()).containsExactly("alice");
		assertThat(supervisor.effective().custodians()).containsExactly("alice", "bob", "sam");
		assertThat(supervisor.permits("carol")).isFalse();
		assertThat(compliance.effective().all()).isTrue();
		assertThat(compliance.permits("carol")).isTrue();
		assertThat(compliance.permits("unassigned")).isTrue();
	}

	@Test
	void withoutAValidTokenEveryOperationIsRefusedAndLogged() {
		for (Operation operation : Operation.values()) {
			// given
			long before = fixture.lastSequence();

			// when / then
			assertThatThrownBy(() -> fixture.authorize(null, operation, ContentScope.NONE))
				.isInstanceOfSatisfying(AccessDeniedException.class, (ex) -> {
					assertThat(ex.reason()).isEqualTo("no-token");
					assertThat(ex.exitCode()).isEqualTo(ExitCode.ACCESS_DENIED);
				});
			assertThatThrownBy(
					() -> fixture.authorize("cvt_000000000000_" + "A".repeat(43), operation, ContentScope.NONE))
				.isInstanceOfSatisfying(AccessDeniedException.class,
						(ex) -> assertThat(ex.reason()).isEqualTo("invalid-token"));
			List<AuditEvent> entries = fixture.entriesAfter(before);
			assertThat(entries).extracting(AuditEvent::action).containsExactly("access.denied", "access.denied");
			assertThat(entries).extracting(AuditEvent::actor).containsOnly("anonymous");
			assertThat(entries)
				.allSatisfy((entry) -> assertThat(entry.details()).containsEntry("operation", operation.action()));
		}
	}

	/**
	 * Restore rows run {@code chatvault restore} itself, as a person with a token does
	 * (issue 15): an allowed restore is exit 0 with its decision and its access-log entry
	 * (records, bytes); a refused one exit 11 with one {@code access.denied} entry and
	 * nothing written.
	 */
	static final List<CommandRow> RESTORE_COMMAND = List.of(
	// @formatter:off
			new CommandRow("restore own history (command)", "alice", "YYYNNN"),
			new CommandRow("restore a colleague (command)", "bob", "NYYNNN"),
			new CommandRow("restore another group (command)", "carol", "NNYNNN"));
	// @formatter:on

	static Stream<Arguments> restoreCells() {
		List<Arguments> cells = new ArrayList<>();
		for (CommandRow row : RESTORE_COMMAND) {
			for (Role role : Role.values()) {
				cells.add(Arguments.of(row, role, row.cells().charAt(role.ordinal()) == 'Y'));
			}
		}
		return cells.stream();
	}

	@ParameterizedTest(name = "{1}: {0} -> {2}")
	@MethodSource("restoreCells")
	void restoreThroughTheCommandIsAllowedExactlyByTheMatrixAndEveryRefusalIsLogged(CommandRow row, Role role,
			boolean allowed) {
		// given
		long before = fixture.lastSequence();
		String principal = PRINCIPALS.get(role);
		Path target = home.resolve("restore-" + role.key() + "-" + row.custodian());

		// when
		AccessFixture.Cli result = fixture.cli(TOKENS.get(role), "restore", "custodian=" + row.custodian(), "--to",
				target.toString());

		// then
		List<AuditEvent> entries = fixture.entriesAfter(before);
		assertThat(entries).allSatisfy((entry) -> assertThat(entry.actor()).isEqualTo(principal));
		if (allowed) {
			assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.COMPLETED);
			assertThat(entries).extracting(AuditEvent::action).containsOnly("content.restore");
			assertThat(entries).extracting(AuditEvent::outcome).containsExactly("authorized", "success");
			assertThat(entries.get(1).details()).containsKeys("tokenId", "client", "records", "bytes")
				.containsEntry("custodians", List.of(row.custodian()));
		}
		else {
			assertThat(result.code()).isEqualTo(ExitCode.ACCESS_DENIED);
			assertThat(result.err().strip()).contains("access denied: " + principal).doesNotContain("\n");
			assertThat(entries).hasSize(1);
			assertThat(entries.get(0).action()).isEqualTo("access.denied");
			assertThat(entries.get(0).details()).containsEntry("operation", "content.restore")
				.containsEntry("reason", role.allows(Operation.CONTENT_RESTORE) ? "outside-scope" : "no-grant")
				.containsKey("tokenId");
			assertThat(target).doesNotExist();
		}
	}

	/**
	 * The audit rows run {@code chatvault audit log} and {@code audit verify} themselves
	 * (issue 11): auditor and compliance may; every other role is refused with exit 11,
	 * one {@code access.denied} entry, and nothing of the log printed.
	 */
	static Stream<Arguments> auditCommandCells() {
		List<Arguments> cells = new ArrayList<>();
		for (String command : List.of("audit log --limit 5", "audit verify")) {
			for (Role role : Role.values()) {
				cells.add(Arguments.of(command, role, role == Role.AUDITOR || role == Role.COMPLIANCE));
			}
		}
		return cells.stream();
	}

	@ParameterizedTest(name = "{1}: {0} -> {2}")
	@MethodSource("auditCommandCells")
	void theAuditCommandsAreAllowedExactlyByTheMatrixAndEveryRefusalIsLogged(String command, Role role,
			boolean allowed) {
		// given
		long before = fixture.lastSequence();
		String principal = PRINCIPALS.get(role);
		String operation = command.endsWith("verify") ? "audit.verify" : "audit.read";

		// when
		AccessFixture.Cli result = fixture.cli(TOKENS.get(role), command.split(" "));

		// then
		List<AuditEvent> entries = fixture.entriesAfter(before);
		assertThat(entries).allSatisfy((entry) -> assertThat(entry.actor()).isEqualTo(principal));
		if (allowed) {
			assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.COMPLETED);
			assertThat(result.out()).isNotBlank();
			assertThat(entries).extracting(AuditEvent::action).containsOnly(operation);
			assertThat(entries).extracting(AuditEvent::outcome)
				.containsExactly("authorized", operation.equals("audit.verify") ? "intact" : "success");
		}
		else {
			assertThat(result.code()).isEqualTo(ExitCode.ACCESS_DENIED);
			assertThat(result.err().strip()).contains("access denied: " + principal).doesNotContain("\n");
			assertThat(result.out()).isEmpty();
			assertThat(entries).hasSize(1);
			assertThat(entries.get(0).action()).isEqualTo("access.denied");
			assertThat(entries.get(0).details()).containsEntry("operation", operation)
				.containsEntry("reason", "no-grant");
		}
	}

	/**
	 * A row run through a command.
	 *
	 * @param name what is attempted
	 * @param custodian whose history
	 * @param cells Y or N per role, in the order of {@link Role#values()}
	 */
	record CommandRow(String name, String custodian, String cells) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * One row of the matrix.
	 *
	 * @param name what is attempted
	 * @param operation the operation
	 * @param scope over what
	 * @param cells Y or N per role, in the order of {@link Role#values()}
	 */
	record Row(String name, Operation operation, ContentScope scope, String cells) {

		boolean allowed(Role role) {
			return this.cells.charAt(role.ordinal()) == 'Y';
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
