package io.chatvault.database;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The embedded default on this machine (as root here, through a user namespace): data
 * survives a stop and a start, a second user joins the running server, and the server
 * stops only when its last user leaves.
 */
class EmbeddedPostgresServerIntegrationTests {

	@TempDir
	Path home;

	@Test
	void dataSurvivesStopAndStart() throws SQLException {
		// given
		Path directory = this.home.resolve("postgres");
		try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory, 0, Duration.ofSeconds(60))) {
			execute(server, "CREATE TABLE custodian (id text primary key)");
			execute(server, "INSERT INTO custodian VALUES ('alice')");
		}
		assertThat(directory.resolve("data/postmaster.pid")).doesNotExist();

		// when
		try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory, 0, Duration.ofSeconds(60))) {
			// then
			assertThat(queryString(server, "SELECT id FROM custodian")).isEqualTo("alice");
		}
	}

	@Test
	void serverStopsOnlyWhenItsLastUserLeaves() throws Exception {
		// given: another process runs the server
		Path directory = this.home.resolve("postgres");
		Process other = startUser(directory);
		int port = awaitReady(other);

		// when: this process joins, then leaves first
		try (EmbeddedPostgresServer joined = EmbeddedPostgresServer.start(directory, 0, Duration.ofSeconds(60))) {
			assertThat(joined.port()).isEqualTo(port);
			execute(joined, "CREATE TABLE conversation (id text)");
		}

		// then: the server still serves the other process, and stops when it leaves
		assertThat(Files.exists(directory.resolve("data/postmaster.pid"))).isTrue();
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
				"postgres", "")) {
			assertThat(connection.isValid(5)).isTrue();
		}
		other.getOutputStream().write('\n');
		other.getOutputStream().flush();
		assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(directory.resolve("data/postmaster.pid")).doesNotExist();
	}

	@Test
	void userKilledWithSigkillDoesNotKeepTheServerAlive() throws Exception {
		// given: another process runs the server and dies without a word
		Path directory = this.home.resolve("postgres");
		Process other = startUser(directory);
		int port = awaitReady(other);
		other.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

		// when: this process joins the orphaned server, then leaves
		try (EmbeddedPostgresServer joined = EmbeddedPostgresServer.start(directory, 0, Duration.ofSeconds(60))) {
			assertThat(joined.port()).isEqualTo(port);
		}

		// then: as the last user, it stopped the server
		assertThat(directory.resolve("data/postmaster.pid")).doesNotExist();
	}

	@Test
	void refusesUnreachableBinariesDirectory() {
		// given a directory that cannot be created
		Path impossible = Path.of("/proc/chatvault-cannot-exist");

		// when / then
		assertThatExceptionOfType(EmbeddedPostgresException.class)
			.isThrownBy(() -> EmbeddedPostgresServer.start(impossible, 0, Duration.ofSeconds(5)))
			.withMessageContaining("cannot start the embedded PostgreSQL in /proc/chatvault-cannot-exist");
	}

	private static Process startUser(Path directory) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				EmbeddedPostgresUser.class.getName(), directory.toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
	}

	private static int awaitReady(Process process) throws IOException {
		BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = out.readLine()) != null) {
			if (line.startsWith("ready ")) {
				return Integer.parseInt(line.substring("ready ".length()).trim());
			}
		}
		throw new IllegalStateException("the other process ended before the server was ready");
	}

	private static void execute(EmbeddedPostgresServer server, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static String queryString(EmbeddedPostgresServer server, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), "");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getString(1);
		}
	}

}
