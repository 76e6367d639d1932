package io.chatvault.integrity;

import io.chatvault.storage.StorageProperties;
import io.chatvault.testsupport.TestS3;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ChecksumSamplingBenchmark} with the primary and the replica on Ceph RGW (two
 * buckets with Object Lock; ops/dev/ceph-rgw.sh, or CHATVAULT_TEST_S3_ENDPOINT).
 */
class ChecksumSamplingS3Benchmark extends ChecksumSamplingBenchmark {

	@DynamicPropertySource
	static void rgw(DynamicPropertyRegistry registry) {
		if (REUSE) {
			// The buckets are fresh every run: an index kept from an earlier run would name
			// objects they do not hold.
			throw new IllegalStateException("bench.reuse-archive is for the filesystem store only");
		}
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
	String store() {
		return "Ceph RGW";
	}

}
