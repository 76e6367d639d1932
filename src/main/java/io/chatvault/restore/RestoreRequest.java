package io.chatvault.restore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What to restore: one custodian's history, or one of their conversations, or a time
 * range of it.
 *
 * @param custodian the custodian
 * @param conversation a conversation id, or {@code <source>:<id>}; empty for all
 * @param from the first instant restored (inclusive), if limited
 * @param to the end (exclusive), if limited
 */
public record RestoreRequest(String custodian, Optional<String> conversation, Optional<Instant> from,
		Optional<Instant> to) {

	public RestoreRequest {
		Objects.requireNonNull(custodian, "custodian");
		if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
			throw new IllegalArgumentException("to= (" + to.get() + ") must be after from= (" + from.get() + ")");
		}
	}

	/**
	 * A custodian's whole history.
	 * @param custodian the custodian
	 * @return the request
	 */
	public static RestoreRequest everything(String custodian) {
		return new RestoreRequest(custodian, Optional.empty(), Optional.empty(), Optional.empty());
	}

	/**
	 * Whether a time range limits it (then export files, which hold all times, are left
	 * out).
	 */
	public boolean ranged() {
		return this.from.isPresent() || this.to.isPresent();
	}

}
