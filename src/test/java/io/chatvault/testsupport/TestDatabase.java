package io.chatvault.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL server the tests talk to, chosen once per JVM: the server named by
 * {@code CHATVAULT_TEST_JDBC_URL} when set, else a Testcontainers PostgreSQL where a
 * Docker daemon runs, else an embedded PostgreSQL (zonky). Each test class asks for a
 * fresh database on it, so that job instances and index rows of one class never meet
 * another's.
 */
public final class TestDatabase {

	private static volatile Server server;

	private static final java.util.Set<String> CREATED = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private TestDatabase() {
	}

	/**
	 * Creates a new, empty database on the test server.
	 * @return how to connect to it
	 */
	public static Coordinates freshDatabase() {
		Server s = server();
		String name = "cv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
		try (Connection connection = DriverManager.getConnection(s.adminUrl(), s.user(), s.password());
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
			CREATED.add(name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create test database on " + s.adminUrl() + ": " + ex.getMessage(),
					ex);
		}
		return new Coordinates(s.urlFor(name), s.user(), s.password());
	}

	/** How the tests reach the server: "env", "testcontainers" or "embedded". */
	public static String kind() {
		return server().kind();
	}

	private static Server server() {
		Server s = server;
		if (s == null) {
			synchronized (TestDatabase.class) {
				s = server;
				if (s == null) {
					s = TestServers.start();
					server = s;
					Server started = s;
					// Databases created on a shared server are dropped when the test JVM
					// ends.
					Runtime.getRuntime().addShutdownHook(new Thread(() -> dropCreated(started), "test-db-cleanup"));
				}
			}
		}
		return s;
	}

	private static void dropCreated(Server s) {
		if (!"env".equals(s.kind())) {
			return;
		}
		try (Connection connection = DriverManager.getConnection(s.adminUrl(), s.user(), s.password());
				Statement statement = connection.createStatement()) {
			for (String name : CREATED) {
				statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
			}
		}
		catch (SQLException ex) {
			System.err.println("Could not drop test databases " + CREATED + ": " + ex.getMessage());
		}
	}

	/**
	 * Where a test database lives.
	 *
	 * @param jdbcUrl the JDBC URL
	 * @param user the user
	 * @param password the password
	 */
	public record Coordinates(String jdbcUrl, String user, String password) {

		/**
		 * Points ChatVault ({@code chatvault.db.*}) and Spring's datasource
		 * ({@code spring.datasource.*}) at this database.
		 * @param registry a test's dynamic properties
		 */
		public void register(org.springframework.test.context.DynamicPropertyRegistry registry) {
			registry.add("chatvault.db.url", this::jdbcUrl);
			registry.add("chatvault.db.user", this::user);
			registry.add("chatvault.db.password", this::password);
			registry.add("spring.datasource.url", this::jdbcUrl);
			registry.add("spring.datasource.username", this::user);
			registry.add("spring.datasource.password", this::password);
		}

		/** Spring properties pointing ChatVault at this database. */
		public String[] springProperties() {
			return new String[] { "chatvault.db.url=" + this.jdbcUrl, "chatvault.db.user=" + this.user,
					"chatvault.db.password=" + this.password };
		}

	}

	/**
	 * A running server.
	 *
	 * @param kind how it was found or started
	 * @param adminUrl a JDBC URL of a database that exists, for CREATE DATABASE
	 * @param urlPrefix everything of the JDBC URL before the database name
	 * @param urlSuffix everything after it (query string), possibly empty
	 * @param user the user
	 * @param password the password
	 */
	record Server(String kind, String adminUrl, String urlPrefix, String urlSuffix, String user, String password) {

		Server withKind(String newKind) {
			return new Server(newKind, this.adminUrl, this.urlPrefix, this.urlSuffix, this.user, this.password);
		}

		String urlFor(String database) {
			return this.urlPrefix + database + this.urlSuffix;
		}

	}

}
