package io.chatvault.access;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.audit.AuditEvent;
import io.chatvault.cli.ExitCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Principals, grants and tokens on a real PostgreSQL: tokens are shown once and stored
 * only as hashes, stop working when revoked or expired, grants beyond a role are refused
 * without a justification, the access-log entry carries what an investigator needs, a
 * departure revokes everything at once, and the commands refuse without an admin token.
 */
class AccessIntegrationTests {

	@TempDir
	static Path home;

	static AccessFixture fixture;

	@BeforeAll
	static void start() {
		fixture = AccessFixture.start(home);
		fixture.custodian("dave", "desk", CustodianAccount.of(AccountPlatform.WHATSAPP, "+44 7700 900123"),
				CustodianAccount.of(AccountPlatform.SLACK, "u024be7lh"));
		fixture.custodian("erin", "desk");
		fixture.custodian("frank", "desk");
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void aTokenIsStoredOnlyAsTheHashOfItsSecret() {
		// when
		String token = fixture.principal("holder", Optional.empty(), Role.AUDITOR, GrantScope.NONE);

		// then
		assertThat(token).matches("cvt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
		String id = token.substring(4, 16);
		String secret = token.substring(17);
		Map<String, Object> row = fixture.jdbc.queryForMap("SELECT * FROM access_token WHERE id = ?", id);
		assertThat(row.values()).noneMatch((value) -> String.valueOf(value).contains(secret));
		assertThat((byte[]) row.get("secret_sha256")).isEqualTo(TokenSecrets.hash(secret));
		String audit = String.join("\n", fixture.jdbc.queryForList("SELECT details FROM audit_entry", String.class));
		assertThat(audit).doesNotContain(secret);
		assertThat(fixture.authorize(token, Operation.AUDIT_READ, ContentScope.NONE).tokenId()).isEqualTo(id);
		String forged = "cvt_" + id + "_" + "B".repeat(43);
		assertThatThrownBy(() -> fixture.authorize(forged, Operation.AUDIT_READ, ContentScope.NONE))
			.isInstanceOfSatisfying(AccessDeniedException.class,
					(ex) -> assertThat(ex.reason()).isEqualTo("invalid-token"));
	}

	@Test
	void aRevokedOrExpiredTokenStopsWorkingAtOnce() {
		// given
		String revoked = fixture.principal("rita", Optional.empty(), Role.AUDITOR, GrantScope.NONE);
		String expiring = fixture.principals
			.createToken("rita", "short", Optional.of(Duration.ofHours(1)), AccessFixture.ADMIN)
			.secret();
		fixture.authorize(revoked, Operation.AUDIT_READ, ContentScope.NONE);

		// when
		fixture.principals.revokeToken(revoked.substring(4, 16), "lost laptop", AccessFixture.ADMIN);
		fixture.clock.advance(Duration.ofHours(1));

		// then
		long before = fixture.lastSequence();
		assertThatThrownBy(() -> fixture.authorize(revoked, Operation.AUDIT_READ, ContentScope.NONE))
			.isInstanceOfSatisfying(AccessDeniedException.class,
					(ex) -> assertThat(ex.reason()).isEqualTo("token-revoked"));
		assertThatThrownBy(() -> fixture.authorize(expiring, Operation.AUDIT_READ, ContentScope.NONE))
			.isInstanceOfSatisfying(AccessDeniedException.class, (ex) -> {
				assertThat(ex.reason()).isEqualTo("token-expired");
				assertThat(ex.getMessage()).contains("expired at");
			});
		assertThat(fixture.entriesAfter(before)).extracting(AuditEvent::action, AuditEvent::actor)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("access.denied", "rita"),
					org.assertj.core.groups.Tuple.tuple("access.denied", "rita"));
		fixture.clock.set(AccessFixture.START);
	}

	@Test
	void aTokenLivesNoLongerThanTheMaximum() {
		// given
		fixture.principals.create("long", "Long", Optional.empty(), Optional.empty(), AccessFixture.ADMIN);

		// when / then
		assertThatThrownBy(() -> fixture.principals.createToken("long", "forever", Optional.of(Duration.ofDays(91)),
				AccessFixture.ADMIN))
			.hasMessageContaining("at most 90 days");
	}

	@Test
	void aGrantBeyondItsRoleIsRefusedWithoutAJustificationAndMarkedWithOne() {
		// given
		fixture.principals.create("erin-p", "Erin", Optional.of("erin"), Optional.empty(), AccessFixture.ADMIN);

		// when / then
		assertThatThrownBy(() -> fixture.principals.grant("erin-p", Role.EMPLOYEE, GrantScope.custodian("frank"),
				Optional.empty(), Optional.empty(), Optional.empty(), AccessFixture.ADMIN))
			.hasMessageContaining("an employee reads only their own conversations (scope custodian:erin)");
		assertThatThrownBy(() -> fixture.principals.grant("erin-p", Role.AUDITOR, GrantScope.ALL, Optional.empty(),
				Optional.empty(), Optional.empty(), AccessFixture.ADMIN))
			.hasMessageContaining("reads no message content");
		Grant exception = fixture.principals.grant("erin-p", Role.EMPLOYEE, GrantScope.custodian("frank"),
				Optional.empty(), Optional.empty(), Optional.of("covers frank's desk during leave, ticket 42"),
				AccessFixture.ADMIN);
		assertThat(exception.beyondRole()).contains("covers frank's desk during leave, ticket 42");
		assertThat(fixture.principals.grants(Optional.of("erin-p"), false)).hasSize(1);
	}

	@Test
	void theAccessLogEntryCarriesWhatAnInvestigatorNeeds() {
		// given
		String token = fixture.principal("ivy", Optional.empty(), Role.COMPLIANCE, GrantScope.ALL);
		ContentScope scope = ContentScope.custodians("dave", "erin")
			.withConversations("WHATSAPP_EXPORT:chat-1")
			.between(java.time.Instant.parse("2024-01-01T00:00:00Z"), java.time.Instant.parse("2025-01-01T00:00:00Z"));
		long before = fixture.lastSequence();

		// when
		Access access = fixture.authorize(token, Operation.CONTENT_RESTORE, scope);
		fixture.authorization.complete(access, AccessOutcome.success(1234, 567890));

		// then
		List<AuditEvent> entries = fixture.entriesAfter(before);
		assertThat(entries).extracting(AuditEvent::outcome).containsExactly("authorized", "success");
		AuditEvent read = entries.get(1);
		assertThat(read.actor()).isEqualTo("ivy");
		assertThat(read.role()).isEqualTo("compliance");
		assertThat(read.action()).isEqualTo("content.restore");
		assertThat(read.target()).isEqualTo("custodians:dave,erin");
		assertThat(read.details()).containsEntry("tokenId", access.tokenId())
			.containsEntry("operation", "content.restore")
			.containsEntry("custodians", List.of("dave", "erin"))
			.containsEntry("conversations", List.of("WHATSAPP_EXPORT:chat-1"))
			.containsEntry("from", "2024-01-01T00:00:00Z")
			.containsEntry("to", "2025-01-01T00:00:00Z")
			.containsEntry("query", "test query")
			.containsEntry("records", 1234)
			.containsEntry("bytes", 567890)
			.containsEntry("client", "tester@host")
			.containsEntry("effectiveScope", "all")
			.containsEntry("authorizedAt", AccessFixture.START.toString())
			.containsEntry("authorizedEntry", (int) (before + 1));
		Long used = fixture.jdbc.queryForObject(
				"SELECT count(*) FROM access_principal WHERE id = 'ivy' AND last_used_at IS NOT NULL", Long.class);
		assertThat(used).isOne();
	}

	@Test
	void everyAccessAndRefusalIsChainedSoThatTheLogVerifies() {
		// given a read that succeeds, one that fails part-way, and a refusal
		String token = fixture.principal("vic", Optional.empty(), Role.COMPLIANCE, GrantScope.ALL);
		Access read = fixture.authorize(token, Operation.CONTENT_RESTORE, ContentScope.custodians("erin"));
		fixture.authorization.complete(read, AccessOutcome.success(10, 2048));
		Access failed = fixture.authorize(token, Operation.CONTENT_READ, ContentScope.custodians("frank"));
		fixture.authorization.complete(failed, AccessOutcome.failed(3, 100, "target full"));
		assertThatThrownBy(() -> fixture.authorize(token, Operation.JOB_OPERATE, ContentScope.NONE))
			.isInstanceOf(AccessDeniedException.class);

		// when the whole chain is recomputed from its first entry
		List<Map<String, Object>> rows = fixture.jdbc.queryForList("SELECT * FROM audit_entry ORDER BY sequence");
		byte[] previous = io.chatvault.audit.AuditChain.GENESIS;
		for (Map<String, Object> row : rows) {
			AuditEvent event = new AuditEvent((String) row.get("actor"), (String) row.get("role"),
					(String) row.get("action"), (String) row.get("target"), (String) row.get("outcome"),
					io.chatvault.audit.AuditChain.parseDetails((String) row.get("details")));
			byte[] hash = io.chatvault.audit.AuditChain.hash(previous, (Long) row.get("sequence"),
					((java.sql.Timestamp) row.get("recorded_at")).toInstant(), event, (String) row.get("details"));

			// then every entry is where the chain says
			assertThat((byte[]) row.get("previous_hash")).isEqualTo(previous);
			assertThat((byte[]) row.get("entry_hash")).as("entry " + row.get("sequence")).isEqualTo(hash);
			previous = hash;
		}
		assertThat(fixture.entriesAfter(read.authorizedEntry() - 1)).extracting(AuditEvent::action, AuditEvent::outcome)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("content.restore", "authorized"),
					org.assertj.core.groups.Tuple.tuple("content.restore", "success"),
					org.assertj.core.groups.Tuple.tuple("content.read", "authorized"),
					org.assertj.core.groups.Tuple.tuple("content.read", "failed"),
					org.assertj.core.groups.Tuple.tuple("access.denied", "denied"));
	}

	@Test
	void aSupervisorsScopeFollowsTheGroupAsPeopleMove() {
		// given
		fixture.custodian("gus", "ops");
		fixture.custodian("hal", "ops");
		String token = fixture.principal("gus-p", Optional.of("gus"), Role.SUPERVISOR, GrantScope.group("ops"));
		assertThat(fixture.authorize(token, Operation.CONTENT_READ, ContentScope.NONE).effective().custodians())
			.containsExactly("gus", "hal");

		// when hal moves to another group
		Custodian hal = fixture.custodians.find("hal").orElseThrow();
		fixture.custodians.save(new Custodian("hal", hal.name(), hal.hrEmployeeId(), "desk", hal.status(),
				hal.departureDate(), hal.consent(), hal.accounts()), AccessFixture.ADMIN);

		// then
		assertThat(fixture.authorize(token, Operation.CONTENT_READ, ContentScope.NONE).effective().custodians())
			.containsExactly("gus");
		assertThatThrownBy(() -> fixture.authorize(token, Operation.CONTENT_READ, ContentScope.custodians("hal")))
			.isInstanceOf(AccessDeniedException.class);
	}

	@Test
	void aDepartureRevokesEveryGrantAndTokenAtOnceAndRequestsALastSync() {
		// given
		String token = fixture.principal("dave-p", Optional.of("dave"), Role.EMPLOYEE, GrantScope.custodian("dave"));
		fixture.principals.grant("dave-p", Role.OPERATOR, GrantScope.NONE, Optional.empty(), Optional.empty(),
				Optional.empty(), AccessFixture.ADMIN);
		fixture.authorize(token, Operation.CONTENT_READ, ContentScope.custodians("dave"));

		// when
		Custodians.Departure departure = fixture.custodians.depart("dave", LocalDate.of(2025, 3, 3),
				AccessFixture.ADMIN);

		// then
		assertThat(departure.revoked()).isEqualTo(new RevokedAccess(2, 1, 1));
		assertThat(departure.lastSyncRequests()).isEqualTo(2);
		assertThatThrownBy(() -> fixture.authorize(token, Operation.CONTENT_READ, ContentScope.custodians("dave")))
			.isInstanceOfSatisfying(AccessDeniedException.class,
					(ex) -> assertThat(ex.reason()).isEqualTo("token-revoked"));
		assertThat(fixture.custodians.openLastSyncRequests()).extracting(Custodians.LastSyncRequest::accountId)
			.containsExactlyInAnyOrder("+447700900123", "U024BE7LH");
		assertThat(fixture.custodians.find("dave").orElseThrow().status()).isEqualTo(Custodian.Status.DEPARTED);
		assertThat(fixture.custodians.byAccount(io.chatvault.message.SourcePlatform.WHATSAPP_CLOUD_API, "447700900123"))
			.isEmpty();
		assertThat(fixture.custodians.byAccount(AccountPlatform.WHATSAPP, "0044 7700 900123")).map(Custodian::id)
			.contains("dave");
	}

	@Test
	void theCommandsNeedAnAdminTokenAndPrintTheTokenOnce() throws Exception {
		// given
		String admin = fixture.principal("root", Optional.empty(), Role.ADMIN, GrantScope.NONE);
		String auditor = fixture.principal("aud", Optional.empty(), Role.AUDITOR, GrantScope.NONE);
		Path registry = home.resolve("registry.csv");
		Files.writeString(registry, """
				id,name,group,hr_employee_id,whatsapp,slack
				kim,Kim Lee,desk,E100,+4917012345678,U0KIM01
				lou,Lou Ray,desk,E101,,U0LOU01
				""");

		// when
		AccessFixture.Cli denied = fixture.cli(auditor, "custodian", "import", registry.toString());
		AccessFixture.Cli imported = fixture.cli(admin, "custodian", "import", registry.toString());
		AccessFixture.Cli created = fixture.cli(admin, "access", "principal", "create", "kim-p", "--name", "Kim",
				"--custodian", "kim");
		AccessFixture.Cli granted = fixture.cli(admin, "access", "grant", "create", "kim-p", "employee", "--scope",
				"custodian:kim");
		AccessFixture.Cli issued = fixture.cli(admin, "access", "token", "create", "kim-p", "--label", "laptop");
		String kimToken = issued.out().lines().findFirst().orElseThrow();
		AccessFixture.Cli whoami = fixture.cli(kimToken, "access", "whoami");
		AccessFixture.Cli noToken = fixture.cli(null, "access", "whoami");

		// then
		assertThat(denied.code()).isEqualTo(ExitCode.ACCESS_DENIED);
		assertThat(denied.err()).startsWith("chatvault: access denied: aud (auditor) may not access.admin");
		assertThat(imported.code()).as(imported.err() + imported.out()).isEqualTo(ExitCode.COMPLETED);
		assertThat(fixture.custodians.byAccount(AccountPlatform.SLACK, "U0LOU01")).map(Custodian::id).contains("lou");
		assertThat(created.code()).isEqualTo(ExitCode.COMPLETED);
		assertThat(granted.code()).as(granted.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(kimToken).startsWith("cvt_");
		assertThat(issued.out()).contains("shown only now");
		assertThat(whoami.code()).isEqualTo(ExitCode.COMPLETED);
		assertThat(whoami.out()).contains("kim-p (Kim), custodian kim").contains("employee  custodian:kim");
		assertThat(noToken.code()).isEqualTo(ExitCode.ACCESS_DENIED);
		assertThat(noToken.err().strip()).startsWith("chatvault: access denied: no token").doesNotContain("\n");
	}

	@Test
	void aMalformedRegistryFileImportsNothingAndNamesEachBadLine() throws Exception {
		// given
		String admin = fixture.principal("root2", Optional.empty(), Role.ADMIN, GrantScope.NONE);
		Path registry = home.resolve("bad-registry.csv");
		Files.writeString(registry, """
				id,name,group,whatsapp,status,departure_date
				max,Max,desk,+4915112345678,active,
				ned,Ned,desk,not-a-number,active,
				oli,Oli,desk,,gone,
				pat,Pat,desk,+4915112345678,,
				quin,Quin,desk,,departed,
				""");

		// when
		AccessFixture.Cli result = fixture.cli(admin, "custodian", "import", registry.toString());

		// then
		assertThat(result.code()).isEqualTo(ExitCode.USAGE);
		assertThat(result.out().lines().toList()).containsExactly(registry
				+ ":3: 'not-a-number' is not a whatsapp account: expected a phone number in E.164 form such as +491701234567",
				registry + ":4: status 'gone' is neither active nor departed",
				registry + ":5: account whatsapp:+4915112345678 is also on line 2",
				registry + ":6: departed custodian quin needs the date they left");
		assertThat(result.err()).contains("4 bad row(s)").contains("nothing imported");
		assertThat(fixture.custodians.find("max")).isEmpty();
	}

}
