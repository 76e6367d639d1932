package io.chatvault.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.chatvault.storage.WriteOptions;
import io.chatvault.storage.WriteOptions.LockMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: any media from 0 bytes to a few chunks, compressible or not, comes back
 * bit-exact. Chunks are about 1 MiB and packs 1 MiB here, so that the cases cross chunk
 * and pack boundaries; the 100 MiB case is in {@link MediaVaultIntegrationTests}.
 */
class MediaRoundTripIntegrationTests {

	private static final int CHUNK = 1024 * 1024;

	private static final WriteOptions OPTIONS = new WriteOptions(Instant.now().plus(Duration.ofDays(1)),
			LockMode.COMPLIANCE, false);

	private static Path directory;

	private static VaultFixture fixture;

	@BeforeContainer
	static void startVault() throws IOException {
		directory = Files.createTempDirectory("media-roundtrip");
		VaultProperties defaults = VaultProperties.defaults();
		fixture = new VaultFixture(directory, new VaultProperties(defaults.retention(), defaults.records(),
				defaults.originals(), new VaultProperties.Media(3, 10, DataSize.ofBytes(CHUNK))));
	}

	@AfterContainer
	static void stopVault() throws IOException {
		fixture.close();
		MediaFiles.deleteRecursively(directory);
	}

	@Property(tries = 25)
	void anyMediaComesBackBitExact(@ForAll @IntRange(min = 0, max = 3 * CHUNK + 17) int size,
			@ForAll boolean compressible) throws IOException {
		// given
		Path file = MediaFiles.write(directory, "p-" + size + "-" + compressible, size, compressible, size);

		// when
		MediaVault.StoredMedia stored = fixture.media.store(VaultFixture.attachment(file, "application/octet-stream"),
				OPTIONS);

		// then
		assertThat(stored.size()).isEqualTo(size);
		assertThat(stored.sha256()).isEqualTo(MediaFiles.sha256(file));
		try (InputStream in = fixture.media.open(stored.sha256()).orElseThrow()) {
			assertThat(MediaFiles.sha256(in)).isEqualTo(stored.sha256());
		}
	}

}
