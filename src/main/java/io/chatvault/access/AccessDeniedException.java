package io.chatvault.access;

import io.chatvault.cli.CommandException;
import io.chatvault.cli.ExitCode;

/**
 * A refused request: one line for the user, exit code {@link ExitCode#ACCESS_DENIED}. The
 * refusal is already in the audit log ({@code access.denied}) when this is thrown.
 */
public class AccessDeniedException extends CommandException {

	private final String reason;

	AccessDeniedException(String reason, String message) {
		super(ExitCode.ACCESS_DENIED, message);
		this.reason = reason;
	}

	/**
	 * The reason as the audit log records it: {@code no-token}, {@code invalid-token},
	 * {@code token-revoked}, {@code token-expired}, {@code principal-disabled},
	 * {@code custodian-departed}, {@code no-grant} or {@code outside-scope}.
	 * @return the reason
	 */
	public String reason() {
		return this.reason;
	}

}
