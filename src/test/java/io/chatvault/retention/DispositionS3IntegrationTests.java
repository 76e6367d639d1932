package io.chatvault.retention;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.chatvault.cli.ExitCode;
import io.chatvault.message.SourcePlatform;
import io.chatvault.storage.ReplicatedObjectStore;
import io.chatvault.storage.RetentionViolationException;
import io.chatvault.storage.S3ObjectStore;
import io.chatvault.storage.StorageProperties;
import io.chatvault.testsupport.TestS3;
import io.chatvault.vault.VaultReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Disposition against Ceph RGW with Object Lock (ops/dev/ceph-rgw.sh): a pack whose
 * records have expired by the application's clock is refused deletion by the server
 * (COMPLIANCE retain-until seconds away, real time) and left for the next run, which
 * deletes it once the lock has ended; a held custodian's pack survives both.
 */
class DispositionS3IntegrationTests {

	private static final long LOCK_SECONDS = 40;

	@TempDir
	static Path home;

	static RetentionFixture fixture;

	static StorageProperties.Store bucket;

	@BeforeAll
	static void start() {
		bucket = TestS3.freshLockedBucket();
		fixture = new RetentionFixture(home, "chatvault.storage.primary.type=s3",
				"chatvault.storage.primary.bucket=" + bucket.bucket(),
				"chatvault.storage.primary.endpoint=" + bucket.endpoint(),
				"chatvault.storage.primary.region=" + bucket.region(), "chatvault.storage.primary.path-style=true",
				"chatvault.storage.primary.access-key=" + bucket.accessKey(),
				"chatvault.storage.primary.secret-key=" + bucket.secretKey());
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void theServerRefusesDeletionBeforeTheLockEndsAndTheNextRunDeletesAfterIt() throws Exception {
		// given
		S3ObjectStore s3 = (S3ObjectStore) ((ReplicatedObjectStore) fixture.store).primary();
		fixture.cli(fixture.compliance, "retention", "set", "short", "--regulation", "gdpr-minimal", "--period", "P1D",
				"--custodian", "alice,carol");
		Instant realNow = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		fixture.app.clock.set(realNow.minus(Duration.ofDays(1)).plusSeconds(LOCK_SECONDS));
		Instant sent = Instant.parse("2025-02-01T09:00:00Z");
		List<String> alice = fixture.archive("alice",
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "s3-alice", "a1", sent));
		List<String> carol = fixture.archive("carol",
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "s3-carol", "c1", sent));
		String alicePack = fixture.packOf(alice.get(0));
		String carolPack = fixture.packOf(carol.get(0));
		fixture.cli(fixture.compliance, "hold", "create", "S3-CASE", "--custodian", "carol");
		fixture.app.clock.set(realNow.plus(Duration.ofHours(1)));
		LocalDate day = LocalDate.ofInstant(fixture.app.clock.instant(), ZoneOffset.UTC);
		VaultReader reader = fixture.app.context.getBean(VaultReader.class);

		// when
		var first = fixture.cli(null, "run", "disposition", "day=" + day);

		// then: out of the index, refused by the server, kept for the next run
		assertThat(first.code()).as(first.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(reader.record(alice.get(0))).isEmpty();
		assertThat(s3.head(alicePack)).isPresent();
		assertThatThrownBy(() -> s3.delete(alicePack)).isInstanceOf(RetentionViolationException.class);
		assertThat(fixture.jdbc.queryForObject(
				"SELECT outcome FROM retention_disposed_object WHERE object_key = ? ORDER BY decided_at DESC LIMIT 1",
				String.class, alicePack))
			.isEqualTo("awaiting-lock");
		assertThat(s3.head(carolPack).orElseThrow().legalHold()).isTrue();

		// when: the lock has ended
		while (Instant.now().isBefore(realNow.plusSeconds(LOCK_SECONDS + 1))) {
			Thread.sleep(250);
		}
		fixture.app.clock.set(realNow.plus(Duration.ofDays(1)));
		var second = fixture.cli(null, "run", "disposition", "day=" + day.plusDays(1));

		// then
		assertThat(second.code()).as(second.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(s3.head(alicePack)).isEmpty();
		assertThat(
				s3.client().listObjectVersions((request) -> request.bucket(s3.bucket()).prefix(alicePack)).versions())
			.isEmpty();
		assertThat(s3.head(carolPack)).isPresent();
		assertThat(reader.record(carol.get(0))).isPresent();
	}

}
