package io.chatvault.crypto;

import java.util.List;

/**
 * The key-encryption keys (KEKs) that wrap data keys: a local PKCS#12 keystore by
 * default, a PKCS#11 token (an HSM; {@link Pkcs11KeyEncryptionKeys}), a KMS later. Keys
 * carry versions; new data keys are wrapped with the current version, and rotation adds a
 * version so that data keys can be re-wrapped without rewriting any ciphertext.
 * Implementations never hand out key material: a KMS cannot, so callers only wrap and
 * unwrap.
 */
public interface KeyEncryptionKeys {

	/**
	 * Where the keys live, for messages ("pkcs12:/var/lib/chatvault/keys/kek.p12").
	 */
	String description();

	/**
	 * The version that new data keys are wrapped with; creates the first version when
	 * there is none yet.
	 * @return the current version, from 1
	 */
	int currentVersion();

	/**
	 * The versions that can unwrap, oldest first.
	 * @return the versions
	 */
	List<Integer> versions();

	/**
	 * Wraps a data key with the current version.
	 * @param dataKey the raw data key
	 * @return the wrapped key and the version that wrapped it
	 */
	WrappedKey wrap(byte[] dataKey);

	/**
	 * Unwraps a data key.
	 * @param wrapped the wrapped key and its version
	 * @return the raw data key
	 * @throws KeyUnavailableException if the version is unknown or the wrapped bytes do
	 * not unwrap (wrong key, altered bytes)
	 */
	byte[] unwrap(WrappedKey wrapped);

	/**
	 * Adds a new version and makes it current. Existing versions stay, so everything
	 * wrapped before still unwraps until it is re-wrapped.
	 * @return the new current version
	 */
	int rotate();

	/**
	 * Retires a version that no live data key uses any more: it is destroyed where the
	 * keys live, so an old backup of a wrapped key can no longer be unwrapped with it.
	 * @param version the version, never the current one
	 * @throws IllegalArgumentException for the current version
	 */
	void retire(int version);

}
