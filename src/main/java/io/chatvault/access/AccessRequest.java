package io.chatvault.access;

import java.util.Objects;
import java.util.Optional;

/**
 * A request to do something: the credential presented, the operation, what it would read,
 * the query as the user typed it, and where it comes from.
 *
 * @param token the personal access token presented ({@code CHATVAULT_TOKEN}, or a bearer
 * token on HTTP), if any
 * @param operation what is asked
 * @param scope what it would read ({@link ContentScope#NONE} for operations that read no
 * content)
 * @param query the search, restore or export request as given, for the access log (an
 * empty string if none)
 * @param client where the request comes from: {@code <os user>@<host>} on the command
 * line, the remote address on HTTP
 */
public record AccessRequest(Optional<String> token, Operation operation, ContentScope scope, String query,
		String client) {

	public AccessRequest {
		Objects.requireNonNull(operation, "operation");
		scope = (scope != null) ? scope : ContentScope.NONE;
		query = (query != null) ? query : "";
		client = (client != null) ? client : "";
		token = token.map(String::trim).filter((t) -> !t.isEmpty());
	}

}
