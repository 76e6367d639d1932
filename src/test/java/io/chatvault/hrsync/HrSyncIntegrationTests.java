package io.chatvault.hrsync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.chatvault.access.AccessDeniedException;
import io.chatvault.access.AccessFixture;
import io.chatvault.access.AccountPlatform;
import io.chatvault.access.ContentScope;
import io.chatvault.access.Custodian;
import io.chatvault.access.GrantScope;
import io.chatvault.access.Operation;
import io.chatvault.access.Role;
import io.chatvault.cli.ExitCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Done means 2, through {@code chatvault run hr-sync}: joiners, movers and leavers from a
 * directory of dated HR files; a leaver loses every grant in that run and their token
 * stops working at once; a malformed file changes nothing and reports each bad line; a
 * run that fails part-way resumes with nothing applied twice. The tests build on each
 * other, in order, as the hours of one day.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HrSyncIntegrationTests {

	@TempDir
	static Path home;

	static Path feed;

	static AccessFixture fixture;

	static String aliceToken;

	@BeforeAll
	static void start() throws Exception {
		feed = Files.createDirectories(home.resolve("hr-feed"));
		fixture = AccessFixture.start(home, "chatvault.access.hr-feed=" + feed);
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	@Order(1)
	void joinersAreRegistered() throws Exception {
		// given
		Files.writeString(feed.resolve("hr-2025-03-03T08.csv"), """
				employee_id,custodian_id,name,group,status,departure_date,whatsapp,slack
				E1,alice,Alice Smith,sales,active,,+49 170 1111111,U0ALICE1
				E2,bob,Bob Jones,sales,,,,U0BOB001
				E3,carol,Carol White,trading,active,,+491702222222,
				""");

		// when
		AccessFixture.Cli run = fixture.cli(null, "run", "hr-sync", "hour=2025-03-03T08");

		// then
		assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(run.out()).contains("3 joiner(s)");
		assertThat(fixture.custodians.byAccount(AccountPlatform.WHATSAPP, "+491701111111")).map(Custodian::id)
			.contains("alice");
		assertThat(fixture.custodians.idsInGroup("sales")).containsExactly("alice", "bob");
		assertThat(fixture.custodians.find("alice").orElseThrow().consent()).isEmpty();
		assertThat(changes("2025-03-03T08")).containsExactly("joiner alice", "joiner bob", "joiner carol");
	}

	@Test
	@Order(2)
	void aLeaverLosesEveryGrantInThatRunAndTheirTokenStopsWorkingAtOnce() throws Exception {
		// given alice reads her conversations and supervises sales, with two tokens
		aliceToken = fixture.principal("alice-p", Optional.of("alice"), Role.EMPLOYEE, GrantScope.custodian("alice"));
		fixture.principals.grant("alice-p", Role.SUPERVISOR, GrantScope.group("sales"), Optional.empty(),
				Optional.empty(), Optional.empty(), AccessFixture.ADMIN);
		fixture.principals.createToken("alice-p", "phone", Optional.empty(), AccessFixture.ADMIN);
		fixture.authorize(aliceToken, Operation.CONTENT_READ, ContentScope.custodians("bob"));
		Files.writeString(feed.resolve("hr-2025-03-03T09.csv"), """
				employee_id,status,departure_date
				E1,left,2025-03-03
				""");

		// when
		AccessFixture.Cli run = fixture.cli(null, "run", "hr-sync", "hour=2025-03-03T09");

		// then
		assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(fixture.principals.grants(Optional.of("alice-p"), false)).isEmpty();
		assertThat(fixture.principals.tokens(Optional.of("alice-p"))).allMatch((t) -> t.revokedAt().isPresent())
			.hasSize(2);
		assertThat(fixture.principals.find("alice-p").orElseThrow().enabled()).isFalse();
		assertThatThrownBy(() -> fixture.authorize(aliceToken, Operation.CONTENT_READ, ContentScope.custodians("bob")))
			.isInstanceOfSatisfying(AccessDeniedException.class,
					(ex) -> assertThat(ex.reason()).isEqualTo("token-revoked"));
		assertThat(fixture.custodians.find("alice").orElseThrow().status()).isEqualTo(Custodian.Status.DEPARTED);
		assertThat(fixture.custodians.openLastSyncRequests())
			.extracting((r) -> r.platform().key() + ":" + r.accountId())
			.containsExactlyInAnyOrder("whatsapp:+491701111111", "slack:U0ALICE1");
		assertThat(fixture.jdbc.queryForMap(
				"SELECT leavers, grants_revoked, tokens_revoked FROM access_hr_sync_run WHERE hour = '2025-03-03T09'"))
			.containsEntry("leavers", 1)
			.containsEntry("grants_revoked", 2)
			.containsEntry("tokens_revoked", 2);
	}

	@Test
	@Order(3)
	void aMalformedFileChangesNothingAndReportsEachBadLine() throws Exception {
		// given a mover among bad rows
		Path bad = feed.resolve("hr-2025-03-03T10.csv");
		Files.writeString(bad, """
				employee_id,custodian_id,name,group,status,departure_date,whatsapp
				E2,,,trading,active,,
				E4,dan,Dan Brown,,active,,
				E5,erin,Erin Gray,sales,active,,0049-170-3333333
				E3,,,,left,,
				E6,fay,Fay Lin,sales,retired,,
				E7,gil,Gil Ray,sales,active,,+491702222222
				E2,,,sales,active,,
				E8,hal,Hal Poe,sales,active,,12345
				""");

		// when
		AccessFixture.Cli run = fixture.cli(null, "run", "hr-sync", "hour=2025-03-03T10");

		// then nothing changed: bob was not moved, no joiner registered
		assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(run.out()).contains("1 rejected (6 bad row(s) quarantined)");
		assertThat(fixture.custodians.group("bob")).contains("sales");
		assertThat(fixture.custodians.find("erin")).isEmpty();
		assertThat(fixture.custodians.find("carol").orElseThrow().active()).isTrue();
		assertThat(changes("2025-03-03T10")).isEmpty();
		assertThat(fixture.jdbc.query(
				"SELECT line, reason, convert_from(raw, 'UTF8') FROM access_hr_quarantine WHERE hour = ? ORDER BY line",
				(rs, row) -> rs.getLong(1) + ": " + rs.getString(2) + " | " + rs.getString(3), "2025-03-03T10"))
			.containsExactly(
					"3: joiner E4 needs custodian_id, name and group (no custodian has this employee id) | E4,dan,Dan Brown,,active,,",
					"5: a leaver needs departure_date (the first day they no longer work here) | E3,,,,left,,",
					"6: status 'retired' is neither active nor left | E6,fay,Fay Lin,sales,retired,,",
					"7: account whatsapp:+491702222222 belongs to custodian carol in the registry | E7,gil,Gil Ray,sales,active,,+491702222222",
					"8: employee E2 is also on line 2 | E2,,,sales,active,,",
					"9: '12345' is not a whatsapp account: expected a phone number in E.164 form such as +491701234567 | E8,hal,Hal Poe,sales,active,,12345");
		assertThat(fixture.jdbc.queryForObject("SELECT outcome FROM access_hr_file WHERE file_name = ?", String.class,
				"hr-2025-03-03T10.csv"))
			.isEqualTo("rejected");

		// and the same hour again is already complete; the next hour does not retry the
		// rejected file
		assertThat(fixture.cli(null, "run", "hr-sync", "hour=2025-03-03T10").out()).contains("already complete");
		assertThat(fixture.cli(null, "run", "hr-sync", "hour=2025-03-03T11").code()).isEqualTo(ExitCode.COMPLETED);
		assertThat(fixture.custodians.group("bob")).contains("sales");
	}

	@Test
	@Order(4)
	void aRunThatFailsPartWayResumesWithNothingAppliedTwice() throws Exception {
		// given: a mover, a file that cannot be read, a leaver announced for tomorrow
		Files.writeString(feed.resolve("hr-2025-03-03T12a.csv"), """
				employee_id,group
				E2,trading
				""");
		Path unreadable = feed.resolve("hr-2025-03-03T12b.csv");
		Files.createSymbolicLink(unreadable, Path.of("/proc/self/mem"));
		Files.writeString(feed.resolve("hr-2025-03-03T12c.csv"), """
				employee_id,status,departure_date
				E3,left,2025-03-04
				""");

		// when
		AccessFixture.Cli failed = fixture.cli(null, "run", "hr-sync", "hour=2025-03-03T12");

		// then the first file is applied, the rest not
		assertThat(failed.code()).isEqualTo(ExitCode.JOB_FAILED);
		assertThat(fixture.custodians.group("bob")).contains("trading");
		assertThat(changes("2025-03-03T12")).containsExactly("mover bob");

		// when the cause is fixed and the run restarted
		Files.delete(unreadable);
		Files.writeString(unreadable, """
				employee_id,custodian_id,name,group
				E9,ivy,Ivy Moss,trading
				""");
		AccessFixture.Cli resumed = fixture.cli(null, "run", "hr-sync", "hour=2025-03-03T12");

		// then
		assertThat(resumed.code()).as(resumed.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(changes("2025-03-03T12")).containsExactly("mover bob", "joiner ivy", "leaver-scheduled carol");
		assertThat(fixture.custodians.find("carol").orElseThrow().active()).isTrue();
		assertThat(fixture.jdbc.queryForObject(
				"SELECT movers + joiners + leavers_scheduled FROM access_hr_sync_run WHERE hour = '2025-03-03T12'",
				Integer.class))
			.isEqualTo(3);

		// and when carol's day comes, the next hourly run departs her
		fixture.clock.advance(Duration.ofDays(1));
		assertThat(fixture.cli(null, "run", "hr-sync", "hour=2025-03-04T09").code()).isEqualTo(ExitCode.COMPLETED);
		assertThat(fixture.custodians.find("carol").orElseThrow().status()).isEqualTo(Custodian.Status.DEPARTED);
		assertThat(changes("2025-03-04T09")).containsExactly("leaver carol");
	}

	@Test
	@Order(5)
	void theHourIsValidated() {
		// when
		AccessFixture.Cli run = fixture.cli(null, "run", "hr-sync", "hour=2025-03-03 10");

		// then
		assertThat(run.code()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).contains("hour must be an hour YYYY-MM-DDTHH (UTC), not '2025-03-03 10'");
	}

	private static List<String> changes(String hour) {
		return fixture.jdbc.queryForList(
				"SELECT change || ' ' || custodian_id FROM access_hr_change WHERE hour = ? ORDER BY id", String.class,
				hour);
	}

}
