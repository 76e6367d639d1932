package io.chatvault.audit;

/**
 * The audit chain does not recompute where it was about to be anchored: something changed
 * the log behind the application's back. {@code chatvault audit verify} names the entry.
 */
public class AuditChainBrokenException extends RuntimeException {

	public AuditChainBrokenException(String message) {
		super(message);
	}

}
