package io.chatvault.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chatvault.message.ChatRecord;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: any chunk of records (any Unicode text from empty to 1 MiB, any extras,
 * several conversations) archived and read back gives exactly the canonical bytes that
 * {@code prepare} produced, and archiving it again stores nothing.
 */
class MessageRoundTripIntegrationTests {

	private static Path directory;

	private static VaultFixture fixture;

	@BeforeContainer
	static void startVault() throws IOException {
		directory = Files.createTempDirectory("message-roundtrip");
		fixture = new VaultFixture(directory);
	}

	@AfterContainer
	static void stopVault() throws IOException {
		fixture.close();
		MediaFiles.deleteRecursively(directory);
	}

	@Property(tries = 30)
	void anyChunkReadsBackBitExactAndReplaysAsDuplicates(@ForAll("bodies") List<String> bodies,
			@ForAll @IntRange(min = 1, max = 3) int conversations, @ForAll String extra) {
		// given
		List<ArchiveRequest> chunk = new ArrayList<>();
		for (int i = 0; i < bodies.size(); i++) {
			ChatRecord record = VaultFixture
				.message("conv-" + (i % conversations), "p" + System.nanoTime() + "." + i, bodies.get(i))
				.toBuilder()
				.extra("extra", extra)
				.build();
			chunk.add(fixture.vault.prepare(record, "custodian-" + (i % 2)));
		}

		// when
		ArchiveSummary first = fixture.vault.archive(chunk);
		ArchiveSummary replay = fixture.vault.archive(chunk);

		// then
		assertThat(first.archived()).isEqualTo(chunk.size());
		assertThat(replay.archived()).isZero();
		assertThat(replay.duplicates()).isEqualTo(chunk.size());
		for (ArchiveRequest request : chunk) {
			assertThat(fixture.vault.readCanonical(request.messageId())).isEqualTo(request.canonical());
		}
	}

	@Provide
	Arbitrary<List<String>> bodies() {
		Arbitrary<String> small = Arbitraries.strings().all().ofMaxLength(300);
		Arbitrary<String> large = Arbitraries.strings().all().ofMinLength(100_000).ofMaxLength(1024 * 1024 / 3);
		return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(20, small), net.jqwik.api.Tuple.of(1, large))
			.list()
			.ofMinSize(1)
			.ofMaxSize(20);
	}

}
