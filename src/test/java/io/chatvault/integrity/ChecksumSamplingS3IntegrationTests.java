package io.chatvault.integrity;

import java.nio.file.Path;

import io.chatvault.storage.StorageProperties;
import io.chatvault.testsupport.TestDatabase;
import io.chatvault.testsupport.TestS3;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ChecksumSamplingScenarios} on Ceph RGW with Object Lock (ops/dev/ceph-rgw.sh, or
 * CHATVAULT_TEST_S3_ENDPOINT): the primary and the replica are two locked buckets. A
 * damaged object is a new current version over the locked one and a deleted object a
 * delete marker (what Object Lock lets anyone with write access do); the repair adds a
 * new key, since the locked version can be neither replaced nor removed.
 */
class ChecksumSamplingS3IntegrationTests extends ChecksumSamplingScenarios {

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	static final Path HOME = IntegrityFixture.temporaryHome("checksum-sampling-s3");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		sampling(registry, DATABASE, HOME);
		store(registry, "primary", TestS3.freshLockedBucket());
		store(registry, "replica", TestS3.freshLockedBucket());
	}

	private static void store(DynamicPropertyRegistry registry, String side, StorageProperties.Store bucket) {
		String prefix = "chatvault.storage." + side + ".";
		registry.add(prefix + "type", () -> "s3");
		registry.add(prefix + "bucket", bucket::bucket);
		registry.add(prefix + "endpoint", () -> bucket.endpoint().toString());
		registry.add(prefix + "region", bucket::region);
		registry.add(prefix + "path-style", () -> "true");
		registry.add(prefix + "access-key", bucket::accessKey);
		registry.add(prefix + "secret-key", bucket::secretKey);
	}

	@Override
	Path home() {
		return HOME;
	}

	@Override
	String storeScheme() {
		return "s3://";
	}

}
