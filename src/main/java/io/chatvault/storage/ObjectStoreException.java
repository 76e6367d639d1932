package io.chatvault.storage;

/** The store could not be reached, or refused an operation, or the object is missing. */
public class ObjectStoreException extends RuntimeException {

	public ObjectStoreException(String message) {
		super(message);
	}

	public ObjectStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
