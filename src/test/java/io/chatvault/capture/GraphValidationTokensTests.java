package io.chatvault.capture;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.chatvault.access.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The validation tokens of Graph notifications with resource data, against a key set
 * served over HTTP as the identity platform serves it: what passes, every way a forger or
 * a stale token fails, and a key set that cannot be had.
 */
class GraphValidationTokensTests {

	static final Instant NOW = Instant.parse("2026-11-30T09:01:00Z");

	final WireMockServer keySet = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

	final GraphTokenIssuer microsoft = new GraphTokenIssuer("kid-2026-11");

	final MutableClock clock = new MutableClock(NOW);

	GraphValidationTokens tokens;

	@BeforeEach
	void start() {
		this.keySet.start();
		serve(this.microsoft.jwks());
		this.tokens = new GraphValidationTokens(URI.create(this.keySet.baseUrl() + "/common/discovery/v2.0/keys"),
				this.clock);
	}

	@AfterEach
	void stop() {
		this.keySet.stop();
	}

	@Test
	void aTokenOfTheDocumentedShapeVouchesForItsTenantAndTheKeysAreFetchedOnce() throws Exception {
		// given
		String v1 = this.microsoft.token(GraphTokenIssuer.claims(NOW));
		Map<String, Object> v2Claims = GraphTokenIssuer.claims(NOW);
		v2Claims.remove("appid");
		v2Claims.put("azp", GraphValidationTokens.GRAPH_CHANGE_TRACKING);
		v2Claims.put("iss", "https://login.microsoftonline.com/other-tenant/v2.0");
		v2Claims.put("tid", "other-tenant");
		v2Claims.put("aud", List.of("some-other-app", GraphTokenIssuer.APPLICATION_ID));
		v2Claims.put("ver", "2.0");
		String v2 = this.microsoft.token(v2Claims);

		// when
		var tenants = this.tokens.tenants(List.of(v1, v2), GraphTokenIssuer.APPLICATION_ID);
		var again = this.tokens.tenants(List.of(v1), GraphTokenIssuer.APPLICATION_ID);

		// then
		assertThat(tenants).containsExactly(GraphTokenIssuer.TENANT, "other-tenant");
		assertThat(again).containsExactly(GraphTokenIssuer.TENANT);
		this.keySet.verify(1, getRequestedFor(urlPathEqualTo("/common/discovery/v2.0/keys")));
	}

	@Test
	void forgedStaleMisaddressedAndMalformedTokensAreRefusedEachForItsReason() {
		// given
		Map<String, Object> good = GraphTokenIssuer.claims(NOW);
		var forger = GraphTokenIssuer.rsa();
		Map<String, String> rs256 = Map.of("alg", "RS256", "kid", this.microsoft.kid);
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String unsigned = b64.encodeToString("{\"alg\":\"none\",\"kid\":\"kid-2026-11\"}".getBytes()) + "."
				+ b64.encodeToString(("{\"aud\":\"" + GraphTokenIssuer.APPLICATION_ID + "\"}").getBytes()) + ".";
		String valid = this.microsoft.token(good);
		String[] parts = valid.split("\\.");
		String claimsSwapped = parts[0] + "."
				+ b64.encodeToString(
						("{\"aud\":\"" + GraphTokenIssuer.APPLICATION_ID + "\",\"tid\":\"evil\"}").getBytes())
				+ "." + parts[2];
		Map<String, String> cases = new java.util.LinkedHashMap<>();
		cases.put("signed by another key under Microsoft's kid", GraphTokenIssuer.token(rs256, good, forger));
		cases.put("alg none", unsigned);
		cases.put("HS256",
				GraphTokenIssuer.token(Map.of("alg", "HS256", "kid", this.microsoft.kid), good, this.microsoft.keys));
		cases.put("claims swapped under a valid signature", claimsSwapped);
		cases.put("expired",
				this.microsoft.token(with(good, "exp", NOW.minus(Duration.ofMinutes(6)).getEpochSecond())));
		cases.put("not yet valid",
				this.microsoft.token(with(good, "nbf", NOW.plus(Duration.ofMinutes(6)).getEpochSecond())));
		cases.put("no exp", this.microsoft.token(with(good, "exp", null)));
		cases.put("for another app", this.microsoft.token(with(good, "aud", "another-app")));
		cases.put("issued by another app than Graph change tracking",
				this.microsoft.token(with(good, "appid", "11111111-2222-3333-4444-555555555555")));
		cases.put("issuer of another tenant",
				this.microsoft.token(with(good, "iss", "https://sts.windows.net/another-tenant/")));
		cases.put("issuer not the identity platform",
				this.microsoft.token(with(good, "iss", "https://evil.example/" + GraphTokenIssuer.TENANT + "/")));
		cases.put("no tid", this.microsoft.token(with(good, "tid", null)));
		cases.put("two parts", parts[0] + "." + parts[1]);
		cases.put("not base64", "!!!." + parts[1] + "." + parts[2]);
		cases.put("header not an object", b64.encodeToString("[1]".getBytes()) + "." + parts[1] + "." + parts[2]);
		cases.put("gigantic", "a".repeat(20_000));

		// when
		List<String> accepted = new ArrayList<>();
		cases.forEach((name, token) -> {
			try {
				this.tokens.tenants(List.of(valid, token), GraphTokenIssuer.APPLICATION_ID);
				accepted.add(name);
			}
			catch (GraphValidationTokens.Invalid expected) {
				// refused
			}
			catch (GraphValidationTokens.KeysUnavailable ex) {
				throw new AssertionError(ex);
			}
		});

		this.clock.advance(Duration.ofSeconds(61));
		String unknownKid = GraphTokenIssuer.token(Map.of("alg", "RS256", "kid", "kid-unknown"), good, forger);

		// then
		assertThat(accepted).isEmpty();
		assertThatExceptionOfType(GraphValidationTokens.Invalid.class)
			.isThrownBy(() -> this.tokens.tenants(List.of(unknownKid), GraphTokenIssuer.APPLICATION_ID))
			.withMessageContaining("not in");
		assertThatExceptionOfType(GraphValidationTokens.Invalid.class)
			.isThrownBy(() -> this.tokens.tenants(List.of(), GraphTokenIssuer.APPLICATION_ID))
			.withMessage("no validationTokens");
		assertThatExceptionOfType(GraphValidationTokens.Invalid.class)
			.isThrownBy(() -> this.tokens.tenants(List.of(valid), "another-app"))
			.withMessageContaining("audience");
	}

	@Test
	void aRotatedKeyIsFetchedWhenATokenNamesItButNotMoreThanOnceAMinute() throws Exception {
		// given
		this.tokens.tenants(List.of(this.microsoft.token(GraphTokenIssuer.claims(NOW))),
				GraphTokenIssuer.APPLICATION_ID);
		GraphTokenIssuer rotated = new GraphTokenIssuer("kid-2026-12");
		serve(rotated.jwks());
		String unknownYet = rotated.token(GraphTokenIssuer.claims(NOW));

		// when
		boolean laterWithinTheMinute = unavailable(unknownYet);
		this.clock.advance(Duration.ofSeconds(61));
		var afterTheMinute = this.tokens.tenants(List.of(unknownYet), GraphTokenIssuer.APPLICATION_ID);
		var oldKeyGone = unavailable(this.microsoft.token(GraphTokenIssuer.claims(NOW)));
		this.clock.advance(Duration.ofSeconds(61));
		boolean oldKeyRefused;
		try {
			this.tokens.tenants(List.of(this.microsoft.token(GraphTokenIssuer.claims(NOW))),
					GraphTokenIssuer.APPLICATION_ID);
			oldKeyRefused = false;
		}
		catch (GraphValidationTokens.Invalid expected) {
			oldKeyRefused = true;
		}

		this.clock.advance(Duration.ofSeconds(61));
		this.keySet.resetMappings();
		this.keySet.stubFor(get(urlPathEqualTo("/common/discovery/v2.0/keys")).willReturn(aResponse().withStatus(503)));
		boolean newKeyDuringAnOutage = unavailable(
				new GraphTokenIssuer("kid-2027-01").token(GraphTokenIssuer.claims(NOW)));

		// then
		assertThat(newKeyDuringAnOutage).isTrue();
		assertThat(laterWithinTheMinute).isTrue();
		assertThat(afterTheMinute).containsExactly(GraphTokenIssuer.TENANT);
		assertThat(oldKeyGone).isTrue();
		assertThat(oldKeyRefused).isTrue();
		this.keySet.verify(4, getRequestedFor(urlPathEqualTo("/common/discovery/v2.0/keys")));
	}

	@Test
	void aKeySetThatCannotBeHadIsUnavailableNeverAPass() {
		String token = this.microsoft.token(GraphTokenIssuer.claims(NOW));
		for (var response : List.of(aResponse().withStatus(500), aResponse().withStatus(200).withBody("not json"),
				aResponse().withStatus(200).withBody("{\"keys\":[]}"),
				aResponse().withStatus(200)
					.withBody("{\"keys\":[" + "{}".repeat(0) + "\"" + "x".repeat(1_100_000) + "\"]}"),
				aResponse().withStatus(302).withHeader("Location", "https://evil.example/keys"))) {
			// given
			this.keySet.resetAll();
			this.keySet.stubFor(get(urlPathEqualTo("/common/discovery/v2.0/keys")).willReturn(response));
			GraphValidationTokens fresh = new GraphValidationTokens(
					URI.create(this.keySet.baseUrl() + "/common/discovery/v2.0/keys"), this.clock);

			// when, then
			assertThatExceptionOfType(GraphValidationTokens.KeysUnavailable.class)
				.isThrownBy(() -> fresh.tenants(List.of(token), GraphTokenIssuer.APPLICATION_ID));
		}
	}

	@Test
	void resourceDataWithoutAnApplicationIdToCheckTokensAgainstIsAConfigurationError() {
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> new CaptureProperties.Teams("state", Path.of("graph.pem"), "graph-1", null, Set.of(), null))
			.withMessageStartingWith("application-id must be set with private-key");
		assertThat(new CaptureProperties.Teams("state", null, null, null, Set.of(), null).applicationId()).isNull();
	}

	private boolean unavailable(String token) throws GraphValidationTokens.Invalid {
		try {
			this.tokens.tenants(List.of(token), GraphTokenIssuer.APPLICATION_ID);
			return false;
		}
		catch (GraphValidationTokens.KeysUnavailable expected) {
			return true;
		}
	}

	private void serve(String jwks) {
		this.keySet.resetMappings();
		this.keySet.stubFor(get(urlPathEqualTo("/common/discovery/v2.0/keys"))
			.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(jwks)));
	}

	private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
		Map<String, Object> copy = new java.util.LinkedHashMap<>(claims);
		if (value == null) {
			copy.remove(name);
		}
		else {
			copy.put(name, value);
		}
		return copy;
	}

}
