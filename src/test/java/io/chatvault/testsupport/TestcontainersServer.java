package io.chatvault.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A PostgreSQL in Docker, where a Docker daemon runs; none here, so the fallback is
 * quiet.
 */
final class TestcontainersServer {

	private TestcontainersServer() {
	}

	static TestDatabase.Server startIfDockerRuns() {
		boolean docker;
		try {
			docker = DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			docker = false;
		}
		if (!docker) {
			return null;
		}
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
		container.start();
		Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
		return TestServers.fromUrl(container.getJdbcUrl(), container.getUsername(), container.getPassword())
			.withKind("testcontainers");
	}

}
