package io.chatvault.migration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.chatvault.testsupport.TestDatabase;
import io.chatvault.vault.Vault;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migrates a generated export in a child JVM and kills it with SIGKILL at random moments
 * while the job runs, each time recovering the dead execution and restarting it through
 * the CLI, as an operator would; at the end the archive must hold exactly the source's
 * messages (count and per-message SHA-256), none twice.
 *
 * <p>
 * The default size keeps the suite fast; the full run of the issue is
 * {@code -Dchatvault.crashtest.messages=100000 -Dchatvault.crashtest.kills=10}.
 */
@SpringBootTest
class CrashRestartIntegrationTests {

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	static final Path HOME = createHome();

	static final int MESSAGES = Integer.getInteger("chatvault.crashtest.messages", 20_000);

	static final int KILLS = Integer.getInteger("chatvault.crashtest.kills", 2);

	/** The longest wait, once the kill point is reached, before the kill. */
	static final int MAX_DELAY_MS = Integer.getInteger("chatvault.crashtest.max-delay-ms", 400);

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		for (String property : childProperties()) {
			int eq = property.indexOf('=');
			registry.add(property.substring(0, eq), () -> property.substring(eq + 1));
		}
	}

	@Autowired
	ExportSources sources;

	@Autowired
	Vault vault;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MigrationProperties properties;

	@Test
	void killedAtRandomMomentsThenRecoveredAndRestartedTheArchiveHoldsExactlyTheSource() throws Exception {
		// given
		Path export = HOME.resolve("WhatsApp Chat with Crash Test.txt");
		GeneratedWhatsAppExport.writeText(export, MESSAGES, 42);
		Map<String, String> expected = expectedArchive(export);
		Random random = new Random(Long.getLong("chatvault.crashtest.seed", System.nanoTime()));

		// when
		int kills = 0;
		Process child = cli("migrate", export.toString());
		while (kills < KILLS) {
			if (!killWhileRunning(child, random, KILLS - kills)) {
				break;
			}
			kills++;
			System.out.printf("kill %d: %d records committed%n", kills, committed());
			long execution = lastExecution();
			if ("STARTED".equals(statusOf(execution)) || "STOPPING".equals(statusOf(execution))) {
				assertThat(finish(cli("recover", "--force", Long.toString(execution)))).isZero();
			}
			child = cli("restart", Long.toString(execution));
		}
		int exit = finish(child);
		if (exit != 0) {
			// The last kill hit between two commands: resume once more.
			exit = finish(cli("migrate", export.toString()));
		}

		// then
		assertThat(kills).as("kills while the job ran").isEqualTo(KILLS);
		assertThat(exit).isZero();
		assertThat(statusOf(lastExecution())).isEqualTo("COMPLETED");
		assertThat(archivedMessages()).isEqualTo(expected.size());
		assertThat(ArchiveContents.mismatches(this.vault, expected)).isEmpty();
		Reconciliation total = this.jdbc
			.sql("SELECT sum(read_count), sum(archived), sum(duplicates), sum(quarantined), sum(bytes_stored) "
					+ "FROM migration_reconciliation")
			.query((rs, row) -> new Reconciliation(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
					rs.getLong(5)))
			.single();
		assertThat(total.read()).isEqualTo(MESSAGES);
		assertThat(total.balanced()).isTrue();
	}

	private Map<String, String> expectedArchive(Path export) throws IOException {
		Map<String, String> expected = ArchiveContents.expected(this.sources, this.vault, export,
				this.properties.defaultCustodian(), ZoneId.of(this.properties.defaultZone()));
		assertThat(expected).hasSize(MESSAGES);
		return expected;
	}

	/**
	 * Kills the child at a random moment of its run: mostly once the job has committed a
	 * random share of what is left (leaving room for the kills still to come), then a
	 * random few milliseconds later, so that the kill lands inside a chunk; sometimes
	 * right after the job starts, before its first commit.
	 * @return false if the child ended by itself first
	 */
	private boolean killWhileRunning(Process child, Random random, int killsLeft) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (System.nanoTime() < deadline && child.isAlive() && !running()) {
			Thread.sleep(20);
		}
		if (random.nextInt(5) > 0) {
			long committed = committed();
			long share = Math.max(1, (MESSAGES - committed) / (killsLeft + 1));
			long target = committed + 1 + (long) (random.nextDouble() * share);
			while (System.nanoTime() < deadline && child.isAlive() && committed() < target) {
				Thread.sleep(10);
			}
		}
		Thread.sleep(random.nextInt(MAX_DELAY_MS));
		if (!child.isAlive()) {
			return false;
		}
		// destroyForcibly is SIGKILL on Linux: no shutdown hook, no last commit.
		child.destroyForcibly();
		child.waitFor(30, TimeUnit.SECONDS);
		return true;
	}

	private boolean running() {
		return this.jdbc.sql("SELECT count(*) FROM batch_job_execution WHERE status = 'STARTED'")
			.query(Long.class)
			.single() > 0;
	}

	private long committed() {
		return this.jdbc.sql("SELECT coalesce(sum(read_count), 0) FROM batch_step_execution WHERE step_name LIKE '%:%'")
			.query(Long.class)
			.single();
	}

	private long lastExecution() {
		return this.jdbc.sql("SELECT max(job_execution_id) FROM batch_job_execution").query(Long.class).single();
	}

	private String statusOf(long execution) {
		return this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = ?")
			.param(execution)
			.query(String.class)
			.single();
	}

	private long archivedMessages() {
		return ArchiveContents.messageCount(this.jdbc);
	}

	private static Process cli(String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx512m");
		for (String property : childProperties()) {
			command.add("-D" + property);
		}
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add("io.chatvault.ChatVaultApplication");
		command.addAll(List.of(args));
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(HOME.resolve("child.log").toFile()))
			.start();
	}

	private static int finish(Process child) throws InterruptedException {
		assertThat(child.waitFor(10, TimeUnit.MINUTES)).as("child finished").isTrue();
		return child.exitValue();
	}

	private static List<String> childProperties() {
		return List.of("chatvault.db.url=" + DATABASE.jdbcUrl(), "chatvault.db.user=" + DATABASE.user(),
				"chatvault.db.password=" + DATABASE.password(), "spring.datasource.url=" + DATABASE.jdbcUrl(),
				"spring.datasource.username=" + DATABASE.user(), "spring.datasource.password=" + DATABASE.password(),
				"chatvault.home=" + HOME, "chatvault.migration.progress=false");
	}

	private static Path createHome() {
		try {
			return Files.createTempDirectory("chatvault-crash");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
