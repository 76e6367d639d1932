package io.chatvault.access;

/**
 * What a revocation took away.
 *
 * @param grants live grants revoked
 * @param tokens live tokens revoked
 * @param principals principals disabled
 */
public record RevokedAccess(int grants, int tokens, int principals) {

	/** Nothing revoked. */
	public static final RevokedAccess NONE = new RevokedAccess(0, 0, 0);

	RevokedAccess plus(RevokedAccess other) {
		return new RevokedAccess(this.grants + other.grants, this.tokens + other.tokens,
				this.principals + other.principals);
	}

}
