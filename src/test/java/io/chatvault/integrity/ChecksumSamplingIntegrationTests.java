package io.chatvault.integrity;

import java.nio.file.Path;

import io.chatvault.testsupport.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ChecksumSamplingScenarios} on the embedded default: filesystem primary and
 * replica.
 */
class ChecksumSamplingIntegrationTests extends ChecksumSamplingScenarios {

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	static final Path HOME = IntegrityFixture.temporaryHome("checksum-sampling");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		sampling(registry, DATABASE, HOME);
	}

	@Override
	Path home() {
		return HOME;
	}

	@Override
	String storeScheme() {
		return "file:";
	}

}
