package io.chatvault.storage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Retain-until dates as the stores keep them: whole seconds, which is what S3 servers
 * record (Ceph RGW drops fractions). Rounding up, never down, so that retention is never
 * shortened, and both stores report the same date for the same write.
 */
final class RetentionDates {

	private RetentionDates() {
	}

	static Instant wholeSecondsUp(Instant retainUntil) {
		Instant truncated = retainUntil.truncatedTo(ChronoUnit.SECONDS);
		return truncated.equals(retainUntil) ? truncated : truncated.plusSeconds(1);
	}

}
