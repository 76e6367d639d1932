package io.chatvault.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.chatvault.crypto.DataKey;

/**
 * Keyed content ids: HMAC-SHA256 under a key derived from the data key of the scope.
 * Chunks and conversation states are deduplicated by these ids, within one data key, so
 * that the index (which holds them in the clear) cannot confirm a guessed text the way a
 * plain SHA-256 would, and so that destroying a key also makes its ids meaningless. One
 * instance per thread.
 */
final class ContentIds {

	private static final byte[] LABEL = "chatvault-content-id-v2".getBytes(StandardCharsets.US_ASCII);

	private final Mac mac;

	private long macKeyOf = Long.MIN_VALUE;

	ContentIds() {
		try {
			this.mac = Mac.getInstance("HmacSHA256");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required by every Java platform", ex);
		}
	}

	/**
	 * The keyed id of some bytes.
	 * @param key the scope's data key
	 * @param bytes the content
	 * @param offset where it starts
	 * @param length its length
	 * @return 32 bytes
	 */
	byte[] of(DataKey key, byte[] bytes, int offset, int length) {
		init(key);
		this.mac.update(bytes, offset, length);
		return this.mac.doFinal();
	}

	byte[] of(DataKey key, byte[] bytes) {
		return of(key, bytes, 0, bytes.length);
	}

	private void init(DataKey key) {
		try {
			if (this.macKeyOf != key.id()) {
				this.mac.init(new SecretKeySpec(key.aesKey().getEncoded(), "HmacSHA256"));
				byte[] derived = this.mac.doFinal(LABEL);
				this.mac.init(new SecretKeySpec(derived, "HmacSHA256"));
				this.macKeyOf = key.id();
			}
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot derive a content id key", ex);
		}
	}

}
