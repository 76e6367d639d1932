package io.chatvault.access;

import java.util.Optional;

/**
 * How an authorized access ended, for its access-log entry: what was returned, and why it
 * failed if it did.
 *
 * @param outcome {@code success} or {@code failed}
 * @param records records returned (messages, audit entries, report rows)
 * @param bytes bytes returned
 * @param failure why it failed, if it did
 */
public record AccessOutcome(String outcome, long records, long bytes, Optional<String> failure) {

	/**
	 * A completed read.
	 * @param records records returned
	 * @param bytes bytes returned
	 * @return the outcome
	 */
	public static AccessOutcome success(long records, long bytes) {
		return new AccessOutcome("success", records, bytes, Optional.empty());
	}

	/**
	 * A read that failed part-way; what was returned before counts.
	 * @param records records returned before the failure
	 * @param bytes bytes returned before the failure
	 * @param reason why it failed
	 * @return the outcome
	 */
	public static AccessOutcome failed(long records, long bytes, String reason) {
		return new AccessOutcome("failed", records, bytes, Optional.of(reason));
	}

}
