package io.chatvault.access;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The least-privilege roles. A role says which {@link Operation operations} a grant
 * allows; the grant's {@link GrantScope scope} says over which custodians those that read
 * content apply, and each role admits only certain scopes ({@link #beyondRole}).
 */
public enum Role {

	/** Reads their own conversations: scope {@code custodian:<their custodian id>}. */
	EMPLOYEE(EnumSet.of(Operation.CONTENT_READ, Operation.CONTENT_RESTORE)),

	/**
	 * Reads the conversations of their group's custodians: scope
	 * {@code group:<their group>}.
	 */
	SUPERVISOR(EnumSet.of(Operation.CONTENT_READ, Operation.CONTENT_RESTORE)),

	/**
	 * Reads everything, changes nothing: search, restore, export, legal holds, the audit
	 * log and reports. Scope {@code all} (or narrower).
	 */
	COMPLIANCE(EnumSet.of(Operation.CONTENT_READ, Operation.CONTENT_RESTORE, Operation.CONTENT_EXPORT,
			Operation.HOLD_MANAGE, Operation.RETENTION_MANAGE, Operation.AUDIT_READ, Operation.AUDIT_VERIFY,
			Operation.REPORT_READ)),

	/**
	 * Reads reports and the audit log and verifies it; no message content. Scope
	 * {@code none}.
	 */
	AUDITOR(EnumSet.of(Operation.AUDIT_READ, Operation.AUDIT_VERIFY, Operation.REPORT_READ)),

	/**
	 * Runs, restarts, stops and recovers jobs; no message content. Scope {@code none}.
	 */
	OPERATOR(EnumSet.of(Operation.JOB_OPERATE)),

	/**
	 * Manages principals, grants, tokens and custodians; no message content. Scope
	 * {@code none}.
	 */
	ADMIN(EnumSet.of(Operation.ACCESS_ADMIN));

	private final Set<Operation> operations;

	Role(Set<Operation> operations) {
		this.operations = operations;
	}

	/** The name on the command line and in the database. */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether a grant of this role allows an operation (over its scope).
	 * @param operation the operation
	 * @return whether it is allowed
	 */
	public boolean allows(Operation operation) {
		return this.operations.contains(operation);
	}

	/** The operations this role allows. */
	public Set<Operation> operations() {
		return java.util.Collections.unmodifiableSet(this.operations);
	}

	/**
	 * Whether the role is privileged: it reads everything or changes who may read. The
	 * permission audit counts the principals that hold such a grant.
	 * @return true for compliance and admin
	 */
	public boolean privileged() {
		return this == COMPLIANCE || this == ADMIN;
	}

	/**
	 * Why a grant of this role with a scope would exceed least privilege, for a principal
	 * who is a given custodian in a given group.
	 * @param scope the grant's scope
	 * @param ownCustodian the principal's custodian, if any
	 * @param ownGroup that custodian's group, if any
	 * @return the reason, or empty when the scope is within the role
	 */
	public Optional<String> beyondRole(GrantScope scope, Optional<String> ownCustodian, Optional<String> ownGroup) {
		return switch (this) {
			case EMPLOYEE -> ownCustodian.map(GrantScope::custodian)
				.filter(scope::equals)
				.map((own) -> Optional.<String>empty())
				.orElseGet(() -> Optional.of("an employee reads only their own conversations (scope "
						+ ownCustodian.map((c) -> "custodian:" + c)
							.orElse("custodian:<their custodian>, and the " + "principal is no custodian")
						+ "), not " + scope));
			case SUPERVISOR -> ownGroup.map(GrantScope::group)
				.filter(scope::equals)
				.map((own) -> Optional.<String>empty())
				.orElseGet(() -> Optional.of("a supervisor reads only their own group (scope "
						+ ownGroup.map((g) -> "group:" + g)
							.orElse("group:<their group>, and the principal is no " + "custodian")
						+ "), not " + scope));
			case COMPLIANCE -> Optional.empty();
			case AUDITOR, OPERATOR,
					ADMIN ->
				(scope.kind() == GrantScope.Kind.NONE) ? Optional.empty()
						: Optional.of("a" + (this == AUDITOR || this == ADMIN ? "n " : " ") + key()
								+ " reads no message content (scope none), not " + scope);
		};
	}

	/**
	 * The role of a name.
	 * @param key {@code employee}, {@code supervisor}, ...
	 * @return the role
	 * @throws IllegalArgumentException naming the roles
	 */
	public static Role fromKey(String key) {
		for (Role role : values()) {
			if (role.key().equals(key.trim().toLowerCase(Locale.ROOT))) {
				return role;
			}
		}
		throw new IllegalArgumentException("unknown role '" + key + "'; roles: "
				+ Arrays.stream(values()).map(Role::key).collect(Collectors.joining(", ")));
	}

}
