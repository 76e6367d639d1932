package io.chatvault.crypto;

import java.time.Instant;

/**
 * The data key of a scope was destroyed on purpose (crypto-shredding: a GDPR erasure):
 * what it sealed is erased, not damaged. Readers say so and go on with what they may
 * read; the command line prints the message (exit code 3), never a stack trace.
 */
public class ErasedException extends KeyUnavailableException {

	private final String scope;

	private final Instant erasedAt;

	public ErasedException(long keyId, String scope, Instant erasedAt, String reason) {
		super("erased: " + scope + ": its data key " + keyId + " was destroyed at " + erasedAt + " (" + reason
				+ "), so it can no longer be read");
		this.scope = scope;
		this.erasedAt = erasedAt;
	}

	/** The erasure scope ("conversation:SLACK_EXPORT:C1:alice"). */
	public String scope() {
		return this.scope;
	}

	/** When it was erased. */
	public Instant erasedAt() {
		return this.erasedAt;
	}

}
