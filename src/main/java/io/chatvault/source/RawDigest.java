package io.chatvault.source;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of raw source fragments and attachment bytes, as lowercase hex: the hashes that
 * let an auditor tie an archived record back to the bytes it was read from.
 */
public final class RawDigest {

	private static final HexFormat HEX = HexFormat.of();

	private RawDigest() {
	}

	/**
	 * Hashes bytes.
	 * @param bytes the bytes
	 * @return 64 lowercase hex characters
	 */
	public static String sha256Hex(byte[] bytes) {
		return HEX.formatHex(sha256().digest(bytes));
	}

	/**
	 * Hashes a stream to its end and counts its bytes.
	 * @param in the stream, not closed
	 * @return the hash and the size
	 * @throws IOException if the stream cannot be read
	 */
	public static Hashed sha256Hex(InputStream in) throws IOException {
		MessageDigest digest = sha256();
		byte[] buffer = new byte[64 * 1024];
		long size = 0;
		int n;
		while ((n = in.read(buffer)) >= 0) {
			digest.update(buffer, 0, n);
			size += n;
		}
		return new Hashed(HEX.formatHex(digest.digest()), size);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	/**
	 * A stream's hash and size.
	 *
	 * @param sha256 lowercase hex SHA-256
	 * @param size the number of bytes
	 */
	public record Hashed(String sha256, long size) {
	}

}
