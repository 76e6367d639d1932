package io.chatvault.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.chatvault.testsupport.ForgedZip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class SafeZipTests {

	private static final SafeZip.Limits SMALL = new SafeZip.Limits(4 << 20, 2 << 20, 100, 64 * 1024, 10, 1);

	@TempDir
	Path dir;

	@Test
	void readsSafeEntriesAsStreams() throws IOException {
		// given
		Path zip = zip("ok.zip", Map.of("_chat.txt", bytes("hello"), "media/IMG-1.jpg", bytes("jpeg")));

		// when
		try (SafeZip archive = SafeZip.open(zip)) {
			// then
			assertThat(archive.entries()).extracting(SafeZip.Entry::name)
				.containsExactlyInAnyOrder("_chat.txt", "media/IMG-1.jpg");
			assertThat(archive.refused()).isEmpty();
			try (InputStream in = archive.open(archive.entry("media/IMG-1.jpg").orElseThrow())) {
				assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("jpeg");
			}
			assertThat(archive.entry("media/IMG-1.jpg").orElseThrow().extension()).isEqualTo("jpg");
			assertThat(archive.inflatedBytes()).isEqualTo(4);
		}
	}

	@Test
	void refusesEntriesWhoseNamesEscapeTheArchive() throws IOException {
		// given
		Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.put("../../etc/passwd", bytes("x"));
		entries.put("/abs/path.txt", bytes("x"));
		entries.put("C:/Windows/win.ini", bytes("x"));
		entries.put("dir\\..\\evil.txt", bytes("x"));
		entries.put("a/../../b.txt", bytes("x"));
		entries.put("fine/..name.txt", bytes("x"));
		Path zip = zip("traversal.zip", entries);

		// when
		try (SafeZip archive = SafeZip.open(zip)) {
			// then
			assertThat(archive.entries()).extracting(SafeZip.Entry::name).containsExactly("fine/..name.txt");
			assertThat(archive.refused()).extracting(SafeZip.Refusal::name)
				.containsExactly("../../etc/passwd", "/abs/path.txt", "C:/Windows/win.ini", "dir\\..\\evil.txt",
						"a/../../b.txt");
			assertThat(archive.refused().get(0).reason()).contains("'..'");
			assertThat(archive.refused().get(1).reason()).contains("absolute");
			assertThat(archive.refused().get(2).reason()).contains("drive letter");
			assertThat(archive.refused().get(3).reason()).contains("backslash");
			assertThat(archive.entry("../../etc/passwd")).isEmpty();
			assertThatThrownBy(() -> archive.open(new SafeZip.Entry("../../etc/passwd", 1, 1, 0)))
				.isInstanceOf(SafeZipException.class)
				.hasMessageContaining("traversal.zip!../../etc/passwd");
		}
	}

	@Test
	void refusesAnEntryWhoseDeclaredCompressionRatioIsABombBeforeInflatingIt() throws IOException {
		// given: 3 MiB of zeros deflate to a few KiB, a ratio far above 100
		Path zip = zip("bomb.zip", Map.of("bomb.json", new byte[3 << 20], "ok.txt", bytes("fine")));

		// when
		try (SafeZip archive = SafeZip.open(zip, SMALL.withEntryBytes(8 << 20))) {
			// then
			assertThat(archive.entries()).extracting(SafeZip.Entry::name).containsExactly("ok.txt");
			assertThat(archive.refused()).singleElement().satisfies((refusal) -> {
				assertThat(refusal.name()).isEqualTo("bomb.json");
				assertThat(refusal.reason()).contains("compression ratio").contains("above 100:1");
			});
			assertThat(archive.stored("bomb.json")).hasValueSatisfying((range) -> {
				assertThat(range.file()).isEqualTo(zip);
				assertThat(range.length()).isLessThan(64 * 1024);
			});
			assertThat(archive.inflatedBytes()).isZero();
		}
	}

	@Test
	void aBombOfNewlinesIsRefusedWithoutInflatingAByte() throws IOException {
		// given: 200 MiB of newlines, which deflate about 1000:1
		ForgedZip forged = new ForgedZip();
		forged.add("_chat.txt", "12/01/2024, 10:00 - Alice: hi\n");
		forged.add("bomb.txt", "\n".repeat(200 << 20));
		Path zip = forged.write(this.dir.resolve("newlines.zip"));

		// when
		try (SafeZip archive = SafeZip.open(zip)) {
			// then
			assertThat(archive.entries()).extracting(SafeZip.Entry::name).containsExactly("_chat.txt");
			assertThat(archive.refused()).singleElement()
				.satisfies((refusal) -> assertThat(refusal.reason()).contains("refusing a possible zip bomb"));
			assertThat(archive.inflatedBytes()).isZero();
		}
	}

	@Test
	void anEntryThatLiesAboutItsSizeStopsOneByteAfterTheDeclaredSize() throws IOException {
		// given: headers declare 1,000 bytes (and their CRC); the data inflates to 10 MiB
		ForgedZip forged = new ForgedZip();
		forged.add("liar.txt", "y".repeat(1000)).damagedTo(bytes("y".repeat(10 << 20)));
		Path zip = forged.write(this.dir.resolve("liar.zip"));

		// when
		try (SafeZip archive = SafeZip.open(zip)) {
			SafeZip.Entry entry = archive.entry("liar.txt").orElseThrow();

			// then
			assertThatThrownBy(() -> drain(archive.open(entry))).isInstanceOf(SafeZipException.class)
				.hasMessageContaining("liar.zip!liar.txt")
				.hasMessageContaining("more than its declared 1000 bytes");
			assertThat(archive.inflatedBytes()).isEqualTo(1000);
			assertThat(archive.damage(entry)).hasValueSatisfying((reason) -> assertThat(reason).contains("declared"));
		}
	}

	@Test
	void refusesAnEntryThatDeclaresMoreThanTheEntryLimit() throws IOException {
		// given
		Path zip = zip("big.zip", Map.of("big.bin", new byte[3 << 20], "small.txt", bytes("ok")));

		// when
		try (SafeZip archive = SafeZip.open(zip, SMALL)) {
			// then
			assertThat(archive.entries()).extracting(SafeZip.Entry::name).containsExactly("small.txt");
			assertThat(archive.refused()).singleElement()
				.satisfies((refusal) -> assertThat(refusal.reason()).contains("declares 3145728"));
		}
	}

	@Test
	void refusesAnArchiveWhoseCentralDirectoryUnderstatesASize() throws IOException {
		// given: the central directory claims 1,000 bytes, the data descriptor 100,000
		Path zip = zip("liar.zip", Map.of("liar.txt", bytes("y".repeat(100_000))));
		patchCentralDirectorySize(zip, "liar.txt", 1000);

		// when / then
		assertThatThrownBy(() -> SafeZip.open(zip)).isInstanceOf(SafeZipException.class)
			.hasMessageContaining("liar.zip!liar.txt")
			.hasMessageContaining("disagree on the sizes");
	}

	@Test
	void refusesAnArchiveWhoseEntriesTogetherExceedTheTotal() throws IOException {
		// given: three entries of 1.5 MiB each, within the entry limit, beyond the total
		Map<String, byte[]> entries = new LinkedHashMap<>();
		for (int i = 0; i < 3; i++) {
			entries.put("part" + i + ".bin", random(3 << 19, i));
		}
		Path zip = zip("total.zip", entries);

		// when / then
		assertThatThrownBy(() -> SafeZip.open(zip, SMALL)).isInstanceOf(SafeZipException.class)
			.hasMessageContaining("total.zip!part2.bin")
			.hasMessageContaining("in total");
	}

	@Test
	void refusesAnArchiveWithTooManyEntries() throws IOException {
		// given
		Map<String, byte[]> entries = new LinkedHashMap<>();
		for (int i = 0; i < 11; i++) {
			entries.put("e" + i, bytes("x"));
		}
		Path zip = zip("many.zip", entries);

		// when / then
		assertThatThrownBy(() -> SafeZip.open(zip, SMALL)).isInstanceOf(SafeZipException.class)
			.hasMessage(zip + ": holds 11 entries; at most 10 are read");
	}

	@Test
	void opensNestedArchivesUpToTheNestingLimit() throws IOException {
		// given: a zip in a zip in a zip
		byte[] innermost = zipBytes(Map.of("deep.txt", bytes("deep")));
		byte[] middle = zipBytes(Map.of("inner.zip", innermost));
		Path zip = zip("outer.zip", Map.of("middle.zip", middle));

		// when
		try (SafeZip outer = SafeZip.open(zip, SMALL);
				SafeZip mid = outer.openNested(outer.entry("middle.zip").orElseThrow())) {
			// then
			assertThat(mid.depth()).isEqualTo(1);
			assertThat(mid.entries()).extracting(SafeZip.Entry::name).containsExactly("inner.zip");
			assertThatThrownBy(() -> mid.openNested(mid.entry("inner.zip").orElseThrow()))
				.isInstanceOf(SafeZipException.class)
				.hasMessageContaining("outer.zip!middle.zip!inner.zip")
				.hasMessageContaining("at most 1 levels");
		}
	}

	@Test
	void refusesAnArchiveWithADuplicateEntryNameAsAWhole() throws IOException {
		// given
		Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.put("a.txt", bytes("first"));
		entries.put("b.txt", bytes("other"));
		Path zip = zip("dup.zip", entries);
		byte[] data = Files.readAllBytes(zip);
		replaceAll(data, bytes("b.txt"), bytes("a.txt"));
		Files.write(zip, data);

		// when / then
		assertThatThrownBy(() -> SafeZip.open(zip)).isInstanceOf(SafeZipException.class)
			.hasMessageContaining("dup.zip!a.txt")
			.hasMessageContaining("a second entry named 'a.txt'");
	}

	@Test
	void refusesAFileThatIsNotAZip() throws IOException {
		// given
		Path notZip = this.dir.resolve("chat.zip");
		Files.writeString(notZip, "12/01/2024, 10:00 - Alice: hi");

		// when / then
		assertThat(SafeZip.looksLikeZip(notZip)).isFalse();
		assertThatThrownBy(() -> SafeZip.open(notZip)).isInstanceOf(SafeZipException.class)
			.hasMessageStartingWith(notZip + ": not a readable zip archive");
		assertThat(SafeZip.looksLikeZip(this.dir.resolve("missing.zip"))).isFalse();
	}

	@Test
	void reportsCorruptEntryDataAsASafeZipException() throws IOException {
		// given: the deflated data of the entry is overwritten
		Path zip = zip("corrupt.zip", Map.of("data.txt", random(200_000, 7)));
		byte[] data = Files.readAllBytes(zip);
		for (int i = 100; i < 5000; i++) {
			data[i] = (byte) 0xFF;
		}
		Files.write(zip, data);

		// when
		try (SafeZip archive = SafeZip.open(zip)) {
			SafeZip.Entry entry = archive.entry("data.txt").orElseThrow();

			// then
			assertThatThrownBy(() -> drain(archive.open(entry))).isInstanceOf(SafeZipException.class)
				.hasMessageContaining("corrupt.zip!data.txt");
		}
	}

	@Test
	void anyDamagedOrTruncatedRegionFailsOnlyAsASafeZipException() throws IOException {
		// given: a valid archive, then copies damaged at every 97th byte or cut short
		// there
		byte[] original = zipBytes(Map.of("_chat.txt", random(20_000, 3), "IMG-1.jpg", random(3_000, 5)));
		int outcomes = 0;
		for (int at = 0; at < original.length; at += 97) {
			byte[] damaged = original.clone();
			for (int i = at; i < Math.min(at + 24, damaged.length); i++) {
				damaged[i] = (byte) ~damaged[i];
			}
			byte[] truncated = java.util.Arrays.copyOf(original, at);
			for (byte[] bytes : new byte[][] { damaged, truncated }) {
				Path zip = this.dir.resolve("damaged.zip");
				Files.write(zip, bytes);

				// when
				Throwable thrown = catchThrowable(() -> readEverything(zip));

				// then
				assertThat(thrown).satisfiesAnyOf((t) -> assertThat(t).isNull(),
						(t) -> assertThat(t).isInstanceOf(SafeZipException.class).hasMessageContaining("damaged.zip"));
				outcomes++;
			}
		}
		assertThat(outcomes).isGreaterThan(400);
	}

	private static void readEverything(Path zip) throws IOException {
		try (SafeZip archive = SafeZip.open(zip)) {
			for (SafeZip.Entry entry : archive.entries()) {
				drain(archive.open(entry));
			}
		}
	}

	private static void drain(InputStream in) throws IOException {
		try (in) {
			in.transferTo(OutputStreamSink.INSTANCE);
		}
	}

	private Path zip(String name, Map<String, byte[]> entries) throws IOException {
		Path zip = this.dir.resolve(name);
		Files.write(zip, zipBytes(entries));
		return zip;
	}

	static byte[] zipBytes(Map<String, byte[]> entries) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream out = new ZipOutputStream(bytes)) {
			for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
				out.putNextEntry(new ZipEntry(entry.getKey()));
				out.write(entry.getValue());
				out.closeEntry();
			}
		}
		return bytes.toByteArray();
	}

	private static void patchCentralDirectorySize(Path zip, String name, int size) throws IOException {
		byte[] data = Files.readAllBytes(zip);
		byte[] nameBytes = bytes(name);
		for (int i = 0; i + 46 < data.length; i++) {
			if (data[i] == 0x50 && data[i + 1] == 0x4b && data[i + 2] == 0x01 && data[i + 3] == 0x02
					&& regionEquals(data, i + 46, nameBytes)) {
				data[i + 24] = (byte) size;
				data[i + 25] = (byte) (size >> 8);
				data[i + 26] = (byte) (size >> 16);
				data[i + 27] = (byte) (size >> 24);
			}
		}
		Files.write(zip, data);
	}

	private static boolean regionEquals(byte[] data, int at, byte[] wanted) {
		if (at + wanted.length > data.length) {
			return false;
		}
		for (int k = 0; k < wanted.length; k++) {
			if (data[at + k] != wanted[k]) {
				return false;
			}
		}
		return true;
	}

	private static void replaceAll(byte[] data, byte[] from, byte[] to) {
		for (int i = 0; i + from.length <= data.length; i++) {
			if (regionEquals(data, i, from)) {
				System.arraycopy(to, 0, data, i, to.length);
			}
		}
	}

	private static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new java.util.Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** Discards what it is given. */
	private static final class OutputStreamSink extends java.io.OutputStream {

		static final OutputStreamSink INSTANCE = new OutputStreamSink();

		@Override
		public void write(int b) {
		}

		@Override
		public void write(byte[] b, int off, int len) {
		}

	}

}
