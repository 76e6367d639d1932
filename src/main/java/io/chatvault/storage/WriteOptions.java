package io.chatvault.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * Retention settings of a write.
 *
 * @param retainUntil the object may not be deleted or overwritten before this instant
 * @param lockMode COMPLIANCE (nobody can shorten retention) or GOVERNANCE
 * @param legalHold whether a legal hold is set at write time
 */
public record WriteOptions(Instant retainUntil, LockMode lockMode, boolean legalHold) {

	public WriteOptions {
		Objects.requireNonNull(retainUntil, "retainUntil");
		Objects.requireNonNull(lockMode, "lockMode");
	}

	/** Object Lock retention modes. */
	public enum LockMode {

		/** Nobody, not even the root account, can shorten or remove retention. */
		COMPLIANCE,

		/** Users with a special permission can bypass retention. */
		GOVERNANCE

	}

}
