package io.chatvault.storage;

import java.net.URI;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class S3ObjectStoreTests {

	@Test
	void anUnreachableServerIsOneLineNamingTheObjectAndEndpoint() {
		// given: nothing listens on port 1
		try (S3ObjectStore store = S3ObjectStore
			.create(StorageProperties.Store.s3("archive", URI.create("http://127.0.0.1:1"), "us-east-1", "a", "s"))) {

			// when / then
			assertThatExceptionOfType(ObjectStoreException.class)
				.isThrownBy(() -> store.put("packs/p", new byte[1],
						new WriteOptions(Instant.now(), WriteOptions.LockMode.COMPLIANCE, false)))
				.satisfies((ex) -> assertThat(ex.getMessage())
					.startsWith("Cannot describe packs/p in s3://archive/: cannot reach http://127.0.0.1:1 (")
					.doesNotContain("\n"));
		}
	}

	@Test
	void contentMd5IsTheBase64OfTheDigest() {
		assertThat(S3ObjectStore.md5("".getBytes())).isEqualTo("1B2M2Y8AsgTpgAmY7PhCfg==");
	}

}
