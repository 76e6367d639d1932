package io.chatvault.retention;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A legal hold: a case that protects every record of its custodians (sent within
 * {@code [from, to)} when given) and every object holding them, until released.
 *
 * @param caseName the case ("SEC-2025-0042")
 * @param custodians the custodians in scope
 * @param from start of the range of sent-at (inclusive), if limited
 * @param to end of the range (exclusive), if limited
 * @param reason why, as given
 * @param createdAt when it was placed
 * @param createdBy who placed it
 * @param releasedAt when it was released, if it was
 * @param releasedBy who released it
 * @param objects how many objects it set the store's legal hold on
 */
public record LegalHold(String caseName, List<String> custodians, Optional<Instant> from, Optional<Instant> to,
		String reason, Instant createdAt, String createdBy, Optional<Instant> releasedAt, Optional<String> releasedBy,
		long objects) {

	/** Whether it still holds. */
	public boolean active() {
		return this.releasedAt.isEmpty();
	}

}
