package io.chatvault.integrity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.crypto.DataKeys;
import io.chatvault.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checksum-sampling job end to end, over an archive of the sample exports (records,
 * conversation states, originals, media, receipts) and quarantined input: the seeded
 * sample an auditor can draw again, a full pass that finds and repairs every damaged or
 * deleted object of the primary, objects damaged in both copies reported unrepairable,
 * and a run that fails part-way and is restarted. Run on the filesystem store and on S3
 * by the subclasses.
 */
@SpringBootTest
@Import(IntegrityFixture.Faults.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ChecksumSamplingScenarios {

	/** The properties every store shares: a small archive, small chunks. */
	static void sampling(DynamicPropertyRegistry registry, TestDatabase.Coordinates database, Path home) {
		database.register(registry);
		registry.add("spring.datasource.hikari.maximum-pool-size", () -> "6");
		// The archive's migration on two threads, as the pool of 6 allows (pinned when
		// the default grid of two exports per core timed out in archive(); since 10245ca
		// the migration caps its grid by the pool itself).
		registry.add("chatvault.migration.grid-size", () -> "2");
		registry.add("chatvault.home", home::toString);
		// A small archive: minimums small enough that a sample is not all of it.
		registry.add("chatvault.integrity.sample-minimum-records", () -> "40");
		registry.add("chatvault.integrity.sample-minimum-items", () -> "2");
		registry.add("chatvault.integrity.chunk-size", () -> "5");
	}

	abstract Path home();

	/** How the names of both stores begin ({@code file:}, {@code s3://}). */
	abstract String storeScheme();

	@Autowired
	CommandDispatcher dispatcher;

	@Autowired
	IntegrityFixture.Faults faults;

	@Autowired
	IntegrityFixture fixture;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DataKeys dataKeys;

	Map<String, String> before;

	@BeforeAll
	void archive() throws IOException {
		this.fixture.archiveSamples(this.dispatcher, home().resolve("exports"));
		assertThat(this.fixture.storeNames()).allMatch((name) -> name.startsWith(storeScheme()));
		this.before = this.fixture.snapshot();
		assertThat(this.before).hasSizeGreaterThan(50);
		assertThat(this.fixture.count("vault_quarantine")).isPositive();
		assertThat(this.fixture.count("vault_receipt")).isPositive();
	}

	@Test
	@Order(1)
	void aDaysSampleIsWhatAnAuditorDrawsAgainFromTheIndexAndTheDocumentedFunction() {
		// when
		IntegrityFixture.Run run = this.fixture.run(this.dispatcher, "day=2026-11-02");
		IntegrityFixture.Run again = this.fixture.run(this.dispatcher, "day=2026-11-02");

		// then
		assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(run.output()).contains("checksum-sampling 2026-11-02 (sample)").contains("verified, all intact");
		assertThat(again.output()).contains("already complete");
		Map<String, Object> summary = this.fixture.runRow("2026-11-02", false);
		long records = ((Number) summary.get("records_in_archive")).longValue();
		assertThat(((Number) summary.get("records_sampled")).longValue()).isGreaterThanOrEqualTo(40)
			.isLessThan(records);
		assertThat(summary.get("failed")).isEqualTo(0L);
		// what each partition checked is exactly the auditor's redraw, kind by kind
		for (Map<String, Object> kind : this.fixture.kindRows("2026-11-02", false)) {
			long redrawn = this.fixture.redraw("2026-11-02", kind);
			assertThat(kind.get("sampled")).as(kind.toString()).isEqualTo(redrawn);
			assertThat(kind.get("drawn")).as(kind.toString()).isEqualTo(redrawn);
		}
		assertThat(this.fixture.auditActions()).contains("integrity.sampling");
	}

	@Test
	@Order(2)
	void aFullPassFindsEveryDamagedOrDeletedObjectOfThePrimaryAndRepairsItFromTheReplica() throws IOException {
		// given: bytes flipped in some objects of the primary, others deleted
		List<String> damaged = this.fixture.damagePrimary(42, 6, 3);

		// when
		IntegrityFixture.Run run = this.fixture.run(this.dispatcher, "day=2026-11-03", "full=true");

		// then
		assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		assertThat(run.output()).contains("(full pass)")
			.contains("9 damaged object(s) repaired from the replica, 0 unrepairable");
		List<Map<String, Object>> incidents = this.fixture.incidents("2026-11-03");
		assertThat(incidents).extracting((incident) -> incident.get("object_key"))
			.containsExactlyInAnyOrderElementsOf(damaged);
		assertThat(incidents).allSatisfy((incident) -> {
			assertThat(incident.get("outcome")).isEqualTo("repaired");
			assertThat(incident.get("repaired_at")).isNotNull();
			assertThat((String) incident.get("new_object_key")).isEqualTo(incident.get("object_key") + ".r1");
		});
		Map<String, Object> summary = this.fixture.runRow("2026-11-03", true);
		assertThat(summary.get("repaired")).isEqualTo(9L);
		assertThat(summary.get("unrepairable")).isEqualTo(0L);
		assertThat(summary.get("sampled")).isEqualTo(this.fixture.itemsInIndex());
		// the primary alone now checks out to content depth, and the archive reads back
		// bit-exact
		assertThat(this.fixture.primaryProblems()).isEmpty();
		assertThat(this.fixture.snapshot()).isEqualTo(this.before);
		// the damaged objects are where they were: nothing overwritten or deleted
		for (String key : damaged) {
			assertThat(this.fixture.primaryHolds(key + ".r1")).isTrue();
		}
		assertThat(this.fixture.auditActions()).contains("integrity.repair");
	}

	@Test
	@Order(3)
	void aRunThatFailsPartWayIsRestartedAndCountsEveryItemOnceAndEveryIncidentOnce() throws IOException {
		// given
		List<String> damaged = this.fixture.damagePrimary(7, 2, 1);
		this.faults.failAfterChecks(40);

		// when
		IntegrityFixture.Run failed = this.fixture.run(this.dispatcher, "day=2026-11-04", "full=true");
		IntegrityFixture.Run restarted = this.fixture.run(this.dispatcher, "day=2026-11-04", "full=true");

		// then
		assertThat(failed.exitCode()).as(failed.output()).isEqualTo(ExitCode.JOB_FAILED);
		assertThat(restarted.exitCode()).as(restarted.output()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		assertThat(this.fixture.incidents("2026-11-04")).extracting((incident) -> incident.get("object_key"))
			.containsExactlyInAnyOrderElementsOf(damaged);
		Map<String, Object> summary = this.fixture.runRow("2026-11-04", true);
		assertThat(summary.get("sampled")).isEqualTo(this.fixture.itemsInIndex());
		assertThat(summary.get("repaired")).isEqualTo((long) damaged.size());
		assertThat(this.fixture.primaryProblems()).isEmpty();
		assertThat(this.fixture.snapshot()).isEqualTo(this.before);
	}

	@Test
	@Order(4)
	void objectsDamagedInBothCopiesAreReportedUnrepairableNeverRepaired() throws IOException {
		// given: one object damaged in the primary and the replica, one in the primary
		// only
		List<String> both = this.fixture.damageBoth(11, 1);
		List<String> primaryOnly = this.fixture.damagePrimary(13, 1, 0);

		// when
		IntegrityFixture.Run run = this.fixture.run(this.dispatcher, "day=2026-11-05", "full=true");

		// then
		assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCode.INTEGRITY_FAILURE);
		assertThat(run.output()).contains("1 damaged object(s) repaired from the replica, 1 unrepairable");
		List<Map<String, Object>> incidents = this.fixture.incidents("2026-11-05");
		assertThat(incidents).filteredOn((incident) -> "unrepairable".equals(incident.get("outcome")))
			.extracting((incident) -> incident.get("object_key"))
			.containsExactlyElementsOf(both);
		assertThat(incidents).filteredOn((incident) -> "unrepairable".equals(incident.get("outcome")))
			.allSatisfy((incident) -> {
				assertThat(incident.get("repaired_at")).isNull();
				assertThat(incident.get("new_object_key")).isNull();
				assertThat((String) incident.get("replica_problem")).isNotBlank();
			});
		assertThat(incidents).filteredOn((incident) -> "repaired".equals(incident.get("outcome")))
			.extracting((incident) -> incident.get("object_key"))
			.containsExactlyElementsOf(primaryOnly);
		assertThat(this.fixture.runRow("2026-11-05", true).get("outcome")).isEqualTo("unrepairable");
	}

	@Test
	@Order(5)
	void contentAnErasureMadeUnreadableIsCountedAsErasedNotReportedAsAnIncident() {
		// given: every data key of one custodian destroyed (their records, originals and
		// receipts), as a GDPR erasure does
		String custodian = this.fixture.custodianWithNothingDamaged();
		List<String> scopes = this.jdbc.queryForList(
				"SELECT scope FROM vault_data_key WHERE custodian = ? AND destroyed_at IS NULL", String.class,
				custodian);
		assertThat(scopes).isNotEmpty();
		scopes.forEach((scope) -> this.dataKeys.destroy(scope, "GDPR art. 17, test"));

		// when
		IntegrityFixture.Run run = this.fixture.run(this.dispatcher, "day=2026-11-06", "full=true");

		// then: the erased items counted as such, not as incidents (the only incident
		// allowed is an object an earlier test left damaged in both copies)
		List<Map<String, Object>> incidents = this.fixture.incidents("2026-11-06");
		assertThat(incidents).extracting((incident) -> (String) incident.get("object_key"))
			.allMatch(this.fixture::damagedInBoth);
		assertThat(run.exitCode()).as(run.output() + incidents)
			.isEqualTo(incidents.isEmpty() ? ExitCode.COMPLETED : ExitCode.INTEGRITY_FAILURE);
		assertThat(run.output()).contains("erased (data key destroyed; stored SHA-256 checked)");
		Map<String, Object> summary = this.fixture.runRow("2026-11-06", true);
		assertThat((Long) summary.get("failed") > 0).isEqualTo(!incidents.isEmpty());
		assertThat((Long) summary.get("erased")).isPositive();
		assertThat((Long) summary.get("verified") + (Long) summary.get("erased") + (Long) summary.get("failed"))
			.isEqualTo(this.fixture.itemsInIndex());
		Map<String, Long> erasedByKind = new java.util.TreeMap<>();
		for (Map<String, Object> kind : this.fixture.kindRows("2026-11-06", true)) {
			erasedByKind.put((String) kind.get("kind"), (Long) kind.get("erased"));
		}
		assertThat(erasedByKind.get("RECEIPT")).as(erasedByKind + " " + summary).isPositive();
		assertThat(erasedByKind.get("RECORD_BLOCK")).as(erasedByKind + " " + summary).isPositive();
		assertThat(erasedByKind.get("PACK")).isZero();
	}

}
