package io.chatvault.source.whatsapp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random corruptions of the real exports (byte flips, truncation, invalid UTF-8, huge
 * lines, shuffled lines, zip damage) never escape the reader as an exception, and every
 * input line is accounted for exactly once: parsed into a record or quarantined.
 */
class WhatsAppExportFuzzTests {

	private static final List<String> TEXT_FIXTURES = List.of("chat-miner/test/whatsapp/test_ddmmyy_24hrs.txt",
			"chat-miner/test/whatsapp/test_mmddyyyy_12hrs.txt", "chat-miner/test/whatsapp/test_[mmddyy]_24hrs.txt",
			"langchain-community/libs/community/tests/examples/whatsapp_chat.txt",
			"langchain-community/libs/community/tests/unit_tests/chat_loaders/data/whatsapp_chat.txt",
			"whatsapp-chat-parser-rb/spec/fixtures/files/sample.txt", "whatsapp-parser/test/testChat2.txt",
			"whatsapp-chat-parser-website/_chat.txt");

	@Property(tries = 150)
	void corruptedTextExportsAreFullyAccountedFor(@ForAll("fixtures") String fixture,
			@ForAll @IntRange(min = 1, max = 12) int corruptions, @ForAll long seed) throws IOException {
		// given
		Random random = new Random(seed);
		byte[] bytes = fixtureBytes(fixture);
		for (int i = 0; i < corruptions; i++) {
			bytes = corrupt(bytes, random, false);
		}

		// when
		List<SourceRecord> records = readAll(bytes, ".txt");

		// then
		assertThat(accountedLines(records)).isEqualTo(countLines(bytes));
	}

	@Property(tries = 8)
	void hugeLinesAreQuarantinedAndAccountedFor(@ForAll("fixtures") String fixture, @ForAll long seed)
			throws IOException {
		// given
		Random random = new Random(seed);
		byte[] bytes = corrupt(fixtureBytes(fixture), random, true);

		// when
		List<SourceRecord> records = readAll(bytes, ".txt");

		// then
		assertThat(accountedLines(records)).isEqualTo(countLines(bytes));
		assertThat(records).allSatisfy((r) -> {
			if (r instanceof ChatRecord chat) {
				assertThat(chat.body().length()).isLessThanOrEqualTo(WhatsAppExportReader.MESSAGE_CAP);
			}
		});
	}

	@Property(tries = 40)
	void damagedZipsFailToOpenOrReadWithoutThrowing(@ForAll @IntRange(min = 1, max = 20) int flips, @ForAll long seed)
			throws IOException {
		// given
		Random random = new Random(seed);
		byte[] zip = zip(fixtureBytes("whatsapp-chat-parser-website/_chat.txt"));
		for (int i = 0; i < flips; i++) {
			zip[random.nextInt(zip.length)] = (byte) random.nextInt(256);
		}
		Path file = Files.createTempFile("whatsapp-fuzz", ".zip");
		try {
			Files.write(file, zip);
			SourceReader reader;
			try {
				reader = new WhatsAppExportSource().open(file, SourceOptions.defaults());
			}
			catch (IOException ex) {
				// refused when opened: a readable one-line reason, nothing read
				assertThat(ex.getMessage()).isNotBlank();
				return;
			}

			// when
			List<SourceRecord> records = new ArrayList<>();
			try (reader) {
				reader.forEachRemaining(records::add);
			}

			// then
			assertThat(records).isNotEmpty();
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	@Provide
	Arbitrary<String> fixtures() {
		return Arbitraries.of(TEXT_FIXTURES);
	}

	private static byte[] corrupt(byte[] bytes, Random random, boolean huge) {
		if (bytes.length == 0) {
			return bytes;
		}
		int at = random.nextInt(bytes.length);
		ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 16);
		int kind = huge ? 4 : random.nextInt(6);
		switch (kind) {
			case 0 -> {
				// flip a byte
				byte[] copy = bytes.clone();
				copy[at] = (byte) random.nextInt(256);
				return copy;
			}
			case 1 -> {
				// truncate
				return java.util.Arrays.copyOf(bytes, at);
			}
			case 2 -> {
				// insert invalid UTF-8 (a lone continuation byte, a truncated sequence,
				// an
				// overlong form, a surrogate)
				byte[][] invalid = { { (byte) 0x80 }, { (byte) 0xE2, (byte) 0x80 }, { (byte) 0xC0, (byte) 0xAF },
						{ (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, { (byte) 0xFF } };
				out.write(bytes, 0, at);
				out.writeBytes(invalid[random.nextInt(invalid.length)]);
				out.write(bytes, at, bytes.length - at);
				return out.toByteArray();
			}
			case 3 -> {
				// shuffle the lines
				List<String> lines = new ArrayList<>(
						List.of(new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1)));
				Collections.shuffle(lines, random);
				return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
			}
			case 4 -> {
				// a huge line, with or without a newline before it
				out.write(bytes, 0, at);
				if (random.nextBoolean()) {
					out.write('\n');
				}
				byte[] filler = new byte[ExportLines.LINE_CAP + random.nextInt(1 << 18)];
				java.util.Arrays.fill(filler, (byte) 'x');
				out.writeBytes(filler);
				out.write(bytes, at, bytes.length - at);
				return out.toByteArray();
			}
			default -> {
				// insert CR, LF or NUL bytes
				byte[] controls = { '\r', '\n', 0 };
				out.write(bytes, 0, at);
				out.write(controls[random.nextInt(controls.length)]);
				out.write(bytes, at, bytes.length - at);
				return out.toByteArray();
			}
		}
	}

	private static List<SourceRecord> readAll(byte[] bytes, String suffix) throws IOException {
		Path file = Files.createTempFile("whatsapp-fuzz", suffix);
		try {
			Files.write(file, bytes);
			return ExportFixture.read(file, SourceOptions.defaults()).records();
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	private static long accountedLines(List<SourceRecord> records) {
		return records.stream().mapToLong(ExportFixture.lineSpan()).sum();
	}

	/**
	 * Lines as the reader counts them: each LF, CR LF or lone CR ends one, plus an
	 * unterminated last line.
	 */
	private static long countLines(byte[] bytes) {
		long lines = 0;
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 == bytes.length || bytes[i + 1] != '\n'))) {
				lines++;
			}
		}
		boolean terminated = bytes.length > 0 && (bytes[bytes.length - 1] == '\n' || bytes[bytes.length - 1] == '\r');
		return (bytes.length > 0 && !terminated) ? lines + 1 : lines;
	}

	private static byte[] fixtureBytes(String fixture) {
		try {
			if (fixture.startsWith("whatsapp-chat-parser-website/")) {
				try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(ExportFixture
					.resource("whatsapp-chat-parser-website/src/assets/whatsapp-chat-parser-example.zip")
					.toFile())) {
					return zip.getInputStream(zip.getEntry("_chat.txt")).readAllBytes();
				}
			}
			return Files.readAllBytes(ExportFixture.resource(fixture));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] zip(byte[] chat) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream out = new ZipOutputStream(bytes)) {
			out.putNextEntry(new ZipEntry("_chat.txt"));
			out.write(chat);
			out.putNextEntry(new ZipEntry("00000001-PHOTO.jpg"));
			out.write(new byte[] { 1, 2, 3 });
		}
		return bytes.toByteArray();
	}

}
