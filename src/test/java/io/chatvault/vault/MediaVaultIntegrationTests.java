package io.chatvault.vault;

import io.chatvault.message.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Period;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ContentLocator;
import io.chatvault.storage.WriteOptions;
import io.chatvault.storage.WriteOptions.LockMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Media round trips bit-exact up to 100 MiB, is stored once however often it is attached,
 * and is compressed only where that helps. Packs are 1 MiB here (4 MiB by default) so
 * that small cases cross pack boundaries.
 */
class MediaVaultIntegrationTests {

	private static final int MIB = 1024 * 1024;

	private static Path directory;

	private static VaultFixture fixture;

	private static final WriteOptions OPTIONS = new WriteOptions(
			java.time.Instant.now().plus(java.time.Duration.ofDays(1)), LockMode.COMPLIANCE, false);

	@BeforeAll
	static void startVault() throws IOException {
		directory = Files.createTempDirectory("media-vault");
		VaultProperties defaults = VaultProperties.defaults();
		fixture = new VaultFixture(directory, new VaultProperties(defaults.retention(), defaults.records(),
				defaults.originals(), new VaultProperties.Media(3, 10, DataSize.ofBytes(MIB))));
	}

	@AfterAll
	static void stopVault() throws IOException {
		fixture.close();
		MediaFiles.deleteRecursively(directory);
	}

	@Test
	void hundredMebibytesComeBackBitExact() throws IOException {
		// given
		Path file = MediaFiles.write(directory, "large", 100 * MIB, false, 100);

		// when
		MediaVault.StoredMedia stored = fixture.media.store(VaultFixture.attachment(file, "video/mp4"), OPTIONS);

		// then
		assertThat(stored.size()).isEqualTo(100L * MIB);
		int chunks = fixture.jdbc.queryForObject("SELECT chunks FROM vault_file WHERE id = ?", Integer.class,
				stored.fileId());
		assertThat(chunks).isBetween(100 * MIB / FastCdc.MEDIA.max(), 100 * MIB / FastCdc.MEDIA.min());
		try (InputStream in = fixture.media.open(stored.sha256()).orElseThrow()) {
			assertThat(MediaFiles.sha256(in)).isEqualTo(MediaFiles.sha256(file));
		}
		Files.delete(file);
	}

	@Test
	void theSameMediaInTwoMessagesIsStoredOnce() throws IOException {
		// given: a photo forwarded from one chat to another, extracted to two paths
		Path first = MediaFiles.write(directory, "photo.jpg", 300_000, false, 7);
		Path forwarded = directory.resolve("forwarded.jpg");
		Files.copy(first, forwarded);
		ArchiveRequest original = fixture.vault.prepare(
				VaultFixture.message("chat-a", "2.1", "look", VaultFixture.attachment(first, "image/jpeg")), "alice");
		ArchiveRequest copy = fixture.vault.prepare(
				VaultFixture.message("chat-b", "2.2", "fwd", VaultFixture.attachment(forwarded, "image/jpeg")), "bob");
		long mediaBefore = fixture.jdbc.queryForObject("SELECT count(*) FROM vault_file WHERE kind = 2", Long.class);

		// when
		ArchiveSummary firstChunk = fixture.vault.archive(List.of(original));
		ArchiveSummary secondChunk = fixture.vault.archive(List.of(copy));

		// then
		assertThat(fixture.jdbc.queryForObject("SELECT count(*) FROM vault_file WHERE kind = 2", Long.class))
			.isEqualTo(mediaBefore + 1);
		assertThat(fixture.jdbc.queryForList(
				"SELECT DISTINCT encode(f.sha256, 'hex') FROM vault_message_attachment a JOIN vault_file f "
						+ "ON f.id = a.file_id WHERE a.message_id IN (decode(?, 'hex'), decode(?, 'hex'))",
				String.class, original.messageId(), copy.messageId()))
			.containsExactly(MediaFiles.sha256(first));
		assertThat(firstChunk.bytesStored()).isGreaterThan(300_000);
		assertThat(secondChunk.bytesStored()).isLessThan(firstChunk.bytesStored() - 300_000);
	}

	@Test
	void textIsCompressedAndJpegIsNot() throws IOException {
		// given
		Path text = MediaFiles.write(directory, "notes.txt", 2 * MIB, true, 11);
		Path photo = MediaFiles.write(directory, "photo2.jpg", 2 * MIB, true, 12);

		// when
		MediaVault.StoredMedia textMedia = fixture.media.store(VaultFixture.attachment(text, "text/plain"), OPTIONS);
		MediaVault.StoredMedia photoMedia = fixture.media.store(VaultFixture.attachment(photo, "image/jpeg"), OPTIONS);

		// then
		assertThat(storedLengthOverPlain(textMedia.fileId())).isLessThan(0.5);
		assertThat(storedLengthOverPlain(photoMedia.fileId())).isGreaterThan(1.0);
		assertThat(textMedia.storedBytes()).isLessThan(MIB);
	}

	private double storedLengthOverPlain(long fileId) {
		return fixture.jdbc.queryForObject(
				"SELECT sum(b.stored_length)::float8 / sum(b.plain_length) FROM "
						+ "vault_file_chunk c JOIN vault_block b ON b.id = c.block_id WHERE c.file_id = ?",
				Double.class, fileId);
	}

	@Test
	void alteredChunkFailsTheReadNamingTheObject() throws IOException {
		// given
		Path file = MediaFiles.write(directory, "altered.bin", 3 * MIB, false, 13);
		MediaVault.StoredMedia stored = fixture.media.store(VaultFixture.attachment(file, "application/octet-stream"),
				OPTIONS);
		Map<String, Object> chunk = chunk(stored.fileId(), 1);
		Path pack = fixture.writableObject((String) chunk.get("object_key"));
		byte[] bytes = Files.readAllBytes(pack);
		bytes[(int) (long) chunk.get("pack_offset") + 50] ^= 0x10;
		Files.write(pack, bytes);

		// when / then
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
			try (InputStream in = fixture.media.open(stored.sha256()).orElseThrow()) {
				in.transferTo(OutputStream.nullOutputStream());
			}
		})
			.withMessageStartingWith("Stored bytes of chunk 1 of media " + stored.sha256() + " in "
					+ fixture.store.name() + " object " + chunk.get("object_key") + " at " + chunk.get("pack_offset"));
	}

	@Test
	void swappedSegmentsAreCaughtByDecryptionEvenWhenTheIndexWasForgedToMatch() throws IOException {
		// given: someone with write access to both the store and the database swaps two
		// encrypted segments of a chunk and updates the chunk's hash in the index
		Path file = MediaFiles.write(directory, "swapped.bin", 300_000, false, 15);
		MediaVault.StoredMedia stored = fixture.media.store(VaultFixture.attachment(file, "application/octet-stream"),
				OPTIONS);
		Map<String, Object> chunk = chunk(stored.fileId(), 0);
		Path pack = fixture.writableObject((String) chunk.get("object_key"));
		byte[] bytes = Files.readAllBytes(pack);
		int start = (int) (long) chunk.get("pack_offset") + io.chatvault.crypto.BlockCipher.HEADER_LENGTH;
		int segment = io.chatvault.crypto.BlockCipher.SEGMENT_SIZE + io.chatvault.crypto.BlockCipher.TAG_LENGTH;
		byte[] swapped = bytes.clone();
		System.arraycopy(bytes, start, swapped, start + segment, segment);
		System.arraycopy(bytes, start + segment, swapped, start, segment);
		Files.write(pack, swapped);
		int length = (int) chunk.get("stored_length");
		fixture.jdbc.update("UPDATE vault_block SET stored_sha256 = ? WHERE id = ?",
				Sha256.digest()
					.digest(java.util.Arrays.copyOfRange(swapped, (int) (long) chunk.get("pack_offset"),
							(int) (long) chunk.get("pack_offset") + length)),
				chunk.get("block_id"));

		// when / then
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
			try (InputStream in = fixture.media.open(stored.sha256()).orElseThrow()) {
				in.transferTo(OutputStream.nullOutputStream());
			}
		})
			.withMessageStartingWith("Cannot decrypt chunk 0 of media " + stored.sha256())
			.withMessageContaining(": segment 0 of ")
			.withMessageEndingWith("failed authentication: altered, truncated, moved, or under another key");
	}

	private Map<String, Object> chunk(long fileId, int ordinal) {
		return fixture.jdbc.queryForMap("SELECT b.id AS block_id, p.object_key, b.pack_offset, b.stored_length "
				+ "FROM vault_file_chunk c JOIN vault_block b ON b.id = c.block_id JOIN vault_pack p "
				+ "ON p.id = b.pack_id WHERE c.file_id = ? AND c.ordinal = ?", fileId, ordinal);
	}

	@Test
	void declaredHashThatDoesNotMatchTheBytesIsRefused() throws IOException {
		// given
		Path file = MediaFiles.write(directory, "liar.bin", 1000, false, 14);
		Attachment lying = new Attachment("liar.bin", "application/octet-stream", 1000, "ab".repeat(32),
				AttachmentStatus.PRESENT, null, ContentLocator.file(file));

		// when / then
		assertThatExceptionOfType(VaultIntegrityException.class).isThrownBy(() -> fixture.media.store(lying, OPTIONS))
			.withMessage("Attachment " + file + " declares SHA-256 " + "ab".repeat(32) + " but its bytes hash to "
					+ MediaFiles.sha256(file) + "; nothing of it was recorded");
		assertThat(fixture.media.find("ab".repeat(32))).isEmpty();
	}

	@Test
	void compressedTypesAreRecognised() {
		assertThat(MediaVault.compressible("image/jpeg")).isFalse();
		assertThat(MediaVault.compressible("video/mp4")).isFalse();
		assertThat(MediaVault.compressible("audio/ogg; codecs=opus")).isFalse();
		assertThat(MediaVault.compressible("application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
			.isFalse();
		assertThat(MediaVault.compressible("text/plain")).isTrue();
		assertThat(MediaVault.compressible("application/pdf")).isTrue();
	}

}
