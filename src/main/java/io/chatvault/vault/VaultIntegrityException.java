package io.chatvault.vault;

/**
 * Stored bytes did not match their hash, or did not decrypt: names the object and the
 * message.
 */
public class VaultIntegrityException extends RuntimeException {

	public VaultIntegrityException(String message) {
		super(message);
	}

	public VaultIntegrityException(String message, Throwable cause) {
		super(message, cause);
	}

}
