package io.chatvault.migration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
import static io.chatvault.migration.ChatVaultProcesses.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM (what Kubernetes sends) during a migration of several exports in parallel:
 * every running partition finishes its chunk, the run ends STOPPED with exit code 4, and
 * a restart completes it with nothing lost or doubled.
 */
@SpringBootTest
@Import(ArchiveContents.class)
class SigtermIntegrationTests {

	static final ChatVaultProcesses CHATVAULT = new ChatVaultProcesses("chatvault-sigterm");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
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
	void sigtermStopsTheRunAfterItsChunksAndRestartCompletesIt() throws Exception {
		// given
		Path exports = Files.createDirectories(CHATVAULT.home().resolve("exports"));
		Map<String, String> expected = new java.util.HashMap<>();
		for (String chat : new String[] { "Term A", "Term B", "Term C" }) {
			Path export = exports.resolve("WhatsApp Chat with " + chat + ".txt");
			GeneratedWhatsAppExport.writeText(export, 8_000, chat.hashCode());
			expected.putAll(this.archive.expected(export));
		}
		Process child = CHATVAULT.start("migrate", exports.toString());
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (child.isAlive() && committed(this.jdbc) == 0 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}

		// when
		child.destroy();
		int stopped = finish(child);
		long execution = lastExecution(this.jdbc);
		String status = statusOf(this.jdbc, execution);
		long committedAtStop = committed(this.jdbc);
		int restarted = finish(CHATVAULT.start("restart", Long.toString(execution)));

		// then
		assertThat(stopped).as("exit code of the stopped run").isEqualTo(4);
		assertThat(status).isEqualTo("STOPPED");
		assertThat(committedAtStop).isBetween(1L, (long) expected.size() - 1);
		assertThat(restarted).isZero();
		assertThat(statusOf(this.jdbc, lastExecution(this.jdbc))).isEqualTo("COMPLETED");
		assertThat(this.archive.messageCount()).isEqualTo(expected.size());
		assertThat(this.archive.mismatches(expected)).isEmpty();
	}

}
