package io.chatvault.migration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.chatvault.testsupport.TestDatabase;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Runs {@code chatvault} commands in child JVMs on one test database and one
 * {@code CHATVAULT_HOME}, the way an operator or a scheduler runs them, and reads the
 * state of their runs from the job repository. Other jobs' crash tests use it too.
 */
public final class ChatVaultProcesses {

	private final TestDatabase.Coordinates database;

	private final Path home;

	private final List<String> extra;

	ChatVaultProcesses(String prefix) {
		this(prefix, List.of());
	}

	/**
	 * Child processes with more properties than the database and home.
	 * @param prefix the home's name prefix
	 * @param extra further {@code name=value} properties, for children and the test's
	 * context alike
	 */
	public ChatVaultProcesses(String prefix, List<String> extra) {
		this.extra = List.copyOf(extra);
		this.database = TestDatabase.freshDatabase();
		try {
			this.home = Files.createTempDirectory(prefix);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public Path home() {
		return this.home;
	}

	/** The children's database. */
	public TestDatabase.Coordinates database() {
		return this.database;
	}

	/**
	 * The properties that point ChatVault (child or test context) at the database and
	 * home.
	 */
	public List<String> properties() {
		List<String> properties = new ArrayList<>(List.of("chatvault.db.url=" + this.database.jdbcUrl(),
				"chatvault.db.user=" + this.database.user(), "chatvault.db.password=" + this.database.password(),
				"spring.datasource.url=" + this.database.jdbcUrl(),
				"spring.datasource.username=" + this.database.user(),
				"spring.datasource.password=" + this.database.password(), "chatvault.home=" + this.home,
				"chatvault.migration.progress=false"));
		properties.addAll(this.extra);
		return properties;
	}

	/** Points the test's own application context at the same database and home. */
	public void register(DynamicPropertyRegistry registry) {
		for (String property : properties()) {
			int eq = property.indexOf('=');
			registry.add(property.substring(0, eq), () -> property.substring(eq + 1));
		}
	}

	/** Starts {@code chatvault <args>} in a child JVM; its output goes to child.log. */
	public Process start(String... args) throws IOException {
		return command(Map.of(), args).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.home.resolve("child.log").toFile()))
			.start();
	}

	/**
	 * Starts {@code chatvault <args>} in a child JVM with some properties replaced, its
	 * stdout and stderr in files of their own.
	 * @param overrides property name to the value the child gets instead
	 * @param stdout where the child's stdout goes
	 * @param stderr where the child's stderr goes
	 * @param args the command line
	 * @return the child
	 * @throws IOException if it cannot be started
	 */
	public Process start(Map<String, String> overrides, Path stdout, Path stderr, String... args) throws IOException {
		return command(overrides, args).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
	}

	/** The value of one of the properties children get. */
	String property(String name) {
		return properties().stream()
			.filter((property) -> property.startsWith(name + "="))
			.map((property) -> property.substring(name.length() + 1))
			.reduce((first, last) -> last)
			.orElseThrow();
	}

	private ProcessBuilder command(Map<String, String> overrides, String... args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx512m");
		for (String property : properties()) {
			String name = property.substring(0, property.indexOf('='));
			command.add("-D" + (overrides.containsKey(name) ? name + "=" + overrides.get(name) : property));
		}
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add("io.chatvault.ChatVaultApplication");
		command.addAll(List.of(args));
		return new ProcessBuilder(command);
	}

	/** Deletes the home (the stores make their objects read-only). */
	public void deleteHome() throws IOException {
		try (Stream<Path> paths = Files.walk(this.home)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				path.toFile().setWritable(true);
				Files.deleteIfExists(path);
			}
		}
	}

	/** Waits for a child and returns its exit code. */
	public static int finish(Process child) throws InterruptedException {
		if (!child.waitFor(10, TimeUnit.MINUTES)) {
			child.destroyForcibly();
			throw new IllegalStateException("chatvault child did not finish in 10 minutes");
		}
		return child.exitValue();
	}

	public static boolean running(JdbcClient jdbc) {
		return jdbc.sql("SELECT count(*) FROM batch_job_execution WHERE status = 'STARTED'")
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * Records committed by the partitions of all runs (executions named
	 * "step:partition").
	 */
	static long committed(JdbcClient jdbc) {
		return jdbc.sql("SELECT coalesce(sum(read_count), 0) FROM batch_step_execution WHERE step_name LIKE '%:%'")
			.query(Long.class)
			.single();
	}

	public static long lastExecution(JdbcClient jdbc) {
		return jdbc.sql("SELECT max(job_execution_id) FROM batch_job_execution").query(Long.class).single();
	}

	public static String statusOf(JdbcClient jdbc, long execution) {
		return jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = ?")
			.param(execution)
			.query(String.class)
			.single();
	}

}
