package io.chatvault.storage;

/**
 * A delete or overwrite was refused because retention has not ended or a legal hold is
 * set.
 */
public class RetentionViolationException extends ObjectStoreException {

	public RetentionViolationException(String message) {
		super(message);
	}

	public RetentionViolationException(String message, Throwable cause) {
		super(message, cause);
	}

}
