package io.chatvault.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A WireMock server on loopback replaying Slack's and Graph's documented responses for
 * the tests' two windows (src/test/resources/sync), rate limits and transient errors
 * included; nothing reaches the internet.
 */
final class PlatformApis {

	static final String SLACK_TOKEN = "xoxb-test-token";

	static final String GRAPH_TOKEN = "graph-test-token";

	static final String CHANNEL = "C0123DESK";

	static final String TEAMS_USER = "8b081ef6-4792-4def-b2c9-c363a1bf41d5";

	private final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

	PlatformApis() {
		this.server.start();
	}

	String slackBase() {
		return this.server.baseUrl() + "/slack/api";
	}

	String graphBase() {
		return this.server.baseUrl() + "/graph/v1.0";
	}

	WireMockServer server() {
		return this.server;
	}

	void stop() {
		this.server.stop();
	}

	/** Both windows: 09:00-09:15 and 09:15-09:30 of 2024-03-12. */
	void stubTwoWindows() {
		String history = "/slack/api/conversations.history";
		String bearer = "Bearer " + SLACK_TOKEN;
		this.server.stubFor(get(urlPathEqualTo(history)).withHeader("Authorization", equalTo(bearer))
			.withQueryParam("channel", equalTo(CHANNEL))
			.withQueryParam("oldest", equalTo("1710234000.000000"))
			.withQueryParam("latest", equalTo("1710234900.000001"))
			.withQueryParam("cursor", WireMock.absent())
			.willReturn(json("slack/history-window1-page1.json")));
		// The second page is rate limited once: Retry-After must be honoured.
		this.server.stubFor(get(urlPathEqualTo(history)).inScenario("slack-rate-limit")
			.whenScenarioStateIs(Scenario.STARTED)
			.withQueryParam("cursor", equalTo("bmV4dF90czoxNzEwMjM0NjAwMDAwMTAw"))
			.willReturn(aResponse().withStatus(429)
				.withHeader("Retry-After", "1")
				.withHeader("Content-Type", "application/json;charset=utf-8")
				.withBody(text("slack/ratelimited.json")))
			.willSetStateTo("served"));
		this.server.stubFor(get(urlPathEqualTo(history)).inScenario("slack-rate-limit")
			.whenScenarioStateIs("served")
			.withQueryParam("cursor", equalTo("bmV4dF90czoxNzEwMjM0NjAwMDAwMTAw"))
			.willReturn(json("slack/history-window1-page2.json")));
		this.server.stubFor(get(urlPathEqualTo("/slack/api/conversations.replies"))
			.withQueryParam("ts", equalTo("1710234600.000100"))
			.willReturn(json("slack/replies-fixing.json")));
		this.server.stubFor(get(urlPathEqualTo("/slack/api/conversations.replies"))
			.withQueryParam("ts", equalTo("1710234500.000050"))
			.willReturn(json("slack/replies-tombstone.json")));
		this.server.stubFor(get(urlPathEqualTo(history)).withQueryParam("oldest", equalTo("1710234900.000000"))
			.willReturn(json("slack/history-window2.json")));

		String allMessages = "/graph/v1.0/users/" + TEAMS_USER + "/chats/getAllMessages";
		String graphBearer = "Bearer " + GRAPH_TOKEN;
		this.server.stubFor(get(urlPathEqualTo(allMessages)).withHeader("Authorization", equalTo(graphBearer))
			.withQueryParam("$filter",
					equalTo("lastModifiedDateTime gt 2024-03-12T08:59:59.999Z and lastModifiedDateTime lt "
							+ "2024-03-12T09:15:00Z"))
			.willReturn(json("graph/all-messages-window1-page1.json")));
		// The next link answers 503 once, with Retry-After.
		this.server.stubFor(get(urlPathEqualTo(allMessages)).inScenario("graph-unavailable")
			.whenScenarioStateIs(Scenario.STARTED)
			.withQueryParam("$skiptoken", equalTo("window1page2"))
			.willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1"))
			.willSetStateTo("served"));
		this.server.stubFor(get(urlPathEqualTo(allMessages)).inScenario("graph-unavailable")
			.whenScenarioStateIs("served")
			.withQueryParam("$skiptoken", equalTo("window1page2"))
			.willReturn(json("graph/all-messages-window1-page2.json")));
		this.server.stubFor(
				get(urlPathEqualTo(allMessages))
					.withQueryParam("$filter",
							containing("gt 2024-03-12T09:14:59.999Z and lastModifiedDateTime lt "
									+ "2024-03-12T09:30:00Z"))
					.willReturn(json("graph/all-messages-window2.json")));
	}

	private com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String resource) {
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json; charset=utf-8")
			.withBody(text(resource).replace("${base}", graphBase()));
	}

	static String text(String resource) {
		try (InputStream in = PlatformApis.class.getResourceAsStream("/sync/" + resource)) {
			if (in == null) {
				throw new IllegalArgumentException("no test resource sync/" + resource);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
