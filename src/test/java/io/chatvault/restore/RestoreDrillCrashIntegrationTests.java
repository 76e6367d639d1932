package io.chatvault.restore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.migration.ChatVaultProcesses;
import io.chatvault.migration.GeneratedWhatsAppExport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.chatvault.migration.ChatVaultProcesses.finish;
import static io.chatvault.migration.ChatVaultProcesses.lastExecution;
import static io.chatvault.migration.ChatVaultProcesses.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Done means 3 of issue 15, the crash half: a drill run in a child JVM is killed with
 * SIGKILL once its first custodian is proven, while it restores the next; the next start
 * of the same drill recovers the dead execution and completes it, without drilling the
 * custodian already proven again, and leaves no scratch behind.
 */
@SpringBootTest(properties = "spring.datasource.hikari.maximum-pool-size=4")
class RestoreDrillCrashIntegrationTests {

	static final ChatVaultProcesses CHATVAULT = new ChatVaultProcesses("chatvault-drill-crash",
			List.of("chatvault.jobs.recover-grace=1s"));

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
	CommandDispatcher dispatcher;

	@Test
	void aDrillKilledWithSigkillResumesAndCompletesWithoutDrillingAProvenCustodianAgain() throws Exception {
		// given
		for (String custodian : List.of("alice", "bob", "carol")) {
			Path export = CHATVAULT.home().resolve("WhatsApp Chat with " + custodian + ".txt");
			GeneratedWhatsAppExport.writeText(export, 2500, custodian.hashCode());
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ExitCode migrated = this.dispatcher.dispatch(
					List.of("migrate", export.toString(), "custodian=" + custodian),
					new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(out, true, StandardCharsets.UTF_8));
			assertThat(migrated).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCode.COMPLETED);
		}

		// when
		Process child = CHATVAULT.start("run", "restore-drill", "quarter=2024-Q4");
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (System.nanoTime() < deadline && child.isAlive() && accountsDrilled() < 1) {
			Thread.sleep(20);
		}
		boolean killedMidDrill = child.isAlive();
		child.destroyForcibly().waitFor();
		long killed = lastExecution(this.jdbc);
		String statusAfterKill = statusOf(this.jdbc, killed);
		int exit = finish(CHATVAULT.start("run", "restore-drill", "quarter=2024-Q4"));
		int again = finish(CHATVAULT.start("run", "restore-drill", "quarter=2024-Q4"));

		// then
		assertThat(killedMidDrill).as("the child was killed while the drill ran").isTrue();
		assertThat(statusAfterKill).isEqualTo("STARTED");
		assertThat(exit).isZero();
		assertThat(again).isZero();
		long resumed = lastExecution(this.jdbc);
		assertThat(resumed).isGreaterThan(killed);
		assertThat(statusOf(this.jdbc, resumed)).isEqualTo("COMPLETED");
		List<Map<String, Object>> accounts = this.jdbc.sql(
				"SELECT custodian, outcome, job_execution_id, verified_records, index_records FROM restore_drill_account "
						+ "ORDER BY completed_at")
			.query()
			.listOfRows();
		assertThat(accounts).hasSize(3).allSatisfy((row) -> {
			assertThat(row.get("outcome")).isEqualTo("complete");
			assertThat(row.get("verified_records")).isEqualTo(2500L).isEqualTo(row.get("index_records"));
		});
		assertThat(accounts.get(0).get("job_execution_id")).isEqualTo(killed);
		assertThat(accounts.get(2).get("job_execution_id")).isEqualTo(resumed);
		assertThat(this.jdbc.sql("SELECT outcome FROM restore_drill_run").query(String.class).list())
			.containsExactly("complete");
		try (Stream<Path> scratch = Files.walk(CHATVAULT.home().resolve("restore-drill"))) {
			assertThat(scratch.filter(Files::isRegularFile)).isEmpty();
		}
	}

	private long accountsDrilled() {
		return this.jdbc.sql("SELECT count(*) FROM restore_drill_account").query(Long.class).single();
	}

}
