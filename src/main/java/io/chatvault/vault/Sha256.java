package io.chatvault.vault;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in lowercase hex, the form every hash in the index takes. */
final class Sha256 {

	private static final HexFormat HEX = HexFormat.of();

	private Sha256() {
	}

	static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	static String hex(byte[] bytes) {
		return HEX.formatHex(digest().digest(bytes));
	}

	static String hex(String text) {
		return hex(text.getBytes(StandardCharsets.UTF_8));
	}

	static String hexOf(MessageDigest digest) {
		return HEX.formatHex(digest.digest());
	}

	/**
	 * Hashes length-prefixed fields, so that no two different field sequences collide.
	 */
	static byte[] ofFields(String... fields) {
		MessageDigest digest = digest();
		for (String field : fields) {
			byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
			digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
			digest.update((byte) ':');
			digest.update(bytes);
		}
		return digest.digest();
	}

	static String hexOfFields(String... fields) {
		return HEX.formatHex(ofFields(fields));
	}

}
