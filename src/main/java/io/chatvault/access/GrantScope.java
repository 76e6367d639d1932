package io.chatvault.access;

/**
 * Over which custodians a grant's content operations apply: {@code all},
 * {@code group:<group>} (the group's custodians at the time of each read, so that movers
 * leave and join it), {@code custodian:<id>}, or {@code none} (roles that read no
 * content).
 *
 * @param kind the kind
 * @param value the group or custodian id, or an empty string
 */
public record GrantScope(Kind kind, String value) {

	/** Every custodian. */
	public static final GrantScope ALL = new GrantScope(Kind.ALL, "");

	/** No content. */
	public static final GrantScope NONE = new GrantScope(Kind.NONE, "");

	public GrantScope {
		if (kind == Kind.GROUP || kind == Kind.CUSTODIAN) {
			Custodian.checkId(kind.key, value);
		}
		else {
			value = "";
		}
	}

	/**
	 * A group's custodians.
	 * @param group the group
	 * @return the scope
	 */
	public static GrantScope group(String group) {
		return new GrantScope(Kind.GROUP, group);
	}

	/**
	 * One custodian.
	 * @param custodianId the custodian
	 * @return the scope
	 */
	public static GrantScope custodian(String custodianId) {
		return new GrantScope(Kind.CUSTODIAN, custodianId);
	}

	/**
	 * Parses the written form.
	 * @param text {@code all}, {@code none}, {@code group:<g>} or {@code custodian:<id>}
	 * @return the scope
	 * @throws IllegalArgumentException saying what is expected
	 */
	public static GrantScope parse(String text) {
		String scope = text.trim();
		if (scope.equals("all")) {
			return ALL;
		}
		if (scope.equals("none")) {
			return NONE;
		}
		if (scope.startsWith("group:")) {
			return group(scope.substring("group:".length()));
		}
		if (scope.startsWith("custodian:")) {
			return custodian(scope.substring("custodian:".length()));
		}
		throw new IllegalArgumentException(
				"'" + text + "' is not a scope: expected all, none, group:<group> or custodian:<custodian id>");
	}

	@Override
	public String toString() {
		return (this.value.isEmpty()) ? this.kind.key : this.kind.key + ":" + this.value;
	}

	/** The kinds of scope. */
	public enum Kind {

		/** Every custodian. */
		ALL("all"),

		/** No content. */
		NONE("none"),

		/** A group's custodians. */
		GROUP("group"),

		/** One custodian. */
		CUSTODIAN("custodian");

		private final String key;

		Kind(String key) {
			this.key = key;
		}

	}

}
