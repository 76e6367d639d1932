package io.chatvault.jobs;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.chatvault.audit.AuditAnchors;
import io.chatvault.audit.AuditEntry;
import io.chatvault.audit.AuditFilter;
import io.chatvault.audit.AuditTrail;
import io.chatvault.audit.AuditVerifier;
import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every job run is in the audit log, from one listener on every job: start and end with
 * the outcome, failed runs and their restarts, and runs that crashed, whose end is
 * recorded when they are recovered; each run's end anchors the chain.
 */
@SpringBootTest
@ActiveProfiles("test-jobs")
// Its own database: closed after the class, so that its pool does not stay open in the
// context cache for the rest of the suite (the shared test server has 100 connections).
@DirtiesContext
class JobRunAuditIntegrationTests {

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	@TempDir
	static Path home;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		JobsTestProperties.database(registry, DATABASE);
		registry.add("chatvault.home", () -> home.toString());
	}

	@Autowired
	CommandDispatcher dispatcher;

	@Autowired
	AuditTrail trail;

	@Autowired
	AuditAnchors anchors;

	@Autowired
	AuditVerifier verifier;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JdbcTemplate jdbc;

	TestItems items;

	@BeforeEach
	void testTables() {
		this.items = TestItems.in(DATABASE);
	}

	@Test
	void aCompletedRunIsRecordedAndAnchored() {
		// when
		CliResult result = cli("run", "test-items", "run=audit-ok", "items=7");

		// then
		assertThat(result.exitCode()).isEqualTo(ExitCode.COMPLETED);
		long id = this.items.lastExecutionId("audit-ok");
		List<AuditEntry> entries = entries(id);
		assertThat(entries).extracting((entry) -> entry.event().action() + " " + entry.event().outcome())
			.containsExactly("job.start STARTED", "job.end COMPLETED");
		AuditEntry start = entries.get(0);
		assertThat(start.event().actor()).isEqualTo("job:test-items");
		assertThat(start.event().details()).containsEntry("job", "test-items")
			.containsEntry("restart", false)
			.containsEntry("parameters", Map.of("items", "7", "run", "audit-ok"));
		assertThat((String) start.event().details().get("launchedBy")).startsWith("os:");
		AuditEntry end = entries.get(1);
		assertThat(end.event().details()).containsEntry("exitCode", "COMPLETED").containsEntry("written", 7);
		assertThat(this.anchors.lastRecorded()).get()
			.satisfies((anchor) -> assertThat(anchor.lastSequence()).isGreaterThanOrEqualTo(end.sequence()));
		assertThat(this.verifier.verify().intact()).isTrue();
	}

	@Test
	void aFailedRunAndItsRestartAreRecorded() {
		// given
		this.items.armFault("audit-fail", 4);
		cli("run", "test-items", "run=audit-fail", "items=10", "failAt=4");
		long failed = this.items.lastExecutionId("audit-fail");
		this.items.fixFault("audit-fail");

		// when
		cli("restart", String.valueOf(failed));
		long restarted = this.items.lastExecutionId("audit-fail");

		// then
		List<AuditEntry> first = entries(failed);
		assertThat(first).extracting((entry) -> entry.event().action() + " " + entry.event().outcome())
			.containsExactly("job.start STARTED", "job.end FAILED");
		assertThat(first.get(1).event().details()).containsEntry("exitCode", "JOB_FAILED")
			.containsEntry("failure", "java.lang.IllegalStateException: simulated failure at item 4");
		List<AuditEntry> second = entries(restarted);
		assertThat(second).extracting((entry) -> entry.event().action() + " " + entry.event().outcome())
			.containsExactly("job.start STARTED", "job.end COMPLETED");
		assertThat(second.get(0).event().details()).containsEntry("restart", true);
	}

	@Test
	void aCrashedRunGetsItsEndWhenRecoveredAndOnlyOnce() {
		// given: an execution left STARTED, as by a killed process
		long crashed = crashedExecution("audit-crash").getId();

		// when
		CliResult recover = cli("recover", String.valueOf(crashed), "--force");
		CliResult restart = cli("restart", String.valueOf(crashed));

		// then
		assertThat(recover.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(restart.exitCode()).isEqualTo(ExitCode.COMPLETED);
		List<AuditEntry> entries = entries(crashed);
		assertThat(entries).extracting((entry) -> entry.event().action()).containsExactly("job.recover", "job.end");
		AuditEntry end = entries.get(1);
		assertThat(end.event().outcome()).isEqualTo("FAILED");
		assertThat(end.event().details()).containsEntry("crashed", true);
		assertThat((String) end.event().details().get("recoveredBy")).startsWith("os:");
		long restarted = this.items.lastExecutionId("audit-crash");
		assertThat(entries(restarted)).extracting((entry) -> entry.event().action())
			.containsExactly("job.start", "job.end");
	}

	@Test
	void aCrashedRunMarkedFailedElsewhereGetsItsEndWhenItsInstanceNextStarts() {
		// given: crashed, then marked FAILED without chatvault recover (by hand, or by
		// another recovery path)
		JobExecution execution = crashedExecution("audit-crash-elsewhere");
		execution.setStatus(BatchStatus.FAILED);
		execution.setEndTime(LocalDateTime.now());
		this.jobRepository.update(execution);

		// when
		CliResult restart = cli("restart", String.valueOf(execution.getId()));

		// then
		assertThat(restart.exitCode()).isEqualTo(ExitCode.COMPLETED);
		List<AuditEntry> ends = entries(execution.getId());
		assertThat(ends).singleElement().satisfies((end) -> {
			assertThat(end.event().action()).isEqualTo("job.end");
			assertThat(end.event().details()).containsEntry("crashed", true)
				.containsEntry("recoveredBy", "job:test-items");
		});
	}

	private JobExecution crashedExecution(String run) {
		JobParameters parameters = new JobParametersBuilder().addString("run", run, true)
			.addString("items", "5", true)
			.toJobParameters();
		JobInstance instance = this.jobRepository.createJobInstance(TestItemsJobConfiguration.JOB, parameters);
		JobExecution execution = this.jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
		execution.setStatus(BatchStatus.STARTED);
		execution.setStartTime(LocalDateTime.now().minusHours(1));
		this.jobRepository.update(execution);
		return execution;
	}

	private List<AuditEntry> entries(long executionId) {
		List<AuditEntry> entries = new java.util.ArrayList<>();
		this.trail.forEach(new AuditFilter(java.util.Optional.empty(), java.util.Optional.of("job.*"),
				java.util.Optional.of("execution:" + executionId), java.util.Optional.empty(),
				java.util.Optional.empty(), 0, 0), entries::add);
		return entries;
	}

	private CliResult cli(String... args) {
		return CliResult.run(this.dispatcher, args);
	}

}
