package io.chatvault.database;

/** The embedded PostgreSQL could not be started: the message says why in one line. */
public class EmbeddedPostgresException extends RuntimeException {

	public EmbeddedPostgresException(String message, Throwable cause) {
		super(message, cause);
	}

}
