package io.chatvault.crypto;

import java.io.IOException;

/**
 * A ciphertext did not authenticate: a flipped bit, a truncated object, reordered or
 * foreign segments, or the wrong key. The message names the object and the segment.
 */
public class TamperedCiphertextException extends IOException {

	public TamperedCiphertextException(String message) {
		super(message);
	}

	public TamperedCiphertextException(String message, Throwable cause) {
		super(message, cause);
	}

}
