package io.chatvault.testsupport;

import java.net.URI;

/** Finds or starts the PostgreSQL server for {@link TestDatabase}. */
final class TestServers {

	private TestServers() {
	}

	static TestDatabase.Server start() {
		String url = System.getenv("CHATVAULT_TEST_JDBC_URL");
		if (url != null && !url.isBlank()) {
			return fromUrl(url, envOr("CHATVAULT_TEST_DB_USER", "postgres"), envOr("CHATVAULT_TEST_DB_PASSWORD", ""));
		}
		TestDatabase.Server container = TestcontainersServer.startIfDockerRuns();
		if (container != null) {
			return container;
		}
		return EmbeddedTestServer.start();
	}

	static TestDatabase.Server fromUrl(String url, String user, String password) {
		// jdbc:postgresql://host:port/db?query
		URI uri = URI.create(url.substring("jdbc:".length()));
		String prefix = "jdbc:postgresql://" + uri.getHost() + ":" + ((uri.getPort() > 0) ? uri.getPort() : 5432) + "/";
		String suffix = (uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "";
		return new TestDatabase.Server("env", url, prefix, suffix, user, password);
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

}
