package io.chatvault.custodian;

import java.util.Objects;

/**
 * One account of a custodian on a chat platform.
 *
 * @param kind what the id names
 * @param id the id, normalized by {@link #of}
 */
public record PlatformAccount(AccountKind kind, String id) {

	public PlatformAccount {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(id, "id");
		if (id.isBlank()) {
			throw new IllegalArgumentException("an empty " + kind + " account id");
		}
	}

	/**
	 * An account with its id normalized: WhatsApp numbers keep their digits only, so that
	 * {@code +44 7700 900123} and {@code 447700900123} are the same account.
	 * @param kind the kind
	 * @param id the id as configured
	 * @return the account
	 */
	public static PlatformAccount of(AccountKind kind, String id) {
		String trimmed = id.trim();
		return new PlatformAccount(kind, (kind == AccountKind.WHATSAPP_NUMBER) ? digits(trimmed) : trimmed);
	}

	/** The digits of a phone number or numeric id. */
	public static String digits(String number) {
		StringBuilder digits = new StringBuilder(number.length());
		for (int i = 0; i < number.length(); i++) {
			char c = number.charAt(i);
			if (c >= '0' && c <= '9') {
				digits.append(c);
			}
		}
		return digits.toString();
	}

	/**
	 * The account a {@link #key()} names, as stored (its id is not normalized again).
	 * @param key {@code <kind>:<id>}, such as {@code slack-user:U0123}
	 * @return the account
	 * @throws IllegalArgumentException for a key without a known kind or an id
	 */
	public static PlatformAccount parse(String key) {
		int colon = key.indexOf(':');
		if (colon > 0) {
			String kind = key.substring(0, colon);
			for (AccountKind candidate : AccountKind.values()) {
				if (candidate.key().equals(kind)) {
					return new PlatformAccount(candidate, key.substring(colon + 1));
				}
			}
		}
		throw new IllegalArgumentException("not an account key (<kind>:<id>): '" + key + "'");
	}

	/** The account as one word: {@code slack-user:U0123}. */
	public String key() {
		return this.kind.key() + ":" + this.id;
	}

	@Override
	public String toString() {
		return key();
	}

}
