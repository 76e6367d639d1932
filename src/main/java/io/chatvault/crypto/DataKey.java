package io.chatvault.crypto;

import javax.crypto.spec.SecretKeySpec;

/**
 * An unwrapped AES-256 data key: the key that encrypts the records of one erasure scope
 * (a conversation, a media object, the quarantine). Destroying its wrapped form makes
 * exactly that scope unreadable.
 *
 * @param id the key id, stored in every ciphertext header and index row it protects
 * @param scope the erasure scope ("conversation:SLACK_EXPORT:C024BE91L")
 * @param aesKey the key
 */
public record DataKey(long id, String scope, SecretKeySpec aesKey) {

	@Override
	public String toString() {
		// Never print key material.
		return "DataKey[id=" + this.id + ", scope=" + this.scope + "]";
	}

}
