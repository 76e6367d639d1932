package io.chatvault.capture;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.MGF1ParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.chatvault.ChatVaultApplication;
import io.chatvault.access.MutableClock;
import io.chatvault.cli.ExitCode;
import io.chatvault.custodian.AccountKind;
import io.chatvault.custodian.CustodianGroup;
import io.chatvault.custodian.CustodianGroups;
import io.chatvault.custodian.GroupMember;
import io.chatvault.custodian.PlatformAccount;
import io.chatvault.jobs.JobRuns;
import io.chatvault.jobs.RunOutcome;
import io.chatvault.message.Sha256;
import io.chatvault.sync.InboxDelivery;
import io.chatvault.sync.InboxPlatform;
import io.chatvault.testsupport.PgDump;
import io.chatvault.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture server over real HTTP on a random port, with the {@code serve} profile, on
 * real PostgreSQL: the documented payloads of the three platforms (the Cloud API samples
 * of the shared fixtures, Slack's and Graph's documented examples) with right, wrong,
 * missing and replayed signatures. Refused deliveries leave nothing but a refusal row; a
 * right one delivered three times is stored once; the database holds none of the bodies'
 * text; one sync window archives what the inbox holds.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(classes = { ChatVaultApplication.class, CaptureServerIntegrationTests.Beans.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ActiveProfiles("serve")
class CaptureServerIntegrationTests {

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	static final String APP_SECRET = "whatsapp-app-secret-for-tests";

	static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

	static final String CLIENT_STATE = "client-state-of-the-subscription";

	static final String CHAT = "19:8ea0e38b-efb3-4757-924a-5f94061cf8c2_97f62344-57dc-409c-88ad-c4af14158ff5@unq.gbl.spaces";

	static final Instant NOW = Instant.parse("2026-11-30T09:01:00Z");

	static final KeyPair GRAPH_KEYS = rsaKeys();

	/** The identity platform: issues the validation tokens and serves its key set. */
	static final GraphTokenIssuer MICROSOFT = new GraphTokenIssuer("kid-capture");

	static final WireMockServer KEY_SET = keySet();

	static final Path FIXTURES = Path.of("src/test/resources/fixtures/public");

	static final Path PAYLOADS = Path.of("src/test/resources/capture");

	@TempDir
	static Path home;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		registry.add("chatvault.db.url", DATABASE::jdbcUrl);
		registry.add("chatvault.db.user", DATABASE::user);
		registry.add("chatvault.db.password", DATABASE::password);
		registry.add("chatvault.home", () -> home.toString());
		registry.add("chatvault.capture.max-body-size", () -> "64KB");
		registry.add("chatvault.capture.whatsapp.main.app-secret", () -> APP_SECRET);
		registry.add("chatvault.capture.whatsapp.main.verify-token", () -> "verify-me");
		registry.add("chatvault.capture.whatsapp.js.app-secret", () -> "YOUR_APP_SECRET");
		registry.add("chatvault.capture.slack.workspace.signing-secret", () -> SIGNING_SECRET);
		registry.add("chatvault.capture.teams.tenant.client-state", () -> CLIENT_STATE);
		registry.add("chatvault.capture.teams.tenant.certificate-id", () -> "chatvault-graph-1");
		registry.add("chatvault.capture.teams.tenant.application-id", () -> GraphTokenIssuer.APPLICATION_ID);
		registry.add("chatvault.capture.teams.tenant.tenant-ids", () -> GraphTokenIssuer.TENANT);
		registry.add("chatvault.capture.teams.tenant.key-set", () -> KEY_SET.baseUrl() + "/common/discovery/v2.0/keys");
		Path pem = Files.createTempFile("graph-key", ".pem");
		Files.writeString(pem,
				"-----BEGIN PRIVATE KEY-----\n"
						+ Base64.getMimeEncoder().encodeToString(GRAPH_KEYS.getPrivate().getEncoded())
						+ "\n-----END PRIVATE KEY-----\n");
		registry.add("chatvault.capture.teams.tenant.private-key", pem::toString);
		registry.add("chatvault.groups.desk.cadence", () -> "15m");
		registry.add("chatvault.groups.desk.members[0].custodian", () -> "alice");
		registry.add("chatvault.groups.desk.members[0].whatsapp", () -> "1122334455667");
		// Slack and Teams accounts are polled too: a group of their own, not synced here
		registry.add("chatvault.groups.chats.cadence", () -> "6h");
		registry.add("chatvault.groups.chats.members[0].custodian", () -> "bob");
		registry.add("chatvault.groups.chats.members[0].slack-channels", () -> "C123ABC456");
		registry.add("chatvault.groups.chats.members[0].teams-chats", () -> CHAT);
		registry.add("chatvault.sync.unrouted-group", () -> "desk");
	}

	@Autowired
	Environment environment;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	CaptureInbox inbox;

	@Autowired
	CustodianGroups groups;

	@Autowired
	JobRuns runs;

	final HttpClient http = HttpClient.newHttpClient();

	final JsonMapper json = JsonMapper.builder().build();

	@BeforeEach
	void empty() {
		this.jdbc.update("DELETE FROM capture_inbox");
		this.jdbc.update("DELETE FROM capture_inbox_waiting");
		this.jdbc.update("DELETE FROM capture_inbox_drained");
		this.jdbc.update("DELETE FROM capture_refusal");
		this.clock.set(NOW);
	}

	@Test
	void whatsAppCloudApiSamplesSignedRightAreStoredOnceEachWhateverTheRedeliveries() throws Exception {
		// given every message sample of pywa's webhook fixtures
		List<byte[]> bodies = pywaMessages();

		// when each is delivered three times, signed with the app secret
		List<Integer> statuses = new ArrayList<>();
		for (int attempt = 0; attempt < 3; attempt++) {
			for (byte[] body : bodies) {
				statuses.add(post("/webhooks/whatsapp/main", body, "application/json",
						Map.of("X-Hub-Signature-256", "sha256=" + hmacHex(APP_SECRET, body))));
			}
		}

		// then every delivery is answered 200 and each body is stored once
		assertThat(statuses).hasSize(bodies.size() * 3).containsOnly(200);
		assertThat(count("SELECT count(*) FROM capture_inbox")).isEqualTo(bodies.size());
		assertThat(count("SELECT sum(redeliveries) FROM capture_inbox")).isEqualTo(bodies.size() * 2L);
		assertThat(this.jdbc.queryForList("SELECT DISTINCT array_to_string(routing, ',') FROM capture_inbox",
				String.class))
			.containsExactly("whatsapp-number:1122334455667,whatsapp-number:972123456789");
		assertThat(count("SELECT count(*) FROM capture_refusal")).isZero();
	}

	@Test
	void aWhatsAppDeliveryIsRoutedToTheGroupThatHoldsTheBusinessNumberAsDisplayed() throws Exception {
		// given a group whose WhatsApp account is the display number of pywa's business
		// number (phone_number_id 1122334455667), written as people write it
		CustodianGroup byDisplayNumber = new CustodianGroup("display", Duration.ofMinutes(15),
				List.of(new GroupMember("carol", ZoneOffset.UTC,
						List.of(PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, "+972 12-345-6789")))));
		byte[] body = pywaMessages().get(0);

		// when
		int status = post("/webhooks/whatsapp/main", body, "application/json",
				Map.of("X-Hub-Signature-256", "sha256=" + hmacHex(APP_SECRET, body)));

		// then the group's window takes it, with that account
		assertThat(status).isEqualTo(200);
		List<InboxDelivery> waiting = this.inbox.waiting(byDisplayNumber, null, NOW.plusSeconds(60), null, 10);
		assertThat(waiting).singleElement()
			.satisfies((delivery) -> assertThat(delivery.account())
				.isEqualTo(PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, "972123456789")));
	}

	@Test
	void concurrentDeliveriesAreCommittedTogetherEachOnceAndEveryOneIsAnswered() throws Exception {
		// given 24 distinct bodies, and one body that the platform delivers 8 times at
		// once
		List<byte[]> bodies = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			bodies.add(WebhookLoad.body("concurrent-" + i));
		}
		byte[] redelivered = WebhookLoad.body("concurrent-redelivered");
		for (int i = 0; i < 8; i++) {
			bodies.add(redelivered);
		}

		// when all are posted at once
		List<Future<Integer>> answers = new ArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(bodies.size());
		try {
			for (byte[] body : bodies) {
				answers.add(executor.submit(() -> post("/webhooks/whatsapp/main", body, "application/json",
						Map.of("X-Hub-Signature-256", "sha256=" + hmacHex(APP_SECRET, body)))));
			}
		}
		finally {
			executor.shutdown();
		}

		// then every one is answered 200, and each body is one row (the redelivered one
		// counting the other 7)
		for (Future<Integer> answer : answers) {
			assertThat(answer.get()).isEqualTo(200);
		}
		assertThat(count("SELECT count(*) FROM capture_inbox")).isEqualTo(25);
		assertThat(count("SELECT sum(redeliveries) FROM capture_inbox")).isEqualTo(7);
		assertThat(count("SELECT count(*) FROM capture_inbox WHERE dedupe_key = 'sha256:" + Sha256.hex(redelivered)
				+ "' AND redeliveries = 7"))
			.isEqualTo(1);
	}

	@Test
	void whatsAppDeliveriesWithWrongMissingOrForeignSignaturesLeaveNothing() throws Exception {
		// given
		byte[] body = pywaMessages().get(0);

		// when
		int wrong = post("/webhooks/whatsapp/main", body, "application/json",
				Map.of("X-Hub-Signature-256", "sha256=" + hmacHex("another secret", body)));
		int missing = post("/webhooks/whatsapp/main", body, "application/json", Map.of());
		int garbled = post("/webhooks/whatsapp/main", body, "application/json",
				Map.of("X-Hub-Signature-256", "sha1=not-hex"));
		int unknownApp = post("/webhooks/whatsapp/nobody", body, "application/json",
				Map.of("X-Hub-Signature-256", "sha256=" + hmacHex(APP_SECRET, body)));
		int wrongType = post("/webhooks/whatsapp/main", body, "text/plain",
				Map.of("X-Hub-Signature-256", "sha256=" + hmacHex(APP_SECRET, body)));
		byte[] large = new byte[65 * 1024];
		int tooLarge = post("/webhooks/whatsapp/main", large, "application/json",
				Map.of("X-Hub-Signature-256", "sha256=" + hmacHex(APP_SECRET, large)));

		// then
		assertThat(List.of(wrong, missing, garbled, unknownApp, wrongType, tooLarge)).containsExactly(401, 401, 401,
				401, 415, 413);
		assertThat(count("SELECT count(*) FROM capture_inbox")).isZero();
		assertThat(refusals()).containsEntry("bad_signature", 2L)
			.containsEntry("missing_signature", 1L)
			.containsEntry("unknown_app", 1L)
			.containsEntry("wrong_content_type", 1L)
			.containsEntry("too_large", 1L);
		assertThat(this.jdbc.queryForList("SELECT DISTINCT peer FROM capture_refusal", String.class))
			.containsExactly("127.0.0.1");
	}

	@Test
	void theSignatureIsCheckedOverTheBytesAsSentAndAValidlySignedBodyThatIsNotJsonIsKept() throws Exception {
		// given whatsapp-api-js's vector: Meta signs its escaped-unicode JSON text, and
		// the library's expected header is over the escaped form of its UTF-8 test body
		String text = Files.readString(FIXTURES.resolve("whatsapp-api-js/test/index.test.body.txt"));
		byte[] raw = text.getBytes(StandardCharsets.UTF_8);
		byte[] escaped = escapeNonAscii(text).getBytes(StandardCharsets.US_ASCII);
		String header = "sha256=0363007aabdf1ab579f35936651a460fb5fa1aaf40df98b1264446b72cc96688";

		// when
		int rawStatus = post("/webhooks/whatsapp/js", raw, "application/json", Map.of("X-Hub-Signature-256", header));
		int escapedStatus = post("/webhooks/whatsapp/js", escaped, "application/json",
				Map.of("X-Hub-Signature-256", header));

		// then the raw UTF-8 bytes are not what was signed; the escaped text is, and is
		// kept although it is not JSON, with no routing keys
		assertThat(rawStatus).isEqualTo(401);
		assertThat(escapedStatus).isEqualTo(200);
		assertThat(this.jdbc.queryForList("SELECT cardinality(routing) FROM capture_inbox", Integer.class))
			.containsExactly(0);
	}

	@Test
	void whatsAppVerificationHandshakeEchoesTheChallengeAsTextForTheRightTokenOnlyWhateverTheAccept() throws Exception {
		// when the handshake comes without an Accept header, with */*, with a browser's
		// and
		// with a JSON client's
		String right = "/webhooks/whatsapp/main?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444";
		List<HttpResponse<String>> answers = new ArrayList<>();
		answers.add(get(right));
		for (String accept : List.of("*/*", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
				"application/json")) {
			answers.add(this.http.send(HttpRequest.newBuilder(uri(right)).header("Accept", accept).GET().build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		HttpResponse<String> wrong = get(
				"/webhooks/whatsapp/main?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444");

		// then the challenge is echoed as plain text to every one of them
		for (HttpResponse<String> answer : answers) {
			assertThat(answer.statusCode()).as(answer.request().headers().map().toString()).isEqualTo(200);
			assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(MediaType.parseMediaType(type).isCompatibleWith(MediaType.TEXT_PLAIN)).as(type)
						.isTrue());
			assertThat(answer.body()).isEqualTo("1158201444");
		}
		assertThat(wrong.statusCode()).isEqualTo(403);
		assertThat(refusals()).containsEntry("bad_verify_token", 1L);
	}

	@Test
	void slackSignaturesFollowTheDocumentedVector() throws Exception {
		// given Slack's published example (python-slack-sdk's and java-slack-sdk's tests)
		byte[] body = Files
			.readAllBytes(FIXTURES.resolve("python-slack-sdk/tests/signature/test_signature_verifier.body.txt"));

		// when
		byte[] mac = Signatures.hmacSha256(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8),
				"v0:1531420618:".getBytes(StandardCharsets.UTF_8), body);

		// then
		assertThat(
				Signatures.matches("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "v0=", mac))
			.isTrue();
		assertThat(
				Signatures.matches("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b504", "v0=", mac))
			.isFalse();
	}

	@Test
	void slackUrlVerificationIsAnsweredAndEventsAreStoredOncePerEventIdWithinFiveMinutes() throws Exception {
		// given
		byte[] verification = Files.readAllBytes(PAYLOADS.resolve("slack-url-verification.json"));
		byte[] event = Files.readAllBytes(PAYLOADS.resolve("slack-event-callback.json"));
		long now = NOW.getEpochSecond();

		// when
		Map<String, String> verificationHeaders = new java.util.HashMap<>(slackHeaders(now, verification));
		verificationHeaders.put("Content-Type", "application/json");
		HttpResponse<String> challenge = postForBody("/webhooks/slack/workspace", verification, verificationHeaders);
		List<Integer> deliveries = new ArrayList<>();
		for (int retry = 0; retry < 3; retry++) {
			Map<String, String> headers = new java.util.HashMap<>(slackHeaders(now + retry, event));
			if (retry > 0) {
				headers.put("X-Slack-Retry-Num", Integer.toString(retry));
				headers.put("X-Slack-Retry-Reason", "http_timeout");
			}
			deliveries.add(post("/webhooks/slack/workspace", event, "application/json", headers));
		}
		int replayed = post("/webhooks/slack/workspace", event, "application/json", slackHeaders(now - 301, event));
		int wrong = post("/webhooks/slack/workspace", event, "application/json",
				Map.of("X-Slack-Request-Timestamp", Long.toString(now), "X-Slack-Signature",
						"v0=" + hmacHex("other", ("v0:" + now + ":").getBytes(StandardCharsets.UTF_8), event)));
		int missing = post("/webhooks/slack/workspace", event, "application/json",
				Map.of("X-Slack-Request-Timestamp", Long.toString(now)));

		// then
		assertThat(challenge.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(challenge.body()).path("challenge").asString())
			.isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
		assertThat(deliveries).containsOnly(200);
		assertThat(List.of(replayed, wrong, missing)).containsExactly(401, 401, 401);
		assertThat(this.jdbc.queryForList("SELECT dedupe_key FROM capture_inbox", String.class))
			.containsExactly("event:Ev123ABC456");
		assertThat(this.jdbc.queryForObject("SELECT array_to_string(routing, ',') FROM capture_inbox", String.class))
			.isEqualTo("slack-channel:C123ABC456,slack-user:U123ABC456");
		assertThat(refusals()).containsEntry("stale_timestamp", 1L)
			.containsEntry("bad_signature", 1L)
			.containsEntry("missing_signature", 1L);
	}

	@Test
	void graphValidationIsEchoedAndEncryptedNotificationsAreDecryptedCheckedAndStoredOnce() throws Exception {
		// given
		byte[] notification = graphNotification(CLIENT_STATE, false);

		// when
		HttpResponse<String> validation = postForBody("/webhooks/teams/tenant?validationToken=" + URLEncoder.encode(
				"Validation: Testing client application " + "reachability for subscription Request-Id: 1",
				StandardCharsets.UTF_8), new byte[0], Map.of());
		List<Integer> statuses = new ArrayList<>();
		for (int attempt = 0; attempt < 3; attempt++) {
			statuses.add(post("/webhooks/teams/tenant", notification, "application/json; charset=utf-8", Map.of()));
		}
		int wrongState = post("/webhooks/teams/tenant", graphNotification("guessed", false), "application/json",
				Map.of());
		int tampered = post("/webhooks/teams/tenant", graphNotification(CLIENT_STATE, true), "application/json",
				Map.of());
		Map<String, Object> otherTenant = GraphTokenIssuer.claims(NOW);
		otherTenant.put("tid", "another-tenant");
		otherTenant.put("iss", "https://sts.windows.net/another-tenant/");
		List<Integer> badTokens = List.of(
				post("/webhooks/teams/tenant",
						graphNotification(CLIENT_STATE, false,
								GraphTokenIssuer.token(Map.of("alg", "RS256", "kid", MICROSOFT.kid),
										GraphTokenIssuer.claims(NOW), GraphTokenIssuer.rsa()),
								GraphTokenIssuer.TENANT),
						"application/json", Map.of()),
				post("/webhooks/teams/tenant",
						graphNotification(CLIENT_STATE, false, MICROSOFT.token(otherTenant), GraphTokenIssuer.TENANT),
						"application/json", Map.of()),
				post("/webhooks/teams/tenant",
						graphNotification(CLIENT_STATE, false, MICROSOFT.token(otherTenant), "another-tenant"),
						"application/json", Map.of()));

		// then
		assertThat(validation.statusCode()).isEqualTo(200);
		assertThat(validation.body())
			.isEqualTo("Validation: Testing client application reachability for subscription Request-Id: 1");
		assertThat(statuses).containsOnly(202);
		assertThat(List.of(wrongState, tampered)).containsExactly(401, 401);
		// forged under Microsoft's kid; a token of another tenant for our tenant's
		// notification; another tenant, not one we take
		assertThat(badTokens).containsExactly(401, 401, 401);
		assertThat(count("SELECT count(*) FROM capture_inbox")).isEqualTo(1);
		assertThat(refusals()).containsEntry("bad_client_state", 1L)
			.containsEntry("bad_encrypted_content", 1L)
			.containsEntry("bad_validation_token", 3L);
		List<InboxDelivery> waiting = this.inbox.waiting(this.groups.group("chats").orElseThrow(), null,
				NOW.plusSeconds(1), null, 10);
		assertThat(waiting).hasSize(1);
		assertThat(waiting.get(0).platform()).isEqualTo(InboxPlatform.TEAMS);
		assertThat(waiting.get(0).account().key()).isEqualTo("teams-chat:" + CHAT);
		assertThat(waiting.get(0).body()).isEqualTo(notification);
		JsonNode resources = this.json.readTree(waiting.get(0).resources());
		assertThat(resources.path(0).path("body").path("content").asString()).isEqualTo("TEAMS-CANARY Hello World");
	}

	@Test
	void oneSyncWindowArchivesWhatTheInboxHoldsAndStatusShowsTheInbox() throws Exception {
		// given a WhatsApp text and a signed body that is not JSON for the desk (the
		// unrouted group), a Slack message and a Teams chat message for the other group
		byte[] whatsapp = pywaMessages().get(0);
		post("/webhooks/whatsapp/main", whatsapp, "application/json",
				Map.of("X-Hub-Signature-256", "sha256=" + hmacHex(APP_SECRET, whatsapp)));
		byte[] notJson = "{\"object\":\"whatsapp_business_account\",\"entry\":[".getBytes(StandardCharsets.UTF_8);
		post("/webhooks/whatsapp/main", notJson, "application/json",
				Map.of("X-Hub-Signature-256", "sha256=" + hmacHex(APP_SECRET, notJson)));
		byte[] slack = Files.readAllBytes(PAYLOADS.resolve("slack-event-callback.json"));
		post("/webhooks/slack/workspace", slack, "application/json", slackHeaders(NOW.getEpochSecond(), slack));
		post("/webhooks/teams/tenant", graphNotification(CLIENT_STATE, false), "application/json", Map.of());
		post("/webhooks/whatsapp/main", whatsapp, "application/json", Map.of());
		Map<String, Object> before = this.inbox.figures();

		// when the window after the captures ends
		this.clock.set(Instant.parse("2026-11-30T09:15:30Z"));
		RunOutcome outcome = this.runs.start("sync", Map.of("group", "desk"));

		// then
		assertThat(before).containsEntry("waiting", 4L).containsEntry("refused", Map.of("missing_signature", 1L));
		assertThat(outcome.exitCode()).as(outcome.message()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(outcome.message()).contains("inbox 2 +")
			.contains("archived 1 +")
			.contains("quarantined 1 (balanced)");
		Map<String, Object> window = this.jdbc
			.queryForMap("SELECT inbox_deliveries, inbox_records, archived FROM sync_window WHERE group_name = 'desk' "
					+ "AND window_end = '2026-11-30T09:15:00Z'");
		assertThat(window).containsEntry("inbox_deliveries", 2L).containsEntry("archived", 1L);
		assertThat(this.jdbc.queryForList(
				"SELECT i.platform FROM capture_inbox i JOIN capture_inbox_waiting w ON w.id = i.id ORDER BY 1",
				String.class))
			.containsExactly("SLACK", "TEAMS");
		assertThat(this.jdbc.queryForList("""
				SELECT i.platform FROM capture_inbox i JOIN capture_inbox_drained d ON d.id = i.id
				WHERE d.drained_by = ? ORDER BY 1
				""", String.class, outcome.execution().orElseThrow().getId())).containsExactly("WHATSAPP", "WHATSAPP");
		assertThat(this.inbox.figures()).containsEntry("waiting", 2L);

		// and a redelivery of a drained body is counted, not queued again
		assertThat(post("/webhooks/whatsapp/main", whatsapp, "application/json",
				Map.of("X-Hub-Signature-256", "sha256=" + hmacHex(APP_SECRET, whatsapp))))
			.isEqualTo(200);
		assertThat(this.inbox.figures()).containsEntry("waiting", 2L);
		assertThat(count("SELECT sum(redeliveries) FROM capture_inbox")).isEqualTo(1);
	}

	@Test
	void pgDumpAfterCapturingHoldsNoneOfTheBodiesText() throws Exception {
		// given bodies of the three platforms with known text
		String whatsAppText = "WHATSAPP-CANARY sell before Friday";
		byte[] whatsapp = new String(pywaMessages().get(0), StandardCharsets.UTF_8).replace("Body Text", whatsAppText)
			.getBytes(StandardCharsets.UTF_8);
		byte[] slack = Files.readString(PAYLOADS.resolve("slack-event-callback.json"))
			.replace("Live long and prospect.", "SLACK-CANARY Live long and prospect.")
			.getBytes(StandardCharsets.UTF_8);
		post("/webhooks/whatsapp/main", whatsapp, "application/json",
				Map.of("X-Hub-Signature-256", "sha256=" + hmacHex(APP_SECRET, whatsapp)));
		post("/webhooks/slack/workspace", slack, "application/json", slackHeaders(NOW.getEpochSecond(), slack));
		post("/webhooks/teams/tenant", graphNotification(CLIENT_STATE, false), "application/json", Map.of());
		assertThat(count("SELECT count(*) FROM capture_inbox")).isEqualTo(3);

		// when
		String dump = PgDump.of(DATABASE, Files.createTempDirectory(home, "dump"));

		// then
		assertThat(dump).contains("capture_inbox").contains("event:Ev123ABC456");
		String lowerCaseDump = dump.toLowerCase(java.util.Locale.ROOT);
		for (String secret : List.of("WHATSAPP-CANARY", "SLACK-CANARY", "TEAMS-CANARY", "sell before Friday",
				"Live long and prospect")) {
			assertThat(dump).doesNotContain(secret);
			// bytea is dumped as hex: plaintext in a bytea column would show so
			assertThat(lowerCaseDump).doesNotContain(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8)));
		}
	}

	private List<byte[]> pywaMessages() throws IOException {
		JsonNode cases = this.json
			.readTree(Files.readAllBytes(FIXTURES.resolve("pywa/tests/data/updates/message.json")));
		List<byte[]> bodies = new ArrayList<>();
		for (String name : List.of("text", "image", "reaction", "reply", "contacts", "current_location")) {
			bodies.add(this.json.writeValueAsBytes(cases.path(name)));
		}
		return bodies;
	}

	static WireMockServer keySet() {
		WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		server.start();
		server
			.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/common/discovery/v2.0/keys"))
				.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(MICROSOFT.jwks())));
		return server;
	}

	@AfterAll
	static void stopKeySet() {
		KEY_SET.stop();
	}

	byte[] graphNotification(String clientState, boolean tamper) throws Exception {
		return graphNotification(clientState, tamper, MICROSOFT.token(GraphTokenIssuer.claims(this.clock.instant())),
				GraphTokenIssuer.TENANT);
	}

	byte[] graphNotification(String clientState, boolean tamper, String validationToken, String tenant)
			throws Exception {
		byte[] resource = Files.readAllBytes(PAYLOADS.resolve("graph-chat-message.json"));
		byte[] key = new byte[32];
		new java.security.SecureRandom().nextBytes(key);
		Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
		aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
		byte[] data = aes.doFinal(resource);
		byte[] signature = Signatures.hmacSha256(key, data);
		if (tamper) {
			data[data.length - 1] ^= 1;
		}
		Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
		rsa.init(Cipher.ENCRYPT_MODE, GRAPH_KEYS.getPublic(),
				new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));
		Base64.Encoder base64 = Base64.getEncoder();
		return Files.readString(PAYLOADS.resolve("graph-chat-message-notification.json"))
			.replace("${clientState}", clientState)
			.replace("${data}", base64.encodeToString(data))
			.replace("${dataSignature}", base64.encodeToString(signature))
			.replace("${dataKey}", base64.encodeToString(rsa.doFinal(key)))
			.replace("${certificateId}", "chatvault-graph-1")
			.replace("${thumbprint}", "0000")
			.replace("<<--TenantForWhichNotificationWasSent-->>", tenant)
			.replace("<<--ValidationTokens-->>", validationToken)
			.getBytes(StandardCharsets.UTF_8);
	}

	private Map<String, String> slackHeaders(long timestamp, byte[] body) {
		return Map.of("X-Slack-Request-Timestamp", Long.toString(timestamp), "X-Slack-Signature",
				"v0=" + hmacHex(SIGNING_SECRET, ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8), body));
	}

	private int post(String path, byte[] body, String contentType, Map<String, String> headers) throws Exception {
		Map<String, String> all = new java.util.HashMap<>(headers);
		all.put("Content-Type", contentType);
		return postForBody(path, body, all).statusCode();
	}

	private HttpResponse<String> postForBody(String path, byte[] body, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		headers.forEach(request::header);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.environment.getProperty("local.server.port") + path);
	}

	private long count(String sql) {
		Long count = this.jdbc.queryForObject(sql, Long.class);
		return (count != null) ? count : 0;
	}

	private Map<String, Long> refusals() {
		Map<String, Long> refusals = new java.util.HashMap<>();
		this.jdbc.query("SELECT reason, count(*) FROM capture_refusal GROUP BY reason", (rs) -> {
			refusals.put(rs.getString(1), rs.getLong(2));
		});
		return refusals;
	}

	static String hmacHex(String secret, byte[]... parts) {
		return HexFormat.of().formatHex(Signatures.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), parts));
	}

	static String escapeNonAscii(String text) {
		StringBuilder escaped = new StringBuilder();
		for (char c : text.toCharArray()) {
			escaped.append((c < 128) ? String.valueOf(c) : String.format("\\u%04x", (int) c));
		}
		return escaped.toString();
	}

	private static KeyPair rsaKeys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static class Beans {

		@Bean
		@Primary
		MutableClock testClock() {
			return new MutableClock(NOW);
		}

	}

}
