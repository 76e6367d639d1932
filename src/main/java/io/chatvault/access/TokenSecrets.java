package io.chatvault.access;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chatvault.message.Sha256;

/**
 * The form of personal access tokens: {@code cvt_<id>_<secret>}, a 12-hex-character
 * public id (it names the token in the audit log) and 256 random bits. Only the SHA-256
 * of the secret is stored: the secret has full entropy, so a plain hash cannot be
 * reversed by guessing, and a stolen table gives no usable token.
 */
final class TokenSecrets {

	private static final Pattern FORM = Pattern.compile("cvt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");

	private static final SecureRandom RANDOM = new SecureRandom();

	private TokenSecrets() {
	}

	/** A new token: its id and its whole text. */
	static Parsed generate() {
		byte[] id = new byte[6];
		byte[] secret = new byte[32];
		RANDOM.nextBytes(id);
		RANDOM.nextBytes(secret);
		return new Parsed(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
	}

	/**
	 * Splits a token into its id and secret.
	 * @param token the token as given
	 * @return its parts, or empty if it is not of the form
	 */
	static Optional<Parsed> parse(String token) {
		Matcher matcher = FORM.matcher(token.trim());
		return matcher.matches() ? Optional.of(new Parsed(matcher.group(1), matcher.group(2))) : Optional.empty();
	}

	/**
	 * Compares a secret with a stored hash in time that does not depend on where they
	 * differ.
	 */
	static boolean matches(String secret, byte[] storedHash) {
		return MessageDigest.isEqual(hash(secret), storedHash);
	}

	static byte[] hash(String secret) {
		return Sha256.digest().digest(secret.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
	}

	/**
	 * A token's parts.
	 *
	 * @param id the public id
	 * @param secret the secret
	 */
	record Parsed(String id, String secret) {

		String token() {
			return "cvt_" + this.id + "_" + this.secret;
		}

		@Override
		public String toString() {
			return "Parsed[" + this.id + "]";
		}

	}

}
