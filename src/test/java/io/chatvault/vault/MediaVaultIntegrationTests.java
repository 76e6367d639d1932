package io.chatvault.vault;

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
 * and is compressed only where that helps. Chunks are 1 MiB here (4 MiB by default) so
 * that small cases cross chunk boundaries.
 */
class MediaVaultIntegrationTests {

	private static final int CHUNK = 1024 * 1024;

	private static Path directory;

	private static VaultFixture fixture;

	private static final WriteOptions OPTIONS = new WriteOptions(
			java.time.Instant.now().plus(java.time.Duration.ofDays(1)), LockMode.COMPLIANCE, false);

	@BeforeAll
	static void startVault() throws IOException {
		directory = Files.createTempDirectory("media-vault");
		VaultProperties defaults = VaultProperties.defaults();
		fixture = new VaultFixture(directory,
				new VaultProperties(defaults.retention(), new VaultProperties.Media(DataSize.ofBytes(CHUNK), 3, 10)));
	}

	@AfterAll
	static void stopVault() throws IOException {
		fixture.close();
		MediaFiles.deleteRecursively(directory);
	}

	@Test
	void hundredMebibytesComeBackBitExact() throws IOException {
		// given
		Path file = MediaFiles.write(directory, "large", 100 * 1024 * 1024, false, 100);

		// when
		MediaVault.StoredMedia stored = fixture.media.store(VaultFixture.attachment(file, "video/mp4"), OPTIONS);

		// then
		assertThat(stored.size()).isEqualTo(100L * 1024 * 1024);
		assertThat(fixture.jdbc.queryForObject("SELECT chunks FROM vault_media WHERE sha256 = ?", Integer.class,
				stored.sha256()))
			.isEqualTo(100);
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
		long mediaBefore = fixture.count("vault_media");

		// when
		ArchiveSummary firstChunk = fixture.vault.archive(List.of(original));
		ArchiveSummary secondChunk = fixture.vault.archive(List.of(copy));

		// then
		assertThat(fixture.count("vault_media")).isEqualTo(mediaBefore + 1);
		assertThat(fixture.jdbc.queryForList(
				"SELECT DISTINCT media_sha256 FROM vault_message_attachment "
						+ "WHERE message_id IN (decode(?, 'hex'), decode(?, 'hex'))",
				String.class, original.messageId(), copy.messageId()))
			.containsExactly(MediaFiles.sha256(first));
		assertThat(secondChunk.bytesStored()).isLessThan(firstChunk.bytesStored() - 300_000);
		assertThat(Files
			.list(directory
				.resolve("objects/media/" + MediaFiles.sha256(first).substring(0, 2) + "/" + MediaFiles.sha256(first)))
			.filter((p) -> !p.getFileName().toString().startsWith("."))
			.count()).isEqualTo(1);
	}

	@Test
	void textIsCompressedAndJpegIsNot() throws IOException {
		// given
		Path text = MediaFiles.write(directory, "notes.txt", 2 * CHUNK, true, 11);
		Path photo = MediaFiles.write(directory, "photo2.jpg", 2 * CHUNK, true, 12);

		// when
		String textSha = fixture.media.store(VaultFixture.attachment(text, "text/plain"), OPTIONS).sha256();
		String photoSha = fixture.media.store(VaultFixture.attachment(photo, "image/jpeg"), OPTIONS).sha256();

		// then
		assertThat(fixture.jdbc.queryForList("SELECT compressed FROM vault_media_chunk WHERE media_sha256 = ?",
				Boolean.class, textSha))
			.containsOnly(true);
		assertThat(fixture.jdbc.queryForList("SELECT compressed FROM vault_media_chunk WHERE media_sha256 = ?",
				Boolean.class, photoSha))
			.containsOnly(false);
		assertThat(fixture.jdbc.queryForObject("SELECT stored_bytes FROM vault_media WHERE sha256 = ?", Long.class,
				textSha))
			.isLessThan(CHUNK);
	}

	@Test
	void alteredChunkFailsTheReadNamingTheObject() throws IOException {
		// given
		Path file = MediaFiles.write(directory, "altered.bin", CHUNK + 10, false, 13);
		String sha = fixture.media.store(VaultFixture.attachment(file, "application/octet-stream"), OPTIONS).sha256();
		Path chunk = directory.resolve("objects").resolve(MediaVault.chunkKey(sha, 1));
		Files.setPosixFilePermissions(chunk, PosixFilePermissions.fromString("rw-r--r--"));
		byte[] bytes = Files.readAllBytes(chunk);
		bytes[50] ^= 0x10;
		Files.write(chunk, bytes);

		// when / then
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
			try (InputStream in = fixture.media.open(sha).orElseThrow()) {
				in.transferTo(OutputStream.nullOutputStream());
			}
		}).withMessageStartingWith("Object " + MediaVault.chunkKey(sha, 1) + " of media " + sha);
	}

	@Test
	void swappedSegmentsAreCaughtByDecryptionEvenWhenTheIndexWasForgedToMatch() throws IOException {
		// given: someone with write access to both the store and the database swaps two
		// encrypted segments of a chunk and updates the chunk's hash in the index
		Path file = MediaFiles.write(directory, "swapped.bin", 100_000, false, 15);
		String sha = fixture.media.store(VaultFixture.attachment(file, "application/octet-stream"), OPTIONS).sha256();
		Path chunk = directory.resolve("objects").resolve(MediaVault.chunkKey(sha, 0));
		Files.setPosixFilePermissions(chunk, PosixFilePermissions.fromString("rw-r--r--"));
		byte[] bytes = Files.readAllBytes(chunk);
		int segment = io.chatvault.crypto.StreamingAead.DEFAULT_SEGMENT_SIZE + 16;
		byte[] swapped = bytes.clone();
		System.arraycopy(bytes, 40, swapped, 40 + segment, segment);
		System.arraycopy(bytes, 40 + segment, swapped, 40, segment);
		Files.write(chunk, swapped);
		fixture.jdbc.update("UPDATE vault_media_chunk SET stored_sha256 = ? WHERE media_sha256 = ?",
				HexFormat.of().formatHex(Sha256.digest().digest(swapped)), sha);

		// when / then
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
			try (InputStream in = fixture.media.open(sha).orElseThrow()) {
				in.transferTo(OutputStream.nullOutputStream());
			}
		})
			.withMessage("Media " + sha + ": " + MediaVault.chunkKey(sha, 0) + ": segment 0 failed authentication: "
					+ "altered, reordered, truncated, or encrypted under another key");
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
					+ MediaFiles.sha256(file));
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
