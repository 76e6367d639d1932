package io.chatvault.jobs;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.chatvault.ChatVaultApplication;
import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The test job run by the real {@code chatvault} main in a separate JVM, then killed:
 * {@code kill -9} leaves it STARTED until {@code recover}, SIGTERM stops it cleanly, and
 * {@code restart} completes it either way with every item written exactly once.
 */
@SpringBootTest(properties = "chatvault.jobs.recover-grace=10m")
@ActiveProfiles("test-jobs")
class JobProcessIntegrationTests {

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		JobsTestProperties.database(registry, DATABASE);
	}

	@Autowired
	CommandDispatcher dispatcher;

	@TempDir
	Path home;

	TestItems items;

	private final AtomicInteger processes = new AtomicInteger();

	@BeforeEach
	void testTables() {
		this.items = TestItems.in(DATABASE);
	}

	@Test
	void aKilledRunIsRecoveredAndRestartedWithoutDuplicateOrGap() throws Exception {
		// given a run in its own process, killed with SIGKILL part-way
		Process process = chatvault("run", "test-items", "run=killed", "items=40", "sleepMs=100");
		await().atMost(120, TimeUnit.SECONDS).until(() -> this.items.written("killed") >= 10);
		process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		long id = this.items.lastExecutionId("killed");
		assertThat(this.items.executions("killed")).containsExactly(id + " STARTED");

		// when: recover refuses within the grace period, then recovers with --force
		CliResult refused = cli("recover", String.valueOf(id));
		await().atMost(30, TimeUnit.SECONDS)
			.until(() -> cli("recover", String.valueOf(id), "--force").exitCode() == ExitCode.COMPLETED);
		CliResult restarted = cli("restart", String.valueOf(id));

		// then
		assertThat(refused.exitCode()).isEqualTo(ExitCode.ALREADY_RUNNING);
		assertThat(restarted.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(this.items.executions("killed")).containsExactly(id + " FAILED", (id + 1) + " COMPLETED");
		assertThat(this.items.items("killed")).isEqualTo(TestItems.oneToN(40));
	}

	@Test
	void aKilledRunIsResumedByTheNextPlainRunWhileALiveRunBlocksASecondStart() throws Exception {
		// given a run in its own process
		String[] run = { "run", "test-items", "run=healed", "items=200", "sleepMs=100" };
		Process first = chatvault(run);
		await().atMost(120, TimeUnit.SECONDS).until(() -> this.items.written("healed") >= 10);

		// when a second start of the same instance comes while it is alive
		Process second = chatvault(run);
		int secondCode = finish(second);

		// then it is refused at once
		assertThat(secondCode).as(output()).isEqualTo(ExitCode.ALREADY_RUNNING.code());
		assertThat(first.isAlive()).as("the first run was still running when the second start came").isTrue();

		// when the first is killed with SIGKILL, and the scheduler starts the same run
		// again
		first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		long crashed = this.items.lastExecutionId("healed");
		assertThat(this.items.executions("healed")).containsExactly(crashed + " STARTED");
		Process next = chatvault(run);
		int nextCode = finish(next);

		// then it recovers the crashed execution by itself and resumes it: nothing lost
		// or doubled
		assertThat(nextCode).as(output()).isEqualTo(ExitCode.COMPLETED.code());
		List<String> executions = this.items.executions("healed");
		assertThat(executions).hasSize(2).first().isEqualTo(crashed + " FAILED");
		assertThat(executions.get(1)).endsWith(" COMPLETED");
		assertThat(this.items.items("healed")).isEqualTo(TestItems.oneToN(200));
		assertThat(this.items.audited("job.recover", "execution:" + crashed)).containsExactly("job:test-items FAILED");
		assertThat(output()).contains("crashed (still STARTED, no process held its run lock");
	}

	@Test
	void sigtermStopsTheRunAfterItsChunkAndRestartCompletesIt() throws Exception {
		// given a run in its own process
		Process process = chatvault("run", "test-items", "run=terminated", "items=40", "sleepMs=100");
		await().atMost(120, TimeUnit.SECONDS).until(() -> this.items.written("terminated") >= 10);

		// when it receives SIGTERM, as Kubernetes sends
		process.destroy();
		boolean ended = process.waitFor(120, TimeUnit.SECONDS);

		// then it ends STOPPED at a chunk boundary with the documented exit code
		assertThat(ended).isTrue();
		assertThat(process.exitValue()).as(output()).isEqualTo(ExitCode.JOB_STOPPED.code());
		long id = this.items.lastExecutionId("terminated");
		assertThat(this.items.executions("terminated")).containsExactly(id + " STOPPED");
		List<Integer> written = this.items.items("terminated");
		assertThat(written).isEqualTo(TestItems.oneToN(written.size()));
		assertThat(written.size() % 5).isZero();

		// and restart completes it
		CliResult restarted = cli("restart", String.valueOf(id));
		assertThat(restarted.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(this.items.items("terminated")).isEqualTo(TestItems.oneToN(40));
	}

	private Process chatvault(String... args) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(
				List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
						"-Dspring.profiles.active=test-jobs", "-Dchatvault.home=" + this.home,
						// Short, so that the self-healing start does not wait long after
						// a kill.
						"-Dchatvault.jobs.recover-grace=3s"));
		for (Map.Entry<String, String> property : JobsTestProperties.of(DATABASE).entrySet()) {
			command.add("-D" + property.getKey() + "=" + property.getValue());
		}
		command.add(ChatVaultApplication.class.getName());
		command.addAll(List.of(args));
		File log = this.home.resolve("chatvault-" + args[2] + "-" + this.processes.incrementAndGet() + ".log").toFile();
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

	private static int finish(Process process) throws InterruptedException {
		if (!process.waitFor(5, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException("chatvault did not finish in 5 minutes");
		}
		return process.exitValue();
	}

	private String output() {
		try (var files = Files.list(this.home)) {
			StringBuilder text = new StringBuilder();
			for (Path file : files.filter((path) -> path.toString().endsWith(".log")).toList()) {
				text.append(Files.readString(file, StandardCharsets.UTF_8));
			}
			return text.toString();
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	private CliResult cli(String... args) {
		return CliResult.run(this.dispatcher, args);
	}

}
