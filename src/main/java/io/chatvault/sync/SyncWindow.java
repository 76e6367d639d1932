package io.chatvault.sync;

import java.time.Instant;
import java.util.Optional;

import io.chatvault.custodian.CustodianGroup;

/**
 * The window a sync execution works on.
 *
 * @param group the custodian group
 * @param windowEnd the window's end
 * @param windowStart the end of the group's previous completed window, where this one
 * takes over; null for the group's first window
 * @param jobExecutionId the execution
 */
record SyncWindow(CustodianGroup group, Instant windowEnd, Instant windowStart, long jobExecutionId) {

	Optional<Instant> start() {
		return Optional.ofNullable(this.windowStart);
	}

	String groupName() {
		return this.group.name();
	}

}
