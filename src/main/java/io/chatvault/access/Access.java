package io.chatvault.access;

import java.time.Instant;

/**
 * An authorized access: who (principal, the role or roles whose grants allowed it, the
 * token), what (operation, scope asked, scope in effect), when, from where, and the
 * audit-log entry that recorded the decision. Hand it back to
 * {@link Authorization#complete} when the read ends.
 *
 * @param principalId the principal
 * @param role the roles of the grants that allowed it, joined with {@code +}
 * @param tokenId the token presented
 * @param operation the operation
 * @param requested the scope asked for
 * @param effective what may be read
 * @param query the query as given
 * @param client where the request came from
 * @param decidedAt when it was authorized
 * @param authorizedEntry the sequence of the audit-log entry of the decision
 */
public record Access(String principalId, String role, String tokenId, Operation operation, ContentScope requested,
		EffectiveScope effective, String query, String client, Instant decidedAt, long authorizedEntry) {

	/**
	 * Whether a custodian's records may be returned: readers filter every record by this.
	 * @param custodianId the custodian a record is archived for
	 * @return whether it is in scope
	 */
	public boolean permits(String custodianId) {
		return this.effective.permits(custodianId);
	}

}
