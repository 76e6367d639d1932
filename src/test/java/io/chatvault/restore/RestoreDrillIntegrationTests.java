package io.chatvault.restore;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.chatvault.access.AccessFixture;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditVerifier;
import io.chatvault.cli.ExitCode;
import io.chatvault.migration.GeneratedWhatsAppExport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Done means 1 and 3 of issue 15 (the crash half in
 * {@link RestoreDrillCrashIntegrationTests}): exports of three custodians migrated, the
 * quarter's drill restores each in full into scratch, proves it complete and passes, with
 * a report in the write-once store and rows in its tables; a second start is "already
 * complete"; the lost-phone rehearsal draws the same custodians; and with one record's
 * objects damaged in both stores the drill fails with exit code 10 naming the record.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreDrillIntegrationTests {

	@TempDir
	static Path home;

	static AccessFixture fixture;

	@BeforeAll
	static void migrateThreeCustodians() throws IOException {
		fixture = AccessFixture.start(home, "chatvault.migration.progress=false",
				"spring.datasource.hikari.maximum-pool-size=5");
		Path exports = Files.createDirectories(home.resolve("exports"));
		Path alice = exports.resolve("WhatsApp Chat with Site Team.zip");
		GeneratedWhatsAppExport.writeZip(alice, "Site Team", 1200, 3,
				new GeneratedWhatsAppExport.MediaMix(0.6, 0.3, 0, 0.1));
		migrate(alice, "alice");
		Path bob = exports.resolve("WhatsApp Chat with Bob.txt");
		GeneratedWhatsAppExport.writeText(bob, 900, 5);
		migrate(bob, "bob");
		Path carol = exports.resolve("WhatsApp Chat with Carol.txt");
		GeneratedWhatsAppExport.writeText(carol, 700, 9);
		migrate(carol, "carol");
	}

	static void migrate(Path export, String custodian) {
		AccessFixture.Cli migrated = fixture.cli(null, "migrate", export.toString(), "custodian=" + custodian);
		assertThat(migrated.code()).as(migrated.out() + migrated.err()).isEqualTo(ExitCode.COMPLETED);
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void theSameQuarterDrawsTheSameCustodiansAndAnotherQuarterMayNot() {
		List<String> custodians = List.of("c01", "c02", "c03", "c04", "c05", "c06", "c07", "c08", "c09", "c10");

		// when
		List<String> first = RestoreDrill.draw(custodians, "2025-Q1", 3);
		List<String> reversed = new java.util.ArrayList<>(custodians);
		java.util.Collections.reverse(reversed);
		List<String> again = RestoreDrill.draw(reversed, "2025-Q1", 3);
		List<String> withAJoiner = RestoreDrill.draw(Stream.concat(custodians.stream(), Stream.of("c11")).toList(),
				"2025-Q1", 3);

		// then
		assertThat(first).hasSize(3).doesNotHaveDuplicates().isEqualTo(again);
		assertThat(withAJoiner).containsAnyElementsOf(first);
		assertThat(Stream.of("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q2")
			.map((quarter) -> RestoreDrill.draw(custodians, quarter, 3))
			.distinct()
			.count()).isGreaterThan(1);
	}

	@Test
	@Order(1)
	void theQuartersDrillRestoresEachCustodianProvesItCompleteAndASecondStartIsAlreadyComplete() throws IOException {
		// given
		long before = fixture.lastSequence();

		// when
		AccessFixture.Cli drill = fixture.cli(null, "run", "restore-drill", "quarter=2025-Q1");
		AccessFixture.Cli again = fixture.cli(null, "run", "restore-drill", "quarter=2025-Q1");

		// then
		assertThat(drill.code()).as(drill.out() + drill.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(drill.out() + drill.err()).contains("3 of 3 custodian(s) restored complete");
		assertThat(again.code()).isEqualTo(ExitCode.COMPLETED);
		assertThat(again.out() + again.err()).containsIgnoringCase("already complete");
		List<Map<String, Object>> accounts = fixture.jdbc.queryForList(
				"SELECT * FROM restore_drill_account WHERE quarter = '2025-Q1' AND scope = 'full' ORDER BY custodian");
		assertThat(accounts).extracting((row) -> row.get("custodian")).containsExactly("alice", "bob", "carol");
		assertThat(accounts).allSatisfy((row) -> {
			assertThat(row.get("outcome")).isEqualTo("complete");
			assertThat(row.get("restored_records")).isEqualTo(row.get("index_records"));
			assertThat(row.get("verified_records")).isEqualTo(row.get("index_records"));
			assertThat(row.get("owned_records")).isEqualTo(row.get("migration_archived"));
			assertThat((long) row.get("originals")).isPositive();
			assertThat((long) row.get("shortfall_count")).isZero();
		});
		assertThat(accounts.get(0).get("index_records")).isEqualTo(1200L);
		assertThat((long) accounts.get(0).get("media_files")).isPositive();
		Map<String, Object> run = fixture.jdbc
			.queryForMap("SELECT * FROM restore_drill_run WHERE quarter = '2025-Q1' AND scope = 'full'");
		assertThat(run.get("outcome")).isEqualTo("complete");
		assertThat(run.get("success_rate")).isEqualTo(1.0);
		assertThat(run.get("records_expected")).isEqualTo(2800L);
		Path report = home.resolve("objects").resolve(run.get("report_key").toString());
		assertThat(Files.readString(report)).contains("\"quarter\" : \"2025-Q1\"", "\"custodian\" : \"alice\"");
		assertThat(io.chatvault.message.Sha256.hex(Files.readAllBytes(report))).isEqualTo(run.get("report_sha256"));
		List<AuditEvent> reads = fixture.entriesAfter(before, "content.restore");
		assertThat(reads).hasSize(3).allSatisfy((entry) -> {
			assertThat(entry.actor()).isEqualTo("job:restore-drill");
			assertThat(entry.outcome()).isEqualTo("success");
			assertThat(entry.details()).containsKeys("records", "bytes", "client", "query", "jobExecutionId");
		});
		assertThat(fixture.context.getBean(AuditVerifier.class).verify().intact()).isTrue();
		try (Stream<Path> scratch = Files.walk(home.resolve("restore-drill"))) {
			assertThat(scratch.filter(Files::isRegularFile)).isEmpty();
		}
	}

	@Test
	@Order(2)
	void theLostPhoneRehearsalRestoresTheLastThirtyDaysOfTheSameCustodians() {
		// when
		AccessFixture.Cli drill = fixture.cli(null, "run", "restore-drill", "quarter=2025-Q1", "scope=last-30-days");

		// then
		assertThat(drill.code()).as(drill.out() + drill.err()).isEqualTo(ExitCode.COMPLETED);
		List<Map<String, Object>> accounts = fixture.jdbc
			.queryForList("SELECT * FROM restore_drill_account WHERE quarter = '2025-Q1' AND scope = 'last-30-days' "
					+ "ORDER BY custodian");
		assertThat(accounts).extracting((row) -> row.get("custodian")).containsExactly("alice", "bob", "carol");
		assertThat(accounts).allSatisfy((row) -> {
			assertThat(row.get("outcome")).isEqualTo("complete");
			assertThat(row.get("window_from")).isNotNull();
			assertThat((long) row.get("verified_records")).isPositive().isEqualTo(row.get("index_records"));
		});
		assertThat(fixture.jdbc.queryForList("SELECT custodian FROM restore_drill_selection WHERE quarter = '2025-Q1' "
				+ "AND scope = 'last-30-days' ORDER BY ordinal", String.class))
			.isEqualTo(fixture.jdbc.queryForList("SELECT custodian FROM restore_drill_selection WHERE quarter = "
					+ "'2025-Q1' AND scope = 'full' ORDER BY ordinal", String.class));
	}

	@Test
	@Order(3)
	void oneRecordDamagedInBothStoresFailsTheDrillNamingTheRecord() throws IOException {
		// given
		Map<String, Object> victim = fixture.jdbc.queryForMap("""
				SELECT encode(m.message_id, 'hex') AS id, p.object_key AS key, b.pack_offset AS offset
				FROM vault_message m JOIN vault_block b ON b.id = m.block_id JOIN vault_pack p ON p.id = b.pack_id
				JOIN vault_conversation c ON c.id = m.conversation JOIN vault_custodian k ON k.id = c.custodian_id
				WHERE k.name = 'bob' ORDER BY m.sent_at DESC LIMIT 1
				""");
		damage(home.resolve("objects").resolve(victim.get("key").toString()), (long) victim.get("offset") + 60);
		damage(home.resolve("replica").resolve(victim.get("key").toString()), (long) victim.get("offset") + 60);

		// when
		AccessFixture.Cli drill = fixture.cli(null, "run", "restore-drill", "quarter=2024-Q4");

		// then
		assertThat(drill.code()).as(drill.out() + drill.err()).isEqualTo(ExitCode.INTEGRITY_FAILURE);
		assertThat(drill.out() + drill.err()).contains("restore drill short: bob");
		Map<String, Object> bob = fixture.jdbc
			.queryForMap("SELECT * FROM restore_drill_account WHERE quarter = '2024-Q4' AND custodian = 'bob'");
		assertThat(bob.get("outcome")).isEqualTo("short");
		assertThat((long) bob.get("verified_records")).isLessThan((long) bob.get("index_records"));
		assertThat(fixture.jdbc
			.queryForList("SELECT item FROM restore_drill_shortfall WHERE custodian = 'bob' AND kind = 'record' AND "
					+ "job_instance_id = (SELECT job_instance_id FROM restore_drill_selection WHERE quarter = '2024-Q4' "
					+ "LIMIT 1)", String.class))
			.contains(victim.get("id").toString());
		assertThat(fixture.jdbc.queryForList(
				"SELECT outcome FROM restore_drill_account WHERE quarter = '2024-Q4' AND custodian <> 'bob'",
				String.class))
			.containsOnly("complete");
		assertThat(fixture.jdbc.queryForObject("SELECT outcome FROM restore_drill_run WHERE quarter = '2024-Q4'",
				String.class))
			.isEqualTo("short");
	}

	static void damage(Path file, long offset) throws IOException {
		file.toFile().setWritable(true);
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
			raf.seek(offset);
			int b = raf.read();
			raf.seek(offset);
			raf.write(b ^ 0x5A);
		}
	}

}
