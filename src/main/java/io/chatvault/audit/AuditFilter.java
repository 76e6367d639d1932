package io.chatvault.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * Which entries {@code chatvault audit log} reads.
 *
 * @param actor only this actor
 * @param action only this action, or with a trailing {@code *} every action starting with
 * what comes before it ({@code job.*})
 * @param target only this target
 * @param since only entries recorded at or after this instant
 * @param until only entries recorded before this instant
 * @param afterSequence only entries after this sequence (0: from the first)
 * @param limit at most this many entries (0: all)
 */
public record AuditFilter(Optional<String> actor, Optional<String> action, Optional<String> target,
		Optional<Instant> since, Optional<Instant> until, long afterSequence, long limit) {

	/** Every entry. */
	public static AuditFilter all() {
		return new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
				0, 0);
	}

	/**
	 * Entries of one action on one target.
	 * @param action the action
	 * @param target the target
	 * @return the filter
	 */
	public static AuditFilter of(String action, String target) {
		return new AuditFilter(Optional.empty(), Optional.of(action), Optional.of(target), Optional.empty(),
				Optional.empty(), 0, 0);
	}

}
