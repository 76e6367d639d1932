package io.chatvault.sync;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

import tools.jackson.databind.JsonNode;

import io.chatvault.source.JsonRecords;

/**
 * The bearer token for Graph: the configured one, or one obtained with the client
 * credentials grant ({@code tenant-id}, {@code client-id}, {@code client-secret}) and
 * renewed a minute before it expires.
 */
class GraphTokens {

	private final ApiClient api;

	private final SyncProperties.Graph settings;

	private final Clock clock;

	private String token;

	private Instant expires = Instant.MIN;

	GraphTokens(ApiClient api, SyncProperties.Graph settings, Clock clock) {
		this.api = api;
		this.settings = settings;
		this.clock = clock;
	}

	/** Fails with one line when neither a token nor client credentials are configured. */
	void check() {
		if (blank(this.settings.token()) && (blank(this.settings.clientId()) || blank(this.settings.clientSecret())
				|| (blank(this.settings.tenantId()) && this.settings.tokenUrl() == null))) {
			throw new IllegalStateException("Teams accounts need chatvault.sync.graph.token, or "
					+ "chatvault.sync.graph.tenant-id, client-id and client-secret");
		}
	}

	String token() {
		if (!blank(this.settings.token())) {
			return this.settings.token();
		}
		if (this.token == null || this.clock.instant().isAfter(this.expires.minusSeconds(60))) {
			URI endpoint = (this.settings.tokenUrl() != null) ? this.settings.tokenUrl() : URI
				.create("https://login.microsoftonline.com/" + this.settings.tenantId() + "/oauth2/v2.0/token");
			JsonNode answer = this.api.postForm(endpoint,
					"grant_type=client_credentials&client_id=" + encode(this.settings.clientId()) + "&client_secret="
							+ encode(this.settings.clientSecret()) + "&scope="
							+ encode("https://graph.microsoft.com/.default"));
			this.token = JsonRecords.text(answer, "access_token");
			if (this.token == null) {
				throw new ApiClient.ApiException("the token endpoint " + endpoint + " gave no access_token");
			}
			String expiresIn = JsonRecords.text(answer, "expires_in");
			this.expires = this.clock.instant().plusSeconds((expiresIn != null) ? Long.parseLong(expiresIn) : 300);
		}
		return this.token;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static boolean blank(String value) {
		return value == null || value.isBlank();
	}

}
