package io.chatvault.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.chatvault.storage.WriteOptions;
import io.chatvault.storage.WriteOptions.LockMode;
import io.chatvault.vault.VaultCatalog.ItemKind;
import io.chatvault.vault.VaultCatalog.PackItems;
import io.chatvault.vault.VaultCatalog.PackVerification;
import io.chatvault.vault.VaultCatalog.Verification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The checksum pass's check of a page of packs ({@link VaultCatalog#packs},
 * {@link VaultCatalog#prepare}, then {@link VaultCatalog#verifyPack}): the index rows
 * read with the page and the data keys and file rows prepared for it give the verdicts
 * the pack's own queries give; a file row altered in the index, a destroyed key, and a
 * pack shorter or longer than the index says are still caught when the thread's buffers
 * hold a larger pack read before. Media packs are 1 MiB here so that files span packs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackChecksIntegrationTests {

	private static final int MIB = 1024 * 1024;

	private static final WriteOptions OPTIONS = new WriteOptions(
			java.time.Instant.now().plus(java.time.Duration.ofDays(1)), LockMode.COMPLIANCE, false);

	private Path directory;

	private VaultFixture fixture;

	@BeforeAll
	void startVault() throws IOException {
		this.directory = Files.createTempDirectory("pack-checks");
		VaultProperties defaults = VaultProperties.defaults();
		this.fixture = new VaultFixture(this.directory, new VaultProperties(defaults.retention(), defaults.records(),
				defaults.originals(), new VaultProperties.Media(3, 10, DataSize.ofBytes(MIB))));
		List<ArchiveRequest> chunk = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			chunk.add(this.fixture.vault.prepare(
					VaultFixture.message((i % 2 == 0) ? "page-a" : "page-b", "1700000100." + i, "message " + i),
					"alice@example.com"));
		}
		String[][] media = { { "photo.jpg", "image/jpeg" }, { "notes.txt", "text/plain" }, { "video.mp4", "video/mp4" },
				{ "voice.opus", "audio/ogg" } };
		long[] sizes = { 300_000, 2 * MIB, 3 * MIB + 12_345, 40_000 };
		for (int i = 0; i < media.length; i++) {
			Path file = MediaFiles.write(this.directory, media[i][0], sizes[i], media[i][1].startsWith("text"), 50 + i);
			chunk.add(this.fixture.vault.prepare(VaultFixture.message("page-media", "1700000200." + i, media[i][0],
					VaultFixture.attachment(file, media[i][1])), "alice@example.com"));
		}
		this.fixture.vault.archive(chunk);
	}

	@AfterAll
	void stopVault() throws IOException {
		this.fixture.close();
		MediaFiles.deleteRecursively(this.directory);
	}

	@Test
	void aPageOfPacksChecksAsEachPackDoesWithItsOwnQueries() {
		// given: every pack, read as a page (its rows with it) and without its rows
		List<PackItems> page = this.fixture.catalog.packs(0, Long.MAX_VALUE, 1_000);
		assertThat(page).allSatisfy((pack) -> assertThat(pack.rows()).isNotNull());
		this.fixture.catalog.prepare(page);

		// when
		List<PackVerification> withRows = page.stream()
			.map((pack) -> this.fixture.catalog.verifyPack(pack, true))
			.toList();
		List<PackVerification> ownQueries = page.stream()
			.map((pack) -> this.fixture.catalog.verifyPack(new PackItems(pack.pack(), pack.blocks()), true))
			.toList();

		// then: the same verdicts, records and bytes, every kind of block among them
		java.util.Set<ItemKind> kinds = java.util.EnumSet.noneOf(ItemKind.class);
		for (int p = 0; p < page.size(); p++) {
			assertThat(withRows.get(p).pack().ok()).as(withRows.get(p).pack().problem()).isTrue();
			assertThat(withRows.get(p).bytesRead()).isEqualTo(ownQueries.get(p).bytesRead())
				.isEqualTo(page.get(p).pack().length());
			for (int b = 0; b < withRows.get(p).blocks().size(); b++) {
				Verification block = withRows.get(p).blocks().get(b);
				assertThat(block.ok()).as(block.problem()).isTrue();
				assertThat(block.records()).isEqualTo(ownQueries.get(p).blocks().get(b).records());
				assertThat(ownQueries.get(p).blocks().get(b).ok()).isTrue();
				kinds.add(block.item().kind());
			}
		}
		assertThat(kinds).contains(ItemKind.RECORD_BLOCK, ItemKind.CONVERSATION_BLOCK, ItemKind.MEDIA_CHUNK,
				ItemKind.FILE_MANIFEST);
		assertThat(withRows.stream().flatMap((v) -> v.blocks().stream()).mapToInt(Verification::records).sum())
			.isEqualTo(44);
	}

	@Test
	void aFileRowAlteredInTheIndexFailsItsManifestWhenTheRowCameWithThePage() {
		// given: the video's size in its file row, one byte more
		long fileId = this.fixture.jdbc.queryForObject(
				"SELECT id FROM vault_file WHERE media_type = 'video/mp4' AND size = ?", Long.class, 3 * MIB + 12_345);
		this.fixture.jdbc.update("UPDATE vault_file SET size = size + 1 WHERE id = ?", fileId);
		try {
			// when
			List<Verification> manifests = new ArrayList<>();
			List<PackItems> page = this.fixture.catalog.packs(0, Long.MAX_VALUE, 1_000);
			this.fixture.catalog.prepare(page);
			for (PackItems pack : page) {
				for (Verification block : this.fixture.catalog.verifyPack(pack, true).blocks()) {
					if (block.item().kind() == ItemKind.FILE_MANIFEST) {
						manifests.add(block);
					}
				}
			}

			// then: that manifest fails, the others check out
			assertThat(manifests).hasSize(4);
			assertThat(manifests.stream().filter((m) -> !m.ok()).toList()).singleElement()
				.satisfies((m) -> assertThat(m.problem()).contains("does not match the file's index row"));
		}
		finally {
			this.fixture.jdbc.update("UPDATE vault_file SET size = size - 1 WHERE id = ?", fileId);
		}
	}

	@Test
	void aBlockWhoseIndexRowGivesANegativeLengthIsReportedNotThrown() {
		// given: an index row altered to a negative length
		long blockId = this.fixture.jdbc
			.queryForObject("SELECT min(id) FROM vault_block WHERE kind = 4 AND stored_length > 100000", Long.class);
		this.fixture.jdbc.update("UPDATE vault_block SET stored_length = -stored_length WHERE id = ?", blockId);
		try {
			PackItems pack = this.fixture.catalog.packs(0, Long.MAX_VALUE, 1_000)
				.stream()
				.filter((p) -> p.blocks().stream().anyMatch((b) -> b.id() == blockId))
				.findFirst()
				.orElseThrow();

			// when
			PackVerification verification = this.fixture.catalog.verifyPack(pack, true);

			// then: that block fails, named, and the pass goes on with the others
			assertThat(verification.blocks()).filteredOn((b) -> b.item().id() == blockId)
				.singleElement()
				.satisfies((b) -> {
					assertThat(b.ok()).isFalse();
					assertThat(b.problem()).contains("lies beyond");
				});
		}
		finally {
			this.fixture.jdbc.update("UPDATE vault_block SET stored_length = -stored_length WHERE id = ?", blockId);
		}
	}

	@Test
	void aPackShorterOrLongerThanItsIndexIsCaughtAfterALargerPackFilledTheBuffers() throws IOException {
		// given: the largest pack checked first on this thread (its bytes stay in the
		// thread's buffer), then a smaller one cut short, then the same one lengthened
		List<PackItems> page = this.fixture.catalog.packs(0, Long.MAX_VALUE, 1_000);
		PackItems largest = page.stream().max(Comparator.comparingLong((p) -> p.pack().length())).orElseThrow();
		PackItems smaller = page.stream()
			.filter((p) -> p.pack().length() < largest.pack().length() / 2 && p.blocks().size() > 1)
			.findFirst()
			.orElseThrow();
		Path file = this.fixture.writableObject(smaller.pack().objectKey());
		byte[] original = Files.readAllBytes(file);
		long lastBlockEnd = smaller.blocks().stream().mapToLong((b) -> b.offset() + b.length()).max().orElseThrow();
		try {
			assertThat(this.fixture.catalog.verifyPack(largest, true).pack().ok()).isTrue();
			Files.write(file, Arrays.copyOf(original, (int) lastBlockEnd - 1));

			// when
			PackVerification cut = this.fixture.catalog.verifyPack(smaller, true);

			// then: the pack's hash fails; the block that no longer fits is named, the
			// others are hashed one by one and check out
			assertThat(cut.pack().ok()).isFalse();
			assertThat(cut.pack().problem()).contains("has SHA-256");
			assertThat(cut.bytesRead()).isEqualTo(lastBlockEnd - 1);
			assertThat(cut.blocks().stream().filter((b) -> !b.ok()).toList()).singleElement()
				.satisfies((b) -> assertThat(b.problem()).contains("lies beyond the " + (lastBlockEnd - 1) + " bytes"));

			// and when: the pack lengthened by a byte
			assertThat(this.fixture.catalog.verifyPack(largest, true).pack().ok()).isTrue();
			byte[] longer = Arrays.copyOf(original, original.length + 1);
			Files.write(file, longer);
			PackVerification lengthened = this.fixture.catalog.verifyPack(smaller, true);

			// then
			assertThat(lengthened.pack().ok()).isFalse();
			assertThat(lengthened.bytesRead()).isEqualTo(original.length + 1);
			assertThat(lengthened.blocks()).allSatisfy((b) -> assertThat(b.ok()).as(b.problem()).isTrue());
		}
		finally {
			Files.write(file, original);
		}
		assertThat(this.fixture.catalog.verifyPack(smaller, true).pack().ok()).isTrue();
	}

	@Test
	@Order(Integer.MAX_VALUE) // it destroys a key: the others expect every block to check
								// out
	void contentUnderADestroyedKeyIsReportedErasedWhenTheKeysWereLoadedWithThePage() throws IOException {
		// given: a photo of its own, its key destroyed
		Path file = MediaFiles.write(this.directory, "erased.jpg", 200_000, false, 99);
		MediaVault.StoredMedia stored = this.fixture.media.store(VaultFixture.attachment(file, "image/jpeg"), OPTIONS);
		this.fixture.dataKeys.destroy(MediaVault.scope(stored.sha256()).name(), "ticket 7");

		// when
		List<Verification> erased = new ArrayList<>();
		List<PackItems> page = this.fixture.catalog.packs(0, Long.MAX_VALUE, 1_000);
		this.fixture.catalog.prepare(page);
		for (PackItems pack : page) {
			for (Verification block : this.fixture.catalog.verifyPack(pack, true).blocks()) {
				if (!block.ok()) {
					erased.add(block);
				}
			}
		}

		// then: its chunk and manifest, and nothing else
		assertThat(erased).hasSize(2).allSatisfy((block) -> {
			assertThat(block.erased()).isTrue();
			assertThat(block.actualSha256()).isEqualTo(block.item().sha256());
		});
	}

	@Test
	void aManifestIsReadFromAPackInTheFirstBytesOfALargerArrayAndNotFromOutsideIt() throws IOException {
		// given: a pack's bytes followed by other bytes in one array
		PackItems pack = this.fixture.catalog.packs(0, Long.MAX_VALUE, 1_000).get(0);
		byte[] exact = Files.readAllBytes(this.fixture.writableObject(pack.pack().objectKey()));
		byte[] larger = Arrays.copyOf(exact, exact.length + 4096);
		Arrays.fill(larger, exact.length, larger.length, (byte) '{');
		JsonMapper mapper = JsonMapper.builder().build();

		// when / then
		assertThat(Pack.manifest(larger, exact.length, mapper)).usingRecursiveFieldByFieldElementComparator()
			.isEqualTo(Pack.manifest(exact, mapper));
		byte[] pointingOut = larger.clone();
		// the trailer's manifest length, 4096 bytes more: into the bytes after the pack
		int lengthAt = exact.length - 16 + 8;
		int manifestLength = java.nio.ByteBuffer.wrap(pointingOut, lengthAt, 4).getInt();
		java.nio.ByteBuffer.wrap(pointingOut, lengthAt, 4).putInt(manifestLength + 4096);
		assertThatIllegalArgumentException().isThrownBy(() -> Pack.manifest(pointingOut, exact.length, mapper))
			.withMessageContaining("outside the pack");
	}

}
