package io.chatvault.access;

/**
 * One account of a custodian on one platform, its id in canonical form
 * ({@link AccountPlatform#normalize}).
 *
 * @param platform the platform
 * @param accountId the account id
 */
public record CustodianAccount(AccountPlatform platform, String accountId) {

	/**
	 * An account from its id as written.
	 * @param platform the platform
	 * @param raw the id as written
	 * @return the account, its id normalized
	 * @throws IllegalArgumentException if the id is not of the platform's form
	 */
	public static CustodianAccount of(AccountPlatform platform, String raw) {
		return new CustodianAccount(platform, platform.normalize(raw));
	}

	@Override
	public String toString() {
		return this.platform.key() + ":" + this.accountId;
	}

}
