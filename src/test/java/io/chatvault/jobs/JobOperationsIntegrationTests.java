package io.chatvault.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's job commands on a real PostgreSQL, run in-process through the
 * dispatcher: fail part-way and restart with nothing lost or doubled, concurrent starts,
 * recover refusals, and the output of jobs, show, status and doctor in both forms.
 */
@SpringBootTest
@ActiveProfiles("test-jobs")
class JobOperationsIntegrationTests {

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	@TempDir
	static Path home;

	private static final JsonMapper JSON = new JsonMapper();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		JobsTestProperties.database(registry, DATABASE);
		registry.add("chatvault.metrics.textfile-directory", () -> METRICS.toString());
		// every job run anchors the audit log in the object store under the home
		registry.add("chatvault.home", () -> home.toString());
	}

	static final Path METRICS = temporaryDirectory();

	@Autowired
	CommandDispatcher dispatcher;

	@Autowired
	JobCatalog catalog;

	TestItems items;

	@BeforeEach
	void testTables() {
		// after the context's Flyway migration, which wants an empty schema to start from
		this.items = TestItems.in(DATABASE);
	}

	@Test
	void aFailedRunRestartsWhereItStoppedWithoutDuplicateOrGap() {
		// given
		this.items.armFault("restart", 13);

		// when
		CliResult failed = cli("run", "test-items", "run=restart", "items=30", "failAt=13");

		// then: the two chunks before the failing one are committed, the third rolled
		// back
		assertThat(failed.exitCode()).isEqualTo(ExitCode.JOB_FAILED);
		assertThat(failed.out()).contains("simulated failure at item 13").contains("chatvault restart");
		assertThat(this.items.items("restart")).isEqualTo(TestItems.oneToN(10));
		long failedId = this.items.lastExecutionId("restart");

		// when the cause is fixed and the execution restarted
		this.items.fixFault("restart");
		CliResult restarted = cli("restart", String.valueOf(failedId));

		// then
		assertThat(restarted.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(this.items.items("restart")).isEqualTo(TestItems.oneToN(30));
		assertThat(this.items.executions("restart")).hasSize(2).last().asString().endsWith("COMPLETED");

		// and a completed instance is not run again
		CliResult again = cli("run", "test-items", "run=restart", "items=30", "failAt=13");
		CliResult restartedAgain = cli("restart", String.valueOf(failedId));
		assertThat(again.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(again.out()).contains("already complete");
		assertThat(restartedAgain.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(restartedAgain.out()).contains("already complete");
		assertThat(this.items.executions("restart")).hasSize(2);
		assertThat(this.items.items("restart")).isEqualTo(TestItems.oneToN(30));
	}

	@Test
	void showGivesStepsCountsAndTheFailureInBothForms() {
		// given
		this.items.armFault("show", 7);
		cli("run", "test-items", "run=show", "items=10", "failAt=7");
		long id = this.items.lastExecutionId("show");

		// when
		CliResult human = cli("show", String.valueOf(id));
		CliResult json = cli("show", String.valueOf(id), "--json");

		// then
		assertThat(human.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(human.out()).contains("Execution " + id + " of job test-items")
			.contains("status:     FAILED")
			.contains("test-items-step")
			.contains("read 10, written 5")
			.contains("failure:    java.lang.IllegalStateException: simulated failure at item 7")
			.contains("next:       chatvault restart " + id);
		JsonNode node = JSON.readTree(json.out());
		assertThat(node.get("id").asLong()).isEqualTo(id);
		assertThat(node.get("status").asString()).isEqualTo("FAILED");
		assertThat(node.get("parameters").get("run").asString()).isEqualTo("show");
		assertThat(node.get("steps").get(0).get("written").asLong()).isEqualTo(5);
		assertThat(node.get("steps").get(0).get("rollbacks").asLong()).isPositive();
		assertThat(node.get("failure").asString()).contains("simulated failure at item 7");
	}

	@Test
	void jobsListsExecutionsFilteredByJobAndStatusInBothForms() {
		// given
		cli("run", "test-items", "run=list-ok", "items=5");
		this.items.armFault("list-failed", 2);
		cli("run", "test-items", "run=list-failed", "items=5", "failAt=2");

		// when
		CliResult human = cli("jobs", "--job", "test-items");
		CliResult failedOnly = cli("jobs", "--status", "failed", "--json");
		CliResult all = cli("jobs", "--json", "--limit", "100");

		// then
		assertThat(human.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(human.out()).contains("ID")
			.contains("run=list-ok")
			.contains("COMPLETED")
			.contains("run=list-failed");
		JsonNode failed = JSON.readTree(failedOnly.out());
		assertThat(failed.isArray()).isTrue();
		assertThat(failed)
			.allSatisfy((execution) -> assertThat(execution.get("status").asString()).isEqualTo("FAILED"));
		JsonNode listFailed = find(failed, "list-failed");
		assertThat(listFailed.get("exitDescription").asString()).contains("simulated failure at item 2");
		JsonNode listOk = find(JSON.readTree(all.out()), "list-ok");
		assertThat(listOk.get("job").asString()).isEqualTo("test-items");
		assertThat(listOk.get("read").asLong()).isEqualTo(5);
		assertThat(listOk.get("written").asLong()).isEqualTo(5);
		assertThat(listOk.get("skipped").asLong()).isZero();
		assertThat(listOk.get("start").asString()).isNotEmpty();
	}

	@Test
	void statusCountsExecutionsInBothForms() {
		// given
		cli("run", "test-items", "run=status", "items=3");

		// when
		CliResult human = cli("status");
		CliResult json = cli("status", "--json");

		// then
		assertThat(human.out()).contains("job executions:").contains("completed: ").contains("jobs running: 0");
		JsonNode node = JSON.readTree(json.out());
		assertThat(node.get("jobExecutions").get("COMPLETED").asLong()).isPositive();
		assertThat(node.get("jobExecutions").get("total").asLong())
			.isGreaterThanOrEqualTo(node.get("jobExecutions").get("COMPLETED").asLong());
		assertThat(node.get("jobsRunning").asInt()).isZero();
	}

	@Test
	void doctorReportsTheDatabaseInBothForms() {
		// when
		CliResult human = cli("doctor");
		CliResult json = cli("doctor", "--json");

		// then
		assertThat(human.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(human.out()).contains("ok       database: PostgreSQL").contains("All checks passed.");
		JsonNode node = JSON.readTree(json.out());
		assertThat(node.get("ok").asBoolean()).isTrue();
		assertThat(node.get("checks")).extracting((check) -> check.get("name").asString())
			.contains("configuration", "database", "job executions");
	}

	@Test
	void twoConcurrentStartsGiveOneRunAndOneAlreadyRunning() throws Exception {
		// given a run that takes a while
		CompletableFuture<CliResult> first = CompletableFuture
			.supplyAsync(() -> cli("run", "test-items", "run=concurrent", "items=30", "sleepMs=100"));
		await().atMost(60, TimeUnit.SECONDS).until(() -> this.items.written("concurrent") > 0);

		// when the same job with the same parameters starts again, and recover is tried
		CliResult second = cli("run", "test-items", "run=concurrent", "items=30", "sleepMs=100");
		CliResult recover = cli("recover", String.valueOf(this.items.lastExecutionId("concurrent")), "--force");

		// then
		assertThat(second.exitCode()).isEqualTo(ExitCode.ALREADY_RUNNING);
		assertThat(second.err().strip())
			.isEqualTo("chatvault: already running: test-items with these parameters runs in another process");
		assertThat(recover.exitCode()).isEqualTo(ExitCode.ALREADY_RUNNING);
		assertThat(recover.err()).contains("is alive");
		assertThat(first.get(120, TimeUnit.SECONDS).exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(this.items.executions("concurrent")).hasSize(1);
		assertThat(this.items.items("concurrent")).isEqualTo(TestItems.oneToN(30));
	}

	@Test
	void stopEndsARunStoppedAfterItsChunkAndRestartResumesIt() throws Exception {
		// given a running execution
		CompletableFuture<CliResult> run = CompletableFuture
			.supplyAsync(() -> cli("run", "test-items", "run=stopped", "items=30", "sleepMs=100"));
		await().atMost(60, TimeUnit.SECONDS).until(() -> this.items.written("stopped") > 0);
		long id = this.items.lastExecutionId("stopped");

		// when
		CliResult stop = cli("stop", String.valueOf(id));

		// then the run ends STOPPED at a chunk boundary
		assertThat(stop.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(stop.out()).contains("stop requested");
		CliResult stopped = run.get(120, TimeUnit.SECONDS);
		assertThat(stopped.exitCode()).isEqualTo(ExitCode.JOB_STOPPED);
		assertThat(stopped.out()).contains("STOPPED").contains("chatvault restart " + id);
		List<Integer> written = this.items.items("stopped");
		assertThat(written).isEqualTo(TestItems.oneToN(written.size())).hasSizeLessThan(30);

		// and restart resumes it, reporting in JSON
		CliResult restarted = cli("restart", String.valueOf(id), "--json");
		JsonNode node = JSON.readTree(restarted.out());
		assertThat(restarted.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(node.get("exitCode").asInt()).isZero();
		assertThat(node.get("status").asString()).isEqualTo("COMPLETED");
		assertThat(node.get("executionId").asLong()).isGreaterThan(id);
		assertThat(this.items.items("stopped")).isEqualTo(TestItems.oneToN(30));
	}

	@Test
	void operatorMistakesGiveOneLineAndTheUsageExitCode() {
		// when
		CliResult unknownJob = cli("run", "no-such-job", "a=b");
		CliResult badParameter = cli("run", "test-items", "run=bad", "items=many");
		CliResult missingParameter = cli("run", "test-items", "items=3");
		CliResult unknownCommand = cli("frobnicate");
		CliResult unknownOption = cli("jobs", "--colour");
		CliResult noSuchExecution = cli("show", "999999");
		CliResult notANumber = cli("restart", "latest");

		// then
		assertThat(unknownJob.err()).startsWith("chatvault: unknown job 'no-such-job' (known jobs: ")
			.contains("test-items")
			.endsWith(")\n")
			.hasLineCount(1);
		assertThat(badParameter.err())
			.isEqualTo("chatvault: invalid parameters for job test-items: items must be a whole number, not 'many'\n");
		assertThat(missingParameter.err()).startsWith("chatvault: invalid parameters for job test-items:")
			.contains("run");
		assertThat(unknownCommand.err())
			.isEqualTo("chatvault: unknown command 'frobnicate' (chatvault --help lists the commands)\n");
		assertThat(unknownOption.err()).isEqualTo("chatvault: unknown option --colour (chatvault jobs --help)\n");
		assertThat(noSuchExecution.err()).isEqualTo("chatvault: no job execution 999999 (chatvault jobs lists them)\n");
		assertThat(notANumber.err()).startsWith("chatvault: 'latest' is not an execution id");
		for (CliResult result : new CliResult[] { unknownJob, badParameter, missingParameter, unknownCommand,
				unknownOption, noSuchExecution, notANumber }) {
			assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
			assertThat(result.err().lines()).hasSize(1);
			assertThat(result.out()).isEmpty();
		}
		assertThat(this.items.executions("bad")).isEmpty();
	}

	@Test
	void aRunLeavesItsMetricsWhereTheTextfileCollectorReadsThem() throws Exception {
		// when
		cli("run", "test-items", "run=metrics", "items=7");

		// then: Spring Batch's own timers (jobs, steps, chunk writes; not one per item)
		// and the run's
		// outcome, labelled with the run
		String prom = Files.readString(METRICS.resolve("chatvault_test_items_7_metrics.prom"));
		assertThat(prom).contains("# TYPE spring_batch_job_seconds summary")
			.containsPattern(
					"spring_batch_job_seconds_count\\{chatvault_run=\"test_items_7_metrics\",.*name=\"test-items\".*} 1")
			.containsPattern("spring_batch_step_seconds_count\\{chatvault_run=\"test_items_7_metrics\",.*")
			.containsPattern("spring_batch_chunk_write_seconds_count\\{chatvault_run=\"test_items_7_metrics\",.*")
			.doesNotContain("spring_batch_item_read")
			.doesNotContain("spring_batch_item_process")
			.contains("chatvault_run_exit_code{chatvault_run=\"test_items_7_metrics\",job_name=\"test-items\"} 0.0")
			.contains(
					"chatvault_run_items{chatvault_run=\"test_items_7_metrics\",job_name=\"test-items\",kind=\"written\"} 7.0")
			.contains("chatvault_run_last_success_timestamp_seconds{");
		try (var files = Files.list(METRICS)) {
			assertThat(files.map((file) -> file.getFileName().toString())).allMatch((name) -> name.endsWith(".prom"));
		}
	}

	@Test
	void aRunWithoutItsPeriodRunsForTodayAndOnceADay() {
		// when
		LocalDate before = LocalDate.now(ZoneOffset.UTC);
		CliResult first = cli("run", "test-periods");
		CliResult second = cli("run", "test-periods", "--json");
		LocalDate after = LocalDate.now(ZoneOffset.UTC);

		// then: day= derived from the clock (UTC), the same instance the second time
		assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(second.out()).contains("already complete");
		JsonNode executions = JSON.readTree(cli("jobs", "--job", "test-periods", "--json").out());
		assertThat(executions).hasSize(1);
		assertThat(executions.get(0).get("parameters").get("day").asString()).isIn(before.toString(), after.toString());
	}

	@Test
	void everyJobHasItsCatalogueFileAndEveryFileItsJob() {
		// when
		List<String> mismatches = this.catalog.mismatches();

		// then
		assertThat(mismatches).isEmpty();
		assertThat(this.catalog.names()).contains("migration", "test-items");
	}

	@Test
	void recoverAndStopRefuseExecutionsThatAreNotRunning() {
		// given
		cli("run", "test-items", "run=not-running", "items=3");
		long id = this.items.lastExecutionId("not-running");

		// when
		CliResult recover = cli("recover", String.valueOf(id));
		CliResult stop = cli("stop", String.valueOf(id));

		// then
		assertThat(recover.exitCode()).isEqualTo(ExitCode.NOT_RESTARTABLE);
		assertThat(recover.err())
			.isEqualTo("chatvault: execution " + id + " is COMPLETED, not running; nothing to recover\n");
		assertThat(stop.exitCode()).isEqualTo(ExitCode.NOT_RESTARTABLE);
		assertThat(stop.err()).isEqualTo("chatvault: execution " + id + " is not running (COMPLETED)\n");
	}

	private static JsonNode find(JsonNode executions, String run) {
		for (JsonNode execution : executions) {
			if (run.equals(execution.get("parameters").path("run").asString())) {
				return execution;
			}
		}
		throw new AssertionError("no execution of run " + run + " in " + executions);
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("chatvault-metrics");
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private CliResult cli(String... args) {
		return CliResult.run(this.dispatcher, args);
	}

}
