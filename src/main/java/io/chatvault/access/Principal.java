package io.chatvault.access;

import java.time.Instant;
import java.util.Optional;

/**
 * Someone who may be granted access: a person (or a service) with personal access tokens.
 * An employee or supervisor principal is linked to the custodian they are.
 *
 * @param id the principal id
 * @param name the person's name
 * @param hrEmployeeId their HR employee id, if any (the HR feed disables them when they
 * leave)
 * @param custodianId the custodian they are, if any
 * @param createdAt when the principal was created
 * @param disabledAt when it was disabled, if it was
 * @param lastUsedAt when one of its tokens was last accepted
 */
public record Principal(String id, String name, Optional<String> hrEmployeeId, Optional<String> custodianId,
		Instant createdAt, Optional<Instant> disabledAt, Optional<Instant> lastUsedAt) {

	/** Whether it may still authenticate. */
	public boolean enabled() {
		return this.disabledAt.isEmpty();
	}

}
