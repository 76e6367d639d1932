package io.chatvault.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.chatvault.database.EmbeddedPostgresServer;

/**
 * The embedded PostgreSQL fallback for machines with neither a test server nor Docker:
 * the same launcher as the product's embedded default, in a directory of its own under
 * {@code target/}, stopped when the test JVM exits.
 */
final class EmbeddedTestServer {

	private EmbeddedTestServer() {
	}

	static TestDatabase.Server start() {
		Path directory;
		try {
			directory = Files.createDirectories(Path.of("target", "test-postgres")).toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory, 0, Duration.ofSeconds(60));
		Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
		String prefix = "jdbc:postgresql://127.0.0.1:" + server.port() + "/";
		return new TestDatabase.Server("embedded", prefix + "postgres", prefix, "", server.user(), "");
	}

}
