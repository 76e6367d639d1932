package io.chatvault.testsupport;

/**
 * The embedded PostgreSQL fallback for machines with neither a test server nor Docker.
 */
final class EmbeddedTestServer {

	private EmbeddedTestServer() {
	}

	static TestDatabase.Server start() {
		// Wired to io.chatvault.database.EmbeddedPostgres once that lands (issue 2).
		throw new IllegalStateException(
				"No test PostgreSQL: set CHATVAULT_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/test");
	}

}
