package io.chatvault.capture;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks the {@code validationTokens} of Microsoft Graph change notifications with
 * resource data, as Graph documents it ("Validating the authenticity of notifications"):
 * each token is a JWT that must be signed (RS256) by a key of the Microsoft identity
 * platform's published key set, not expired, issued for our app ({@code aud}) by the
 * Microsoft Graph change tracking app ({@code appid} or {@code azp}
 * {@value #GRAPH_CHANGE_TRACKING}), and its issuer must be the identity platform of its
 * tenant ({@code tid}). The tenants of the tokens that pass are what a notification's
 * {@code tenantId} is checked against.
 * <p>
 * The signing keys are fetched from the app's JWKS address and kept for a day (Microsoft
 * rotates them); a token naming a key that is not held fetches the set again, at most
 * once a minute (a key named within that minute is {@link KeysUnavailable}, not a
 * refusal). A key set that cannot be fetched is {@link KeysUnavailable} (answered 503 so
 * that Graph delivers again), never a reason to accept a token; a token whose key is not
 * in a freshly fetched set is {@link Invalid}.
 */
final class GraphValidationTokens {

	/**
	 * The application id of Microsoft Graph Change Tracking, the notifications'
	 * publisher.
	 */
	static final String GRAPH_CHANGE_TRACKING = "0bf30f3b-4a52-48df-9a82-234910c4a086";

	/** Microsoft's key set for all tenants. */
	static final URI MICROSOFT_KEYS = URI.create("https://login.microsoftonline.com/common/discovery/v2.0/keys");

	/** Clock skew allowed on {@code exp} and {@code nbf}. */
	static final Duration SKEW = Duration.ofMinutes(5);

	private static final Log logger = LogFactory.getLog(GraphValidationTokens.class);

	private static final int MAX_TOKEN = 16 * 1024;

	private static final int MAX_KEY_SET = 1024 * 1024;

	private static final Duration KEYS_FRESH = Duration.ofDays(1);

	private static final Duration REFETCH_AT_MOST_EVERY = Duration.ofMinutes(1);

	private final URI keySet;

	private final Clock clock;

	private final HttpClient http;

	private final JsonMapper json = JsonMapper.builder().build();

	private Map<String, PublicKey> keys = Map.of();

	private Instant fetched;

	private Instant lastAttempt;

	GraphValidationTokens(URI keySet, Clock clock) {
		this.keySet = (keySet != null) ? keySet : MICROSOFT_KEYS;
		this.clock = clock;
		this.http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/**
	 * Checks a notification collection's tokens.
	 * @param tokens the {@code validationTokens}
	 * @param applicationId our app's id, the tokens' audience
	 * @return the tenants whose notifications the tokens vouch for
	 * @throws Invalid when a token fails any check (one bad token makes the whole
	 * collection suspect, as Graph advises)
	 * @throws KeysUnavailable when the signing keys cannot be fetched
	 */
	Set<String> tenants(List<String> tokens, String applicationId) throws Invalid, KeysUnavailable {
		if (tokens.isEmpty()) {
			throw new Invalid("no validationTokens");
		}
		Set<String> tenants = new LinkedHashSet<>();
		for (String token : tokens) {
			tenants.add(tenant(token, applicationId));
		}
		return tenants;
	}

	private String tenant(String token, String applicationId) throws Invalid, KeysUnavailable {
		if (token == null || token.length() > MAX_TOKEN) {
			throw new Invalid("a token missing or over " + MAX_TOKEN + " characters");
		}
		String[] parts = token.split("\\.", -1);
		if (parts.length != 3) {
			throw new Invalid("not a signed JWT (" + parts.length + " parts)");
		}
		JsonNode header = object(parts[0], "header");
		JsonNode claims = object(parts[1], "claims");
		// Only RS256: "none", HS256 with the public key as a secret and every other
		// algorithm a forger could choose are refused before any key is looked up.
		if (!"RS256".equals(header.path("alg").asString(null))) {
			throw new Invalid("algorithm " + header.path("alg").asString("(none)") + ", not RS256");
		}
		String kid = header.path("kid").asString(null);
		if (kid == null || kid.isEmpty()) {
			throw new Invalid("no kid");
		}
		PublicKey key = key(kid);
		if (key == null) {
			throw new Invalid("signed by key " + kid + ", not in " + this.keySet);
		}
		if (!verifies(key, parts)) {
			throw new Invalid("signature does not verify under key " + kid);
		}
		Instant now = this.clock.instant();
		long exp = claims.path("exp").asLong(-1);
		if (exp < 0 || Instant.ofEpochSecond(exp).plus(SKEW).isBefore(now)) {
			throw new Invalid("expired or no exp (" + exp + ")");
		}
		long nbf = claims.path("nbf").asLong(0);
		if (Instant.ofEpochSecond(nbf).minus(SKEW).isAfter(now)) {
			throw new Invalid("not valid before " + Instant.ofEpochSecond(nbf));
		}
		if (!audience(claims.path("aud"), applicationId)) {
			throw new Invalid("audience " + claims.path("aud") + ", not " + applicationId);
		}
		String publisher = claims.hasNonNull("azp") ? claims.path("azp").asString("")
				: claims.path("appid").asString("");
		if (!GRAPH_CHANGE_TRACKING.equals(publisher)) {
			throw new Invalid("issued for app " + publisher + ", not Microsoft Graph change tracking");
		}
		String tenant = claims.path("tid").asString("");
		String issuer = claims.path("iss").asString("");
		if (tenant.isEmpty() || !(issuer.equals("https://sts.windows.net/" + tenant + "/")
				|| issuer.equals("https://login.microsoftonline.com/" + tenant + "/v2.0"))) {
			throw new Invalid("issuer " + issuer + " is not the identity platform of tenant " + tenant);
		}
		return tenant;
	}

	private JsonNode object(String part, String what) throws Invalid {
		try {
			JsonNode node = this.json.readTree(Base64.getUrlDecoder().decode(part));
			if (node == null || !node.isObject()) {
				throw new Invalid("the " + what + " is not a JSON object");
			}
			return node;
		}
		catch (IllegalArgumentException | JacksonException ex) {
			throw new Invalid("the " + what + " is not base64url JSON");
		}
	}

	private static boolean audience(JsonNode aud, String applicationId) {
		if (aud.isArray()) {
			for (JsonNode one : aud) {
				if (applicationId.equals(one.asString(null))) {
					return true;
				}
			}
			return false;
		}
		return applicationId.equals(aud.asString(null));
	}

	private static boolean verifies(PublicKey key, String[] parts) throws Invalid {
		try {
			Signature rsa = Signature.getInstance("SHA256withRSA");
			rsa.initVerify(key);
			rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
			return rsa.verify(Base64.getUrlDecoder().decode(parts[2]));
		}
		catch (IllegalArgumentException | GeneralSecurityException ex) {
			throw new Invalid("unreadable signature");
		}
	}

	private synchronized PublicKey key(String kid) throws KeysUnavailable {
		Instant now = this.clock.instant();
		boolean stale = this.fetched == null || this.fetched.plus(KEYS_FRESH).isBefore(now);
		boolean unknown = !this.keys.containsKey(kid);
		boolean mayFetch = this.lastAttempt == null || !this.lastAttempt.plus(REFETCH_AT_MOST_EVERY).isAfter(now);
		if ((stale || unknown) && mayFetch) {
			this.lastAttempt = now;
			try {
				this.keys = fetch();
				this.fetched = now;
			}
			catch (IOException ex) {
				logger.warn("Cannot fetch the Graph signing keys from " + this.keySet + ": " + ex.getMessage());
				if (this.keys.isEmpty() || unknown) {
					// a key published since the last fetch cannot be refused for good
					throw new KeysUnavailable(this.keySet + ": " + ex.getMessage());
				}
			}
		}
		else if (unknown) {
			// Perhaps a key published since the last fetch: not a reason to refuse for
			// good (Graph does not deliver a refused notification again), but no reason
			// to fetch more than once a minute either.
			throw new KeysUnavailable(
					this.keySet + ": key " + kid + " not held and the key set was fetched less than a minute ago");
		}
		return this.keys.get(kid);
	}

	private Map<String, PublicKey> fetch() throws IOException {
		HttpRequest request = HttpRequest.newBuilder(this.keySet).timeout(Duration.ofSeconds(10)).GET().build();
		byte[] body;
		try {
			HttpResponse<InputStream> response = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream in = response.body()) {
				if (response.statusCode() != 200) {
					throw new IOException("HTTP " + response.statusCode());
				}
				body = in.readNBytes(MAX_KEY_SET + 1);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		if (body.length > MAX_KEY_SET) {
			throw new IOException("key set over " + MAX_KEY_SET + " bytes");
		}
		Map<String, PublicKey> found = new HashMap<>();
		try {
			KeyFactory rsa = KeyFactory.getInstance("RSA");
			for (JsonNode key : this.json.readTree(body).path("keys")) {
				String kid = key.path("kid").asString(null);
				if (kid == null || !"RSA".equals(key.path("kty").asString(null))
						|| !"sig".equals(key.path("use").asString("sig"))) {
					continue;
				}
				BigInteger modulus = new BigInteger(1, Base64.getUrlDecoder().decode(key.path("n").asString("")));
				BigInteger exponent = new BigInteger(1, Base64.getUrlDecoder().decode(key.path("e").asString("")));
				found.put(kid, rsa.generatePublic(new RSAPublicKeySpec(modulus, exponent)));
			}
		}
		catch (JacksonException | IllegalArgumentException | GeneralSecurityException ex) {
			throw new IOException("not a JSON Web Key Set: " + ex.getMessage(), ex);
		}
		if (found.isEmpty()) {
			throw new IOException("no RSA signing keys in the key set");
		}
		return Map.copyOf(found);
	}

	/** A token that fails a check. */
	static final class Invalid extends Exception {

		Invalid(String message) {
			super(message);
		}

	}

	/** The signing keys could not be fetched. */
	static final class KeysUnavailable extends Exception {

		KeysUnavailable(String message) {
			super(message);
		}

	}

}
