package io.chatvault.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import io.chatvault.testsupport.ForgedZip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Archives built to be read two ways: each is refused as a whole, never resolved to one
 * of its readings; entries unreadable on their own are refused one by one, with their
 * stored bytes for quarantine.
 */
class SafeZipForgeryTests {

	private static final String REAL = "12/01/2024, 10:00 - Alice: the real chat\n";

	private static final String FORGED = "12/01/2024, 10:00 - Alice: a forged chat\n";

	@TempDir
	Path dir;

	static Stream<Arguments> forgeries() {
		return Stream.of(forgery("two entries of the same name, same size, valid CRCs",
				"a second entry named '_chat.txt'", (zip) -> {
					zip.add("_chat.txt", REAL);
					zip.add("_chat.txt", FORGED);
				}), forgery("two names for one path", "the same path as '_chat.txt'", (zip) -> {
					zip.add("_chat.txt", REAL);
					zip.add("./_chat.txt", FORGED);
				}),
				forgery("the local header names another entry", "disagree on the name",
						(zip) -> zip.add("_chat.txt", REAL).localName("_chaT.txt")),
				forgery("the local header has another method", "disagree on the compression method",
						(zip) -> zip.add("_chat.txt", REAL).stored().localMethod(ForgedZip.DEFLATED)),
				forgery("the local header has another CRC", "disagree on the CRC-32",
						(zip) -> zip.add("_chat.txt", REAL).localCrc(12345)),
				forgery("the local header has another size", "disagree on the sizes",
						(zip) -> zip.add("_chat.txt", REAL).localSize(7)),
				forgery("the data descriptor has another CRC", "data descriptor and the central header disagree",
						(zip) -> zip.add("_chat.txt", REAL).withDescriptor().descriptorCrc(999)),
				forgery("the data descriptor has another size", "data descriptor and the central header disagree",
						(zip) -> zip.add("_chat.txt", REAL).withDescriptor().descriptorSize(3)),
				forgery("two central records for one local entry", "disagree on the name", (zip) -> {
					ForgedZip.Entry chat = zip.add("_chat.txt", REAL);
					zip.alias(chat, "copy.txt");
				}), forgery("an entry whose data runs over the next entry", "overlap", (zip) -> {
					ForgedZip.Entry chat = zip.add("_chat.txt", REAL);
					zip.add("IMG-1.jpg", "x".repeat(500));
					int swallowed = compressedLength(REAL) + 40;
					chat.centralCompressedSize(swallowed).localCompressedSize(swallowed);
				}), forgery("a central record pointing into another entry's data", "no local header", (zip) -> {
					zip.add("_chat.txt", REAL);
					zip.add("IMG-1.jpg", "x".repeat(500)).centralOffset(40);
				}),
				forgery("a stored entry whose sizes differ", "stored entry whose sizes differ",
						(zip) -> zip.add("_chat.txt", REAL).stored().centralCompressedSize(10).localCompressedSize(10)),
				forgery("a second end record hidden in the comment", "two end of central directory records", (zip) -> {
					zip.add("_chat.txt", REAL);
					zip.comment(hiddenEndRecord());
				}));
	}

	private static Arguments forgery(String what, String refusal, Consumer<ForgedZip> build) {
		return Arguments.of(what, refusal, build);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("forgeries")
	void anArchiveThatCanBeReadTwoWaysIsRefusedAsAWhole(String what, String refusal, Consumer<ForgedZip> build)
			throws IOException {
		// given
		ForgedZip forged = new ForgedZip();
		build.accept(forged);
		Path zip = forged.write(this.dir.resolve("forged.zip"));

		// when / then
		assertThatThrownBy(() -> SafeZip.open(zip)).as(what)
			.isInstanceOf(SafeZipException.class)
			.hasMessageStartingWith(zip.toString())
			.hasMessageContaining(refusal);
	}

	@Test
	void java_util_zipReadsTheForgedDuplicateThatSafeZipRefuses() throws IOException {
		// given: what the issue found: the second _chat.txt has the same size and a valid
		// CRC
		ForgedZip forged = new ForgedZip();
		forged.add("_chat.txt", REAL);
		forged.add("_chat.txt", FORGED);
		Path zip = forged.write(this.dir.resolve("duplicate.zip"));

		// when
		String readByZipFile;
		try (ZipFile zipFile = new ZipFile(zip.toFile());
				InputStream in = zipFile.getInputStream(zipFile.getEntry("_chat.txt"))) {
			readByZipFile = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}

		// then: ZipFile silently picks one of the two; SafeZip picks none
		assertThat(readByZipFile).isIn(REAL, FORGED);
		assertThatThrownBy(() -> SafeZip.open(zip)).hasMessageContaining("duplicate entries");
	}

	@Test
	void aWellFormedForgedArchiveWithDescriptorsAndStoredEntriesIsRead() throws IOException {
		// given
		ForgedZip forged = new ForgedZip();
		forged.add("_chat.txt", REAL).withDescriptor();
		forged.add("IMG-1.jpg", "jpeg bytes").stored();
		Path zip = forged.write(this.dir.resolve("fine.zip"));

		// when
		try (SafeZip archive = SafeZip.open(zip)) {
			// then
			assertThat(archive.refused()).isEmpty();
			assertThat(read(archive, "_chat.txt")).isEqualTo(REAL);
			assertThat(read(archive, "IMG-1.jpg")).isEqualTo("jpeg bytes");
			assertThat(archive.damage(archive.entry("_chat.txt").orElseThrow())).isEmpty();
		}
	}

	@Test
	void encryptedAndUnsupportedEntriesAreRefusedOneByOneWithTheirStoredBytes() throws IOException {
		// given
		ForgedZip forged = new ForgedZip();
		forged.add("_chat.txt", REAL);
		forged.add("secret.txt", "ciphertext").stored().encrypted();
		forged.add("IMG-2.jpg", "bzip2 data").stored().centralMethod(12).localMethod(12);
		Path zip = forged.write(this.dir.resolve("mixed.zip"));

		// when
		try (SafeZip archive = SafeZip.open(zip)) {
			// then
			assertThat(archive.entries()).extracting(SafeZip.Entry::name).containsExactly("_chat.txt");
			assertThat(archive.refused()).extracting(SafeZip.Refusal::name).containsExactly("secret.txt", "IMG-2.jpg");
			assertThat(archive.refused().get(0).reason()).contains("encrypted");
			assertThat(archive.refused().get(1).reason()).contains("compression method 12 (bzip2)");
			assertThat(archive.stored("secret.txt")).hasValueSatisfying((range) -> {
				try (InputStream in = range.open()) {
					assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("PK\u0003\u0004")
						.endsWith("ciphertext");
				}
				catch (IOException ex) {
					throw new AssertionError(ex);
				}
			});
		}
	}

	@Test
	void aDamagedEntryIsFoundBeforeAnyOfItIsTrusted() throws IOException {
		// given: the data no longer matches the CRC in the headers
		ForgedZip forged = new ForgedZip();
		forged.add("_chat.txt", REAL).damagedTo(FORGED.getBytes(StandardCharsets.UTF_8));
		forged.add("IMG-1.jpg", "fine");
		Path zip = forged.write(this.dir.resolve("damaged.zip"));

		// when
		try (SafeZip archive = SafeZip.open(zip)) {
			// then
			assertThat(archive.damage(archive.entry("_chat.txt").orElseThrow()))
				.hasValue("CRC-32 mismatch: the entry is damaged");
			assertThat(archive.damage(archive.entry("IMG-1.jpg").orElseThrow())).isEmpty();
		}
	}

	@Test
	void aTruncatedArchiveIsRefusedAsNotReadable() throws IOException {
		// given
		ForgedZip forged = new ForgedZip();
		forged.add("_chat.txt", REAL.repeat(50));
		byte[] whole = forged.bytes();
		Path zip = this.dir.resolve("truncated.zip");
		java.nio.file.Files.write(zip, java.util.Arrays.copyOf(whole, whole.length / 2));

		// when / then
		assertThatThrownBy(() -> SafeZip.open(zip)).isInstanceOf(SafeZipException.class)
			.hasMessageContaining("no end of central directory record");
	}

	private static String read(SafeZip archive, String name) throws IOException {
		try (InputStream in = archive.open(archive.entry(name).orElseThrow())) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static int compressedLength(String text) {
		java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
		deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
		deflater.finish();
		int length = deflater.deflate(new byte[1 << 16]);
		deflater.end();
		return length;
	}

	/** An end record whose comment length makes it end where the file ends too. */
	private static byte[] hiddenEndRecord() {
		java.nio.ByteBuffer end = java.nio.ByteBuffer.allocate(22).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0);
		end.putInt(0).putInt(0).putShort((short) 0);
		return end.array();
	}

}
