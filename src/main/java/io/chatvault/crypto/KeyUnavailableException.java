package io.chatvault.crypto;

/**
 * A key cannot be used: its version is unknown, it does not unwrap, the keystore cannot
 * be opened, or the data key was destroyed (crypto-shredding).
 */
public class KeyUnavailableException extends RuntimeException {

	public KeyUnavailableException(String message) {
		super(message);
	}

	public KeyUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
