package io.chatvault.audit;

import java.util.Optional;

/**
 * The append-only, hash-chained audit log. Every job run, every read of message content,
 * every change of policy, hold, key or grant, and every refusal is appended here.
 *
 * <p>
 * {@link #append} joins the caller's transaction when there is one, so a change and its
 * entry commit or roll back together; the chain is locked until that transaction ends, so
 * keep such transactions short. Without a transaction the entry commits at once.
 */
public interface AuditLog {

	/**
	 * Appends an entry after the current head of the chain.
	 * @param event what happened
	 * @return the entry as stored, with its sequence and hash
	 */
	AuditEntry append(AuditEvent event);

	/**
	 * The newest entry.
	 * @return the head of the chain, or empty when the log is empty
	 */
	Optional<AuditEntry> head();

}
