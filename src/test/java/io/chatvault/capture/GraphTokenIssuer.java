package io.chatvault.capture;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * Issues validation tokens the way the Microsoft identity platform does for Graph change
 * notifications with resource data (RS256 JWTs with the claims of Graph's documented
 * example: {@code aud} our app, {@code appid} Graph change tracking, {@code iss} and
 * {@code tid} the tenant), under a key of its own, and publishes that key as a JWKS.
 */
final class GraphTokenIssuer {

	static final String APPLICATION_ID = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";

	static final String TENANT = "84bd8158-6d4d-4958-8b9f-9d6445542f95";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	final String kid;

	final KeyPair keys;

	GraphTokenIssuer(String kid) {
		this.kid = kid;
		this.keys = rsa();
	}

	/**
	 * The key set as {@code login.microsoftonline.com/common/discovery/v2.0/keys} serves
	 * it.
	 */
	String jwks() {
		RSAPublicKey key = (RSAPublicKey) this.keys.getPublic();
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"" + this.kid + "\",\"x5t\":\"" + this.kid
				+ "\",\"n\":\"" + b64.encodeToString(unsigned(key.getModulus().toByteArray())) + "\",\"e\":\""
				+ b64.encodeToString(unsigned(key.getPublicExponent().toByteArray())) + "\",\"issuer\":"
				+ "\"https://login.microsoftonline.com/{tenantid}/v2.0\"}]}";
	}

	/**
	 * The claims of Graph's documented example token, valid an hour around {@code now}.
	 */
	static Map<String, Object> claims(Instant now) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("aud", APPLICATION_ID);
		claims.put("iss", "https://sts.windows.net/" + TENANT + "/");
		claims.put("iat", now.getEpochSecond() - 60);
		claims.put("nbf", now.getEpochSecond() - 60);
		claims.put("exp", now.getEpochSecond() + 3600);
		claims.put("aio", "42FgYKhZ+uOZrHa7p+7tfruauq1HAA==");
		claims.put("appid", GraphValidationTokens.GRAPH_CHANGE_TRACKING);
		claims.put("appidacr", "2");
		claims.put("idp", "https://sts.windows.net/" + TENANT + "/");
		claims.put("tid", TENANT);
		claims.put("uti", "-KoJHevhgEGnN4kwuixpAA");
		claims.put("ver", "1.0");
		return claims;
	}

	String token(Map<String, Object> claims) {
		return token(Map.of("typ", "JWT", "alg", "RS256", "kid", this.kid), claims, this.keys);
	}

	static String token(Map<String, ?> header, Map<String, Object> claims, KeyPair signer) {
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String signed = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
				+ b64.encodeToString(JSON.writeValueAsBytes(claims));
		try {
			Signature rsa = Signature.getInstance("SHA256withRSA");
			rsa.initSign(signer.getPrivate());
			rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
			return signed + "." + b64.encodeToString(rsa.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static KeyPair rsa() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] unsigned(byte[] bytes) {
		return (bytes.length > 1 && bytes[0] == 0) ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
	}

}
