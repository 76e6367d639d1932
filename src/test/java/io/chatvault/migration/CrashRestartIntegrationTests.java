package io.chatvault.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.chatvault.migration.ChatVaultProcesses.committed;
import static io.chatvault.migration.ChatVaultProcesses.finish;
import static io.chatvault.migration.ChatVaultProcesses.lastExecution;
import static io.chatvault.migration.ChatVaultProcesses.running;
import static io.chatvault.migration.ChatVaultProcesses.statusOf;
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
@Import(ArchiveContents.class)
class CrashRestartIntegrationTests {

	static final ChatVaultProcesses CHATVAULT = new ChatVaultProcesses("chatvault-crash");

	static final int MESSAGES = Integer.getInteger("chatvault.crashtest.messages", 20_000);

	static final int KILLS = Integer.getInteger("chatvault.crashtest.kills", 2);

	/** The longest wait, once the kill point is reached, before the kill. */
	static final int MAX_DELAY_MS = Integer.getInteger("chatvault.crashtest.max-delay-ms", 400);

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		CHATVAULT.register(registry);
	}

	@AfterAll
	static void deleteHome() throws IOException {
		CHATVAULT.deleteHome();
	}

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ArchiveContents archive;

	@Test
	void killedAtRandomMomentsThenRecoveredAndRestartedTheArchiveHoldsExactlyTheSource() throws Exception {
		// given
		Path export = CHATVAULT.home().resolve("WhatsApp Chat with Crash Test.txt");
		GeneratedWhatsAppExport.writeText(export, MESSAGES, 42);
		Map<String, String> expected = expectedArchive(export);
		Random random = new Random(Long.getLong("chatvault.crashtest.seed", System.nanoTime()));

		// when
		int kills = 0;
		Process child = CHATVAULT.start("migrate", export.toString());
		while (kills < KILLS) {
			if (!killWhileRunning(child, random, KILLS - kills)) {
				break;
			}
			kills++;
			System.out.printf("kill %d: %d records committed%n", kills, committed(this.jdbc));
			long execution = lastExecution(this.jdbc);
			if ("STARTED".equals(statusOf(this.jdbc, execution)) || "STOPPING".equals(statusOf(this.jdbc, execution))) {
				assertThat(finish(CHATVAULT.start("recover", "--force", Long.toString(execution)))).isZero();
			}
			child = CHATVAULT.start("restart", Long.toString(execution));
		}
		int exit = finish(child);
		if (exit != 0) {
			// The last kill hit between two commands: resume once more.
			exit = finish(CHATVAULT.start("migrate", export.toString()));
		}

		// then
		assertThat(kills).as("kills while the job ran").isEqualTo(KILLS);
		assertThat(exit).isZero();
		assertThat(statusOf(this.jdbc, lastExecution(this.jdbc))).isEqualTo("COMPLETED");
		assertThat(archivedMessages()).isEqualTo(expected.size());
		assertThat(this.archive.mismatches(expected)).isEmpty();
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
		Map<String, String> expected = this.archive.expected(export);
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
		while (System.nanoTime() < deadline && child.isAlive() && !running(this.jdbc)) {
			Thread.sleep(20);
		}
		if (random.nextInt(5) > 0) {
			long committed = committed(this.jdbc);
			long share = Math.max(1, (MESSAGES - committed) / (killsLeft + 1));
			long target = committed + 1 + (long) (random.nextDouble() * share);
			while (System.nanoTime() < deadline && child.isAlive() && committed(this.jdbc) < target) {
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

	private long archivedMessages() {
		return this.archive.messageCount();
	}

}
