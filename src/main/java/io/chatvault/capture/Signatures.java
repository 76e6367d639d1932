package io.chatvault.capture;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 request signatures over the raw bytes as received, compared in constant
 * time ({@link MessageDigest#isEqual}): WhatsApp's {@code X-Hub-Signature-256:
 * sha256=<hex>} and Slack's {@code X-Slack-Signature: v0=<hex>} over
 * {@code v0:<timestamp>:<body>}.
 */
final class Signatures {

	private Signatures() {
	}

	// Mac.getInstance looks the algorithm up among the providers: once per thread, not
	// per request.
	private static final ThreadLocal<Mac> macs = ThreadLocal.withInitial(Signatures::newMac);

	static byte[] hmacSha256(byte[] key, byte[]... parts) {
		Mac mac = macs.get();
		init(mac, key);
		for (byte[] part : parts) {
			mac.update(part);
		}
		return mac.doFinal();
	}

	/**
	 * A new HMAC-SHA256 under a key, for a caller that signs many messages itself.
	 * @param key the key
	 * @return the MAC, ready
	 */
	static Mac hmac(byte[] key) {
		Mac mac = newMac();
		init(mac, key);
		return mac;
	}

	private static Mac newMac() {
		try {
			return Mac.getInstance("HmacSHA256");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required by every Java platform", ex);
		}
	}

	private static void init(Mac mac, byte[] key) {
		try {
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("not an HMAC key", ex);
		}
	}

	/**
	 * Whether a header {@code <prefix><hex>} carries the expected MAC.
	 * @param header the header's value
	 * @param prefix {@code sha256=} or {@code v0=}
	 * @param expected the MAC computed here
	 * @return true when it matches
	 */
	static boolean matches(String header, String prefix, byte[] expected) {
		if (!header.startsWith(prefix)) {
			return false;
		}
		byte[] given;
		try {
			given = HexFormat.of()
				.parseHex(header.substring(prefix.length()).trim().toLowerCase(java.util.Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		return MessageDigest.isEqual(given, expected);
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
