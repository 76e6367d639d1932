package io.chatvault.access;

import java.util.Optional;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Authorization for commands: the token is {@code CHATVAULT_TOKEN} (the property
 * {@code chatvault.token}), the client the operating-system user and host. A content
 * command does
 *
 * <pre>
 * Access access = commandLineAccess.authorize(Operation.CONTENT_RESTORE, scope, query);
 * ... read, keeping only records for which access.permits(custodian) ...
 * authorization.complete(access, AccessOutcome.success(records, bytes));
 * </pre>
 */
@Component
public class CommandLineAccess {

	/** The property that holds the token; set it through the environment variable. */
	public static final String TOKEN_PROPERTY = "chatvault.token";

	private final Authorization authorization;

	private final Environment environment;

	CommandLineAccess(Authorization authorization, Environment environment) {
		this.authorization = authorization;
		this.environment = environment;
	}

	/**
	 * Decides a command's request.
	 * @param operation what the command does
	 * @param scope what it would read
	 * @param query the request as typed, for the access log
	 * @return the authorized access
	 * @throws AccessDeniedException if refused (exit code 11, audited)
	 */
	public Access authorize(Operation operation, ContentScope scope, String query) {
		return this.authorization.authorize(new AccessRequest(token(), operation, scope, query, client()));
	}

	/**
	 * Writes the access-log entry of a read that ended.
	 * @param access the access
	 * @param outcome what was returned
	 */
	public void complete(Access access, AccessOutcome outcome) {
		this.authorization.complete(access, outcome);
	}

	/**
	 * Who the token is.
	 * @return the principal, token and live grants
	 * @throws AccessDeniedException if the token is not accepted
	 */
	public Authorization.Authenticated whoami() {
		return this.authorization.whoami(token(), client());
	}

	/** The token of this process ({@code CHATVAULT_TOKEN}), if set. */
	public Optional<String> token() {
		return Optional.ofNullable(this.environment.getProperty(TOKEN_PROPERTY)).filter((t) -> !t.isBlank());
	}

	/** The client: {@code <os user>@<host>}. */
	public String client() {
		return System.getProperty("user.name") + "@" + Actor.localHost();
	}

}
