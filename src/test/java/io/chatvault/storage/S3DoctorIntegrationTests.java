package io.chatvault.storage;

import java.net.URI;

import io.chatvault.cli.DoctorCheck;
import io.chatvault.testsupport.TestS3;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chatvault doctor} findings against a real S3 server. */
class S3DoctorIntegrationTests {

	@Test
	void missingBucketIsNamedWithTheFix() {
		// given
		StorageProperties.Store server = TestS3.server();
		try (S3ObjectStore store = S3ObjectStore.create(StorageProperties.Store.s3("no-such-bucket-cv",
				server.endpoint(), server.region(), server.accessKey(), server.secretKey()))) {

			// when
			DoctorCheck.Finding finding = check(store);

			// then
			assertThat(finding.ok()).isFalse();
			assertThat(finding.detail()).isEqualTo("bucket no-such-bucket-cv does not exist at " + server.endpoint());
			assertThat(finding.fix()).contains("--object-lock-enabled-for-bucket");
		}
	}

	@Test
	void bucketWithoutObjectLockIsNamedWithTheFix() {
		// given
		StorageProperties.Store settings = TestS3.freshLockedBucket();
		String plain = settings.bucket() + "-plain";
		try (S3ObjectStore store = S3ObjectStore.create(StorageProperties.Store.s3(plain, settings.endpoint(),
				settings.region(), settings.accessKey(), settings.secretKey()))) {
			store.client().createBucket((request) -> request.bucket(plain));

			// when
			DoctorCheck.Finding finding = check(store);

			// then
			assertThat(finding.ok()).isFalse();
			assertThat(finding.detail()).isEqualTo("bucket " + plain + " does not have Object Lock enabled");
			assertThat(finding.fix()).contains("create a new bucket with --object-lock-enabled-for-bucket");
		}
	}

	@Test
	void unreachableServerIsOneLine() {
		// given: nothing listens on port 1
		try (S3ObjectStore store = S3ObjectStore
			.create(StorageProperties.Store.s3("b", URI.create("http://127.0.0.1:1"), "us-east-1", "a", "s"))) {

			// when
			DoctorCheck.Finding finding = check(store);

			// then
			assertThat(finding.ok()).isFalse();
			assertThat(finding.detail()).startsWith("s3://b/: cannot reach http://127.0.0.1:1 (").doesNotContain("\n");
			assertThat(finding.fix()).contains("chatvault.storage.primary.endpoint");
		}
	}

	private static DoctorCheck.Finding check(S3ObjectStore store) {
		return new ObjectStoreDoctorCheck("primary object store", "chatvault.storage.primary", store).check();
	}

}
