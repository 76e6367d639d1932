package io.chatvault.sync;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.access.AccountPlatform;
import io.chatvault.access.Actor;
import io.chatvault.access.Custodian;
import io.chatvault.access.CustodianAccount;
import io.chatvault.access.Custodians;
import io.chatvault.cli.ExitCode;
import io.chatvault.custodian.AccountKind;
import io.chatvault.custodian.PlatformAccount;
import io.chatvault.jobs.JobRuns;
import io.chatvault.jobs.RunOutcome;
import io.chatvault.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sync job end to end on real PostgreSQL and the real vault: a window takes what
 * waits in the inbox, what WireMock's Slack and Graph return (pagination, a 429 and a 503
 * with Retry-After, edits, deletions, threads, files) and an export in the drop folder,
 * and reconciles; a second start is "already complete"; the next window takes only what
 * is new, a late arrival among it.
 */
// Closed after the class: its connection pool is not kept for the rest of the suite.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(classes = { io.chatvault.ChatVaultApplication.class, SyncJobIntegrationTests.Beans.class })
class SyncJobIntegrationTests {

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	static final PlatformApis APIS = new PlatformApis();

	static final Instant WINDOW_1 = Instant.parse("2024-03-12T09:15:00Z");

	static final Instant WINDOW_2 = Instant.parse("2024-03-12T09:30:00Z");

	static final PlatformAccount WHATSAPP = PlatformAccount.of(AccountKind.WHATSAPP_NUMBER,
			WebhookDeliveries.PHONE_NUMBER_ID);

	static final PlatformAccount NIGHT = PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, "3100000000101");

	static final PlatformAccount LATE = PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, "3100000000102");

	static final PlatformAccount BURSTY = PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, "3100000000103");

	static final PlatformAccount QUIET = PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, "3100000000104");

	@TempDir
	static Path home;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DATABASE.register(registry);
		registry.add("chatvault.home", () -> home.toString());
		registry.add("chatvault.test.table-inbox", () -> "true");
		registry.add("chatvault.groups.desk.cadence", () -> "15m");
		registry.add("chatvault.groups.desk.members[0].custodian", () -> "alice");
		registry.add("chatvault.groups.desk.members[0].whatsapp", () -> WebhookDeliveries.PHONE_NUMBER_ID);
		registry.add("chatvault.groups.desk.members[0].slack-channels", () -> PlatformApis.CHANNEL);
		registry.add("chatvault.groups.desk.members[0].teams-users", () -> PlatformApis.TEAMS_USER);
		registry.add("chatvault.sync.slack.base-url", APIS::slackBase);
		registry.add("chatvault.sync.slack.token", () -> PlatformApis.SLACK_TOKEN);
		registry.add("chatvault.sync.graph.base-url", APIS::graphBase);
		registry.add("chatvault.sync.graph.token", () -> PlatformApis.GRAPH_TOKEN);
		registry.add("chatvault.sync.http.initial-backoff", () -> "10ms");
		registry.add("chatvault.groups.night.cadence", () -> "15m");
		registry.add("chatvault.groups.night.members[0].custodian", () -> "nina");
		registry.add("chatvault.groups.night.members[0].whatsapp", () -> NIGHT.id());
		registry.add("chatvault.groups.late.cadence", () -> "15m");
		registry.add("chatvault.groups.late.members[0].custodian", () -> "lars");
		registry.add("chatvault.groups.late.members[0].whatsapp", () -> LATE.id());
		registry.add("chatvault.groups.alerts.cadence", () -> "15m");
		registry.add("chatvault.groups.alerts.members[0].custodian", () -> "ada");
		registry.add("chatvault.groups.alerts.members[0].whatsapp", () -> BURSTY.id());
		registry.add("chatvault.groups.alerts.members[1].custodian", () -> "sam");
		registry.add("chatvault.groups.alerts.members[1].whatsapp", () -> QUIET.id());
		// Small rules, so that a test can break them: 60 messages in a minute, and an
		// account busy with 3 a window silent for 2.
		registry.add("chatvault.sync.alerts.burst-rate", () -> "1");
		registry.add("chatvault.sync.alerts.burst-duration", () -> "1m");
		registry.add("chatvault.sync.alerts.silent-windows", () -> "2");
		registry.add("chatvault.sync.alerts.busy-average", () -> "3");
		registry.add("chatvault.sync.alerts.busy-history", () -> "2");
		// A group whose members come from the custodian registry alone; read afresh on
		// every look-up.
		registry.add("chatvault.groups.registered.cadence", () -> "15m");
		// configured for someone else than the registry says: the registry's custodian
		// holds it
		registry.add("chatvault.groups.registered.members[0].custodian", () -> "ghost");
		registry.add("chatvault.groups.registered.members[0].whatsapp", () -> "+3100000000105");
		registry.add("chatvault.groups-refresh", () -> "0s");
	}

	@AfterAll
	static void stopApis() {
		APIS.stop();
	}

	@Autowired
	JobRuns runs;

	@Autowired
	TableInbox inbox;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Custodians custodians;

	@Test
	void aWindowArchivesInboxPollsAndDropsBalancedThenIsCompleteAndTheNextTakesOnlyWhatIsNew() throws Exception {
		// given
		APIS.stubTwoWindows();
		Instant sentLate = Instant.parse("2024-03-12T09:14:30Z");
		for (int i = 1; i <= 3; i++) {
			this.inbox.deliver(InboxPlatform.WHATSAPP, WHATSAPP, Instant.parse("2024-03-12T09:0" + (4 + i) + ":01Z"),
					WebhookDeliveries.text("wamid.desk-" + i, "447700900123",
							Instant.parse("2024-03-12T09:0" + (4 + i) + ":00Z"), "quote " + i));
		}
		this.inbox.deliver(InboxPlatform.WHATSAPP, WHATSAPP, Instant.parse("2024-03-12T09:09:00Z"),
				"{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":".getBytes(StandardCharsets.UTF_8));
		// Sent inside the first window, captured after it: a late arrival of the second.
		this.inbox.deliver(InboxPlatform.WHATSAPP, WHATSAPP, Instant.parse("2024-03-12T09:16:00Z"),
				WebhookDeliveries.text("wamid.desk-late", "447700900123", sentLate, "late quote"));
		long otherGroup = this.inbox.deliver(InboxPlatform.WHATSAPP,
				PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, "999000999"), Instant.parse("2024-03-12T09:05:00Z"),
				WebhookDeliveries.text("wamid.other", "447700900999", Instant.parse("2024-03-12T09:05:00Z"), "x"));
		Path dropped = home.resolve("drop/desk/alice/WhatsApp Chat with Dealer.txt");
		Files.createDirectories(dropped.getParent());
		Files.writeString(dropped, """
				12/03/2024, 09:01 - Dealer: Morning, are we on for 10m?
				12/03/2024, 09:02 - Alice Morgan: Yes, at 1.0840
				12/03/2024, 09:03 - Dealer: Done
				12/03/2024, 09:03 - Alice Morgan: Thanks
				12/03/2024, 09:04 - Dealer: Confirmation to follow
				""");
		Files.setLastModifiedTime(dropped, FileTime.from(Instant.parse("2024-03-12T09:10:00Z")));
		Path copy = home.resolve("drop/desk/alice/dealer chat copy.txt");
		Files.copy(dropped, copy);
		Files.setLastModifiedTime(copy, FileTime.from(Instant.parse("2024-03-12T09:11:00Z")));
		this.clock.set(WINDOW_1.plus(Duration.ofMinutes(2)));

		// when
		RunOutcome first = this.runs.start("sync", Map.of("group", "desk"));
		RunOutcome again = this.runs.start("sync", Map.of("group", "desk"));

		// then
		System.out.println(first.message());
		assertThat(first.exitCode()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(first.message()).contains("(balanced)");
		Map<String, Object> window1 = window(WINDOW_1);
		// 3 messages and 1 malformed body; Slack 10 records (an edit and a tombstone's
		// deletion derived, 3 replies); Graph 5 (an edit and a deletion derived); 5 lines
		assertThat(window1).containsEntry("inbox_deliveries", 4L)
			.containsEntry("inbox_records", 4L)
			.containsEntry("polled_records", 15L)
			.containsEntry("dropped_files", 1L)
			.containsEntry("dropped_records", 5L)
			.containsEntry("archived", 23L)
			.containsEntry("duplicates", 0L)
			.containsEntry("quarantined", 1L)
			.containsEntry("missed_windows", 0);
		assertThat(window1.get("window_start")).isNull();
		assertThat(source(WINDOW_1, "slack")).containsEntry("read_count", 10L).containsEntry("archived", 10L);
		assertThat(source(WINDOW_1, "teams")).containsEntry("read_count", 5L);
		assertThat(latency(WINDOW_1, WindowFigures.SENT_TO_CAPTURED)).containsEntry("samples", 3L)
			.containsEntry("max_ms", 1000L);
		assertThat(latency(WINDOW_1, WindowFigures.CAPTURED_TO_ARCHIVED)).containsEntry("samples", 24L);
		assertThat(again.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(again.message()).contains("already complete");
		assertThat(Files.exists(home.resolve("drop/desk/.done/alice/WhatsApp Chat with Dealer.txt"))).isTrue();
		assertThat(Files.exists(home.resolve("drop/desk/.done/alice/dealer chat copy.txt"))).isTrue();
		assertThat(drainedBy(otherGroup)).isNull();
		assertThat(this.inbox.waitingCount()).isEqualTo(2);
		APIS.server()
			.verify(2, com.github.tomakehurst.wiremock.client.WireMock
				.getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock
					.urlPathEqualTo("/slack/api/conversations.history"))
				.withQueryParam("cursor",
						com.github.tomakehurst.wiremock.client.WireMock.equalTo("bmV4dF90czoxNzEwMjM0NjAwMDAwMTAw")));

		// when the next window comes
		this.inbox.deliver(InboxPlatform.WHATSAPP, WHATSAPP, Instant.parse("2024-03-12T09:20:01Z"), WebhookDeliveries
			.text("wamid.desk-4", "447700900123", Instant.parse("2024-03-12T09:20:00Z"), "quote 4"));
		this.clock.set(WINDOW_2.plus(Duration.ofMinutes(1)));
		RunOutcome next = this.runs.start("sync", Map.of("group", "desk"));

		// then it takes only what is new: the late arrival, one delivery, one message
		// each
		System.out.println(next.message());
		assertThat(next.exitCode()).isEqualTo(ExitCode.COMPLETED);
		Map<String, Object> window2 = window(WINDOW_2);
		assertThat(window2).containsEntry("inbox_records", 2L)
			.containsEntry("polled_records", 2L)
			.containsEntry("dropped_records", 0L)
			.containsEntry("archived", 4L)
			.containsEntry("duplicates", 0L)
			.containsEntry("late_arrivals", 1L)
			.containsEntry("late_max_lag_ms", 90_000L);
		assertThat(window2.get("window_start")).isEqualTo(java.sql.Timestamp.from(WINDOW_1));
		assertThat(next.message()).contains("late arrivals 1 (max lag 1m30s)");
		assertThat(this.jdbc.sql("SELECT lag_ms FROM sync_late_arrival WHERE window_end = ?")
			.param(java.sql.Timestamp.from(WINDOW_2))
			.query(Long.class)
			.single()).isEqualTo(90_000L);
		assertThat(this.inbox.waitingCount()).isEqualTo(1);
	}

	@Test
	void aRunAfterMissedWindowsCatchesUpEverythingAndReportsTheGap() {
		// given a window, then the scheduler down for five windows
		deliver(NIGHT, "night-0", Instant.parse("2024-03-13T00:10:00Z"), 1);
		this.clock.set(Instant.parse("2024-03-13T00:16:00Z"));
		assertThat(this.runs.start("sync", Map.of("group", "night")).exitCode()).isEqualTo(ExitCode.COMPLETED);
		for (int i = 1; i <= 12; i++) {
			deliver(NIGHT, "night-" + i, Instant.parse("2024-03-13T00:20:00Z").plus(Duration.ofMinutes(7L * i)), 2);
		}

		// when it is back at 01:47
		this.clock.set(Instant.parse("2024-03-13T01:47:00Z"));
		RunOutcome outcome = this.runs.start("sync", Map.of("group", "night"));

		// then the window to 01:45 took everything since 00:15, and says what it caught
		// up
		System.out.println(outcome.message());
		assertThat(outcome.exitCode()).isEqualTo(ExitCode.COMPLETED);
		Map<String, Object> window = window("night", Instant.parse("2024-03-13T01:45:00Z"));
		assertThat(window).containsEntry("missed_windows", 5)
			.containsEntry("window_start", java.sql.Timestamp.from(Instant.parse("2024-03-13T00:15:00Z")))
			.containsEntry("inbox_records", 12L)
			.containsEntry("archived", 12L)
			.containsEntry("late_arrivals", 0L);
		assertThat(outcome.message()).contains("caught up 5 missed windows (gap 1h15m after 2024-03-13T00:15:00Z)");
	}

	@Test
	void lateArrivalsGoIntoTheNextWindowWithTheirLag() {
		// given
		deliver(LATE, "late-0", Instant.parse("2024-03-14T10:05:00Z"), 1);
		this.clock.set(Instant.parse("2024-03-14T10:15:30Z"));
		assertThat(this.runs.start("sync", Map.of("group", "late")).exitCode()).isEqualTo(ExitCode.COMPLETED);
		// sent before 10:15, captured after the window to 10:15 had closed
		deliver(LATE, "late-1", Instant.parse("2024-03-14T10:14:59Z"), 4);
		deliver(LATE, "late-2", Instant.parse("2024-03-14T09:50:00Z"), 39 * 60);
		deliver(LATE, "on-time", Instant.parse("2024-03-14T10:20:00Z"), 1);

		// when
		this.clock.set(Instant.parse("2024-03-14T10:31:00Z"));
		RunOutcome outcome = this.runs.start("sync", Map.of("group", "late"));

		// then
		System.out.println(outcome.message());
		Map<String, Object> window = window("late", Instant.parse("2024-03-14T10:30:00Z"));
		assertThat(window).containsEntry("inbox_records", 3L)
			.containsEntry("late_arrivals", 2L)
			.containsEntry("late_max_lag_ms", 39 * 60_000L);
		assertThat(this.jdbc.sql("SELECT lag_ms FROM sync_late_arrival WHERE group_name = 'late' ORDER BY lag_ms")
			.query(Long.class)
			.list()).containsExactly(4_000L, 39 * 60_000L);
		assertThat(outcome.message()).contains("late arrivals 2 (max lag 39m00s)");
	}

	@Test
	void aBurstAndABusyAccountFallenSilentAreFindings() {
		// given two windows in which sam is busy, then two in which he is silent
		Instant start = Instant.parse("2024-03-15T11:00:00Z");
		for (int window = 1; window <= 3; window++) {
			if (window <= 2) {
				for (int i = 0; i < 5; i++) {
					deliver(QUIET, "quiet-" + window + "-" + i,
							start.plus(Duration.ofMinutes(15L * (window - 1) + 1 + i)), 1);
				}
			}
			this.clock.set(start.plus(Duration.ofMinutes(15L * window + 1)));
			assertThat(this.runs.start("sync", Map.of("group", "alerts")).exitCode()).isEqualTo(ExitCode.COMPLETED);
		}
		// and in the fourth, 61 messages in one minute from ada's number
		for (int i = 0; i < 61; i++) {
			deliver(BURSTY, "burst-" + i, Instant.parse("2024-03-15T11:50:00Z").plusMillis(900L * i), 1);
		}

		// when
		this.clock.set(Instant.parse("2024-03-15T12:01:00Z"));
		RunOutcome outcome = this.runs.start("sync", Map.of("group", "alerts"));

		// then
		System.out.println(outcome.message());
		assertThat(outcome.exitCode()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		assertThat(this.jdbc
			.sql("SELECT kind || ' ' || coalesce(account, '-') FROM sync_alert "
					+ "WHERE group_name = 'alerts' ORDER BY kind")
			.query(String.class)
			.list()).containsExactly("burst -", "silent_account " + QUIET.key());
		assertThat(window("alerts", Instant.parse("2024-03-15T12:00:00Z"))).containsEntry("alerts", 2);
		assertThat(outcome.message()).contains("alerts: burst: 61 messages sent in the 1 minutes from");
	}

	@Test
	void theCustodianRegistryGivesAGroupItsMembersAndADepartureGetsItsLastSync() {
		// given a custodian registered in a group that only configuration's cadence names
		PlatformAccount rita = PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, "3100000000105");
		this.clock.set(Instant.parse("2024-03-16T08:00:00Z"));
		this.custodians.save(
				new Custodian("rita", "Rita Registry", Optional.empty(), "registered", Custodian.Status.ACTIVE,
						Optional.empty(), Optional.empty(),
						List.of(CustodianAccount.of(AccountPlatform.WHATSAPP, "+" + rita.id()))),
				Actor.operatingSystemUser());
		this.custodians.save(new Custodian("uma", "Uma Uncadenced", Optional.empty(), "support",
				Custodian.Status.ACTIVE, Optional.empty(), Optional.empty(), List.of()), Actor.operatingSystemUser());
		deliver(rita, "rita-1", Instant.parse("2024-03-16T08:05:00Z"), 1);

		// when its window runs
		this.clock.set(Instant.parse("2024-03-16T08:16:00Z"));
		RunOutcome first = this.runs.start("sync", Map.of("group", "registered"));

		// then the message is archived under the registry's custodian
		assertThat(first.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(window("registered", Instant.parse("2024-03-16T08:15:00Z"))).containsEntry("inbox_records", 1L)
			.containsEntry("archived", 1L);
		assertThat(archivedFor("rita")).isEqualTo(1);
		assertThat(archivedFor("ghost")).isZero();

		// and when she leaves, the next window is her accounts' last sync
		deliver(rita, "rita-2", Instant.parse("2024-03-16T08:20:00Z"), 1);
		this.clock.set(Instant.parse("2024-03-16T08:25:00Z"));
		this.custodians.depart("rita", java.time.LocalDate.parse("2024-03-16"), Actor.operatingSystemUser());
		assertThat(this.custodians.openLastSyncRequests()).hasSize(1);
		this.clock.set(Instant.parse("2024-03-16T08:31:00Z"));
		RunOutcome last = this.runs.start("sync", Map.of("group", "registered"));
		assertThat(last.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(last.message()).contains("last sync of 1 departed custodian account(s) done");
		assertThat(archivedFor("rita")).isEqualTo(2);
		assertThat(this.custodians.openLastSyncRequests()).isEmpty();
		assertThat(this.jdbc.sql("SELECT fulfilled_by FROM access_last_sync_request WHERE custodian_id = 'rita'")
			.query(String.class)
			.single()).startsWith("job:sync#").endsWith("group registered window 2024-03-16T08:30:00Z");

		// then she has left the group: what comes for her number is no longer its
		deliver(rita, "rita-3", Instant.parse("2024-03-16T08:35:00Z"), 1);
		this.clock.set(Instant.parse("2024-03-16T08:46:00Z"));
		assertThat(this.runs.start("sync", Map.of("group", "registered")).exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(window("registered", Instant.parse("2024-03-16T08:45:00Z"))).containsEntry("inbox_records", 0L);
		assertThat(archivedFor("rita")).isEqualTo(2);
		// (the table inbox is this class's: what no group takes is not left for the
		// others)
		this.jdbc.sql("DELETE FROM test_inbox WHERE account = ?").param(rita.key()).update();

		// and a registry group without a cadence is refused with what to set
		assertThatThrownBy(() -> this.runs.start("sync", Map.of("group", "support")))
			.isInstanceOf(io.chatvault.cli.UsageException.class)
			.hasMessageContaining("custodian group 'support' is in the custodian registry but has no cadence")
			.hasMessageContaining("chatvault.groups.support.cadence");
	}

	private long archivedFor(String custodian) {
		return this.jdbc
			.sql("SELECT count(*) FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation "
					+ "JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = ?")
			.param(custodian)
			.query(Long.class)
			.single();
	}

	private void deliver(PlatformAccount account, String id, Instant sentAt, long captureLagSeconds) {
		this.inbox.deliver(InboxPlatform.WHATSAPP, account, sentAt.plusSeconds(captureLagSeconds),
				WebhookDeliveries.text("wamid." + id, "447700900555", sentAt, "text of " + id));
	}

	private Map<String, Object> window(String group, Instant windowEnd) {
		return this.jdbc.sql("SELECT * FROM sync_window WHERE group_name = ? AND window_end = ?")
			.param(group)
			.param(java.sql.Timestamp.from(windowEnd))
			.query()
			.singleRow();
	}

	private Map<String, Object> window(Instant windowEnd) {
		return this.jdbc.sql("SELECT * FROM sync_window WHERE group_name = 'desk' AND window_end = ?")
			.param(java.sql.Timestamp.from(windowEnd))
			.query()
			.singleRow();
	}

	private Map<String, Object> source(Instant windowEnd, String source) {
		return this.jdbc
			.sql("SELECT * FROM sync_window_source WHERE group_name = 'desk' AND window_end = ? " + "AND source = ?")
			.param(java.sql.Timestamp.from(windowEnd))
			.param(source)
			.query()
			.singleRow();
	}

	private Map<String, Object> latency(Instant windowEnd, String measure) {
		return this.jdbc
			.sql("SELECT * FROM sync_window_latency WHERE group_name = 'desk' AND window_end = ? " + "AND measure = ?")
			.param(java.sql.Timestamp.from(windowEnd))
			.param(measure)
			.query()
			.singleRow();
	}

	private Long drainedBy(long inboxId) {
		return this.jdbc.sql("SELECT drained_by FROM test_inbox WHERE id = ?")
			.param(inboxId)
			.query(Long.class)
			.optional()
			.orElse(null);
	}

	/** Not a scanned configuration: child JVMs of other tests must not get this clock. */
	static class Beans {

		@Bean
		@Primary
		MutableClock testClock() {
			return new MutableClock(WINDOW_1);
		}

	}

}
