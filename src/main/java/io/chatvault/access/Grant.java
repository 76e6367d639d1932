package io.chatvault.access;

import java.time.Instant;
import java.util.Optional;

/**
 * A role given to a principal over a scope, from when, by whom, until when.
 *
 * @param id the grant id
 * @param principalId the principal
 * @param role the role
 * @param scope the scope of its content operations
 * @param reason why it was given
 * @param beyondRole the justification when it exceeds the role's least privilege
 * @param grantedAt when
 * @param grantedBy by whom
 * @param expiresAt when it ends by itself, if it does
 * @param revokedAt when it was revoked, if it was
 */
public record Grant(long id, String principalId, Role role, GrantScope scope, Optional<String> reason,
		Optional<String> beyondRole, Instant grantedAt, String grantedBy, Optional<Instant> expiresAt,
		Optional<Instant> revokedAt) {

	/**
	 * Whether it is in force at an instant.
	 * @param at the instant
	 * @return neither revoked nor expired
	 */
	public boolean liveAt(Instant at) {
		return this.revokedAt.isEmpty() && this.expiresAt.map(at::isBefore).orElse(true);
	}

}
