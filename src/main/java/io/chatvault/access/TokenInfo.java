package io.chatvault.access;

import java.time.Instant;
import java.util.Optional;

/**
 * A personal access token as stored: everything but the secret, of which only a hash is
 * kept.
 *
 * @param id the token id (public: it names the token in the audit log)
 * @param principalId whose it is
 * @param label what it is for
 * @param createdAt when it was created
 * @param createdBy by whom
 * @param expiresAt when it stops working
 * @param lastUsedAt when it was last accepted
 * @param revokedAt when it was revoked, if it was
 */
public record TokenInfo(String id, String principalId, String label, Instant createdAt, String createdBy,
		Instant expiresAt, Optional<Instant> lastUsedAt, Optional<Instant> revokedAt) {

	/**
	 * Whether it is accepted at an instant.
	 * @param at the instant
	 * @return neither revoked nor expired
	 */
	public boolean liveAt(Instant at) {
		return this.revokedAt.isEmpty() && at.isBefore(this.expiresAt);
	}

}
