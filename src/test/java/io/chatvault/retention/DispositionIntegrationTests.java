package io.chatvault.retention;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.chatvault.audit.AuditEvent;
import io.chatvault.cli.ExitCode;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourcePlatform;
import io.chatvault.vault.VaultReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Disposition with a controllable clock on the filesystem store, whose lock runs on the
 * real clock: records written "a day ago" under a one-day policy expire at a real instant
 * seconds away. The first run removes exactly the expired and unheld records from the
 * index (and their search tokens) while the store still refuses their pack; the next run,
 * after the lock, deletes it; held records survive until their case is released; each
 * certificate lists exactly what went.
 */
class DispositionIntegrationTests {

	/** Long enough for the first runs to finish under load before the lock ends. */
	private static final long LOCK_SECONDS = 40;

	@TempDir
	static Path home;

	static RetentionFixture fixture;

	@BeforeAll
	static void start() {
		fixture = new RetentionFixture(home);
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	private static AccessResult run(String... args) {
		var result = fixture.cli(null, args);
		return new AccessResult(result.code(), result.out() + result.err());
	}

	record AccessResult(ExitCode code, String text) {
	}

	private static List<String> lines(String key) throws Exception {
		try (InputStream in = fixture.store.get(key).orElseThrow()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
		}
	}

	private static List<String> certificateRecords(long instance) throws Exception {
		String key = fixture.jdbc.queryForObject(
				"SELECT certificate_key FROM retention_disposition_run WHERE job_instance_id = ?", String.class,
				instance);
		return lines(key).stream()
			.filter((line) -> line.startsWith("{\"record\""))
			.map((line) -> line.substring(11, 75))
			.toList();
	}

	private static long lastInstance(boolean dryRun) {
		return fixture.jdbc.queryForObject(
				"SELECT max(job_instance_id) FROM retention_disposition_run WHERE dry_run = ?", Long.class, dryRun);
	}

	/** How many of the records have keyed search tokens in the index. */
	private static long searchTokens(List<String> messageIds) {
		return fixture.jdbc.queryForObject(
				"SELECT count(*) FROM vault_message WHERE tokens IS NOT NULL AND encode(message_id, 'hex') = ANY (?)",
				Long.class, (Object) messageIds.toArray(String[]::new));
	}

	@Test
	void disposalRemovesExactlyTheExpiredAndUnheldAndTheStoreDeletesTheirPackOnlyAfterItsLock() throws Exception {
		// given: one-day policies for alice and carol, the default 7 years for bob; the
		// records are written "a day ago" so their retain-until is LOCK_SECONDS from now
		fixture.cli(fixture.compliance, "retention", "set", "short-alice", "--regulation", "gdpr-minimal", "--period",
				"P1D", "--custodian", "alice,carol");
		Instant realNow = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		Instant written = realNow.minus(Duration.ofDays(1)).plusSeconds(LOCK_SECONDS);
		fixture.app.clock.set(written);
		Instant sent = Instant.parse("2025-01-10T10:00:00Z");
		List<String> alice = fixture.archive("alice",
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "d-alice", "a1", sent),
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "d-alice", "a2", sent.plusSeconds(5)));
		List<String> bob = fixture.archive("bob",
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "d-bob", "b1", sent));
		List<String> carol = fixture.archive("carol",
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "d-carol", "c1", sent));
		String alicePack = fixture.packOf(alice.get(0));
		String carolPack = fixture.packOf(carol.get(0));
		assertThat(fixture.cli(fixture.compliance, "hold", "create", "D-CASE", "--custodian", "carol").code())
			.isEqualTo(ExitCode.COMPLETED);
		Instant expired = written.plus(Duration.ofDays(1)).plus(Duration.ofHours(1));
		fixture.app.clock.set(expired);
		String day = LocalDate.ofInstant(expired, ZoneOffset.UTC).toString();
		VaultReader reader = fixture.app.context.getBean(VaultReader.class);

		// when: a dry run
		AccessResult dry = run("run", "disposition", "day=" + day, "dry-run=true");

		// then: it lists alice's records and changes nothing
		assertThat(dry.code()).as(dry.text()).isEqualTo(ExitCode.COMPLETED);
		assertThat(fixture.jdbc.queryForList(
				"SELECT encode(message_id, 'hex') FROM retention_disposed_record " + "WHERE job_instance_id = ?",
				String.class, lastInstance(true)))
			.containsExactlyInAnyOrderElementsOf(alice);
		assertThat(reader.record(alice.get(0))).isPresent();
		assertThat(searchTokens(alice)).isEqualTo(2);

		// when: the run of the day, before the store's lock ends (real time)
		AccessResult first = run("run", "disposition", "day=" + day);

		// then: alice's records left the index, the pack waits for its lock; bob's and
		// the held carol's stay readable
		assertThat(first.code()).as(first.text()).isEqualTo(ExitCode.COMPLETED);
		long firstRun = lastInstance(false);
		assertThat(certificateRecords(firstRun)).containsExactlyElementsOf(alice.stream().sorted().toList());
		assertThat(reader.record(alice.get(0))).isEmpty();
		assertThat(reader.record(alice.get(1))).isEmpty();
		assertThat(reader.record(bob.get(0))).isPresent();
		assertThat(reader.record(carol.get(0))).isPresent();
		assertThat(searchTokens(alice)).isZero();
		assertThat(searchTokens(bob)).isEqualTo(1);
		assertThat(searchTokens(carol)).isEqualTo(1);
		assertThat(fixture.store.head(alicePack)).isPresent();
		assertThat(fixture.jdbc.queryForMap("SELECT records_disposed, records_held, objects_deleted, "
				+ "objects_awaiting_lock FROM retention_disposition_run WHERE job_instance_id = ?", firstRun))
			.containsEntry("records_disposed", 2L)
			.containsEntry("records_held", 1L)
			.containsEntry("objects_deleted", 0L)
			.containsEntry("objects_awaiting_lock", 1L);
		assertThatThrownBy(() -> fixture.store.delete(alicePack))
			.isInstanceOf(io.chatvault.storage.RetentionViolationException.class);

		// when: the next day's run, after the lock has ended
		while (Instant.now().isBefore(realNow.plusSeconds(LOCK_SECONDS + 1))) {
			Thread.sleep(200);
		}
		fixture.app.clock.set(expired.plus(Duration.ofDays(1)));
		AccessResult second = run("run", "disposition", "day=" + LocalDate.parse(day).plusDays(1));

		// then: the pack is gone, carol's (held) is not
		assertThat(second.code()).as(second.text()).isEqualTo(ExitCode.COMPLETED);
		long secondRun = lastInstance(false);
		assertThat(fixture.store.head(alicePack)).isEmpty();
		assertThat(fixture.store.head(carolPack)).isPresent();
		assertThat(certificateRecords(secondRun)).isEmpty();
		String certificate = fixture.jdbc.queryForObject(
				"SELECT certificate_key FROM retention_disposition_run WHERE job_instance_id = ?", String.class,
				secondRun);
		assertThat(lines(certificate)).anyMatch((line) -> line.contains("\"object\":\"" + alicePack + "\"")
				&& line.contains("\"outcome\":\"deleted\""));
		assertThat(reader.record(carol.get(0))).isPresent();

		// when: the case is released and the next day runs
		fixture.cli(fixture.compliance, "hold", "release", "D-CASE");
		fixture.app.clock.set(expired.plus(Duration.ofDays(2)));
		AccessResult third = run("run", "disposition", "day=" + LocalDate.parse(day).plusDays(2));

		// then
		assertThat(third.code()).as(third.text()).isEqualTo(ExitCode.COMPLETED);
		assertThat(certificateRecords(lastInstance(false))).containsExactly(carol.get(0));
		assertThat(searchTokens(carol)).isZero();
		assertThat(searchTokens(bob)).isEqualTo(1);
		assertThat(fixture.store.head(carolPack)).isEmpty();
		assertThat(reader.record(bob.get(0))).isPresent();

		// and: every certificate is in the audit log with the SHA-256 of its bytes
		List<AuditEvent> certificates = fixture.app.entriesAfter(0, "disposition.certificate");
		assertThat(certificates).hasSize(3);
		for (AuditEvent event : certificates) {
			String key = (String) event.details().get("certificate");
			try (InputStream in = fixture.store.get(key).orElseThrow()) {
				assertThat(event.details()).containsEntry("sha256", Sha256.hex(in.readAllBytes()));
			}
		}
	}

}
