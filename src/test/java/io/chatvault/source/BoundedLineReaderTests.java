package io.chatvault.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static io.chatvault.source.Fixtures.concat;
import static org.assertj.core.api.Assertions.assertThat;

class BoundedLineReaderTests {

	@Test
	void splitsOnLfAndCrLfAndStripsTheByteOrderMark() throws IOException {
		// given
		byte[] input = concat(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF },
				"first\r\nsecond\n\nlast".getBytes(StandardCharsets.UTF_8));

		// when
		List<BoundedLineReader.Line> lines = readAll(input, 1024);

		// then
		assertThat(lines).extracting(BoundedLineReader.Line::text).containsExactly("first", "second", "", "last");
		assertThat(lines).extracting(BoundedLineReader.Line::number).containsExactly(1L, 2L, 3L, 4L);
		assertThat(lines.get(0).raw()).hasSize(8);
		assertThat(lines).allMatch(BoundedLineReader.Line::clean);
	}

	@Test
	void capsAGiganticLineAndGoesOn() throws IOException {
		// given: a 300,000-byte line (longer than the 64 KiB buffer) between two short
		// ones
		String huge = "é".repeat(150_000);
		byte[] input = ("a\n" + huge + "\nb\n").getBytes(StandardCharsets.UTF_8);

		// when: the cap falls inside a two-byte character
		List<BoundedLineReader.Line> lines = readAll(input, 1001);

		// then
		assertThat(lines).hasSize(3);
		BoundedLineReader.Line giant = lines.get(1);
		assertThat(giant.truncated()).isTrue();
		assertThat(giant.malformed()).isFalse();
		assertThat(giant.raw()).hasSize(1001);
		assertThat(giant.rawLength()).isEqualTo(300_000);
		assertThat(lines.get(2).text()).isEqualTo("b");
		assertThat(lines.get(2).number()).isEqualTo(3);
	}

	@Test
	void flagsInvalidUtf8AndKeepsTheRawBytes() throws IOException {
		// given: a lone continuation byte, an overlong slash, a surrogate and a cut
		// sequence
		byte[] input = concat("ok\n".getBytes(StandardCharsets.UTF_8), new byte[] { 'x', (byte) 0x80, '\n' },
				new byte[] { (byte) 0xC0, (byte) 0xAF, '\n' },
				new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n' },
				new byte[] { 'y', (byte) 0xE2, (byte) 0x82 });

		// when
		List<BoundedLineReader.Line> lines = readAll(input, 1024);

		// then
		assertThat(lines).extracting(BoundedLineReader.Line::malformed).containsExactly(false, true, true, true, true);
		assertThat(lines.get(1).raw()).containsExactly('x', (byte) 0x80);
		assertThat(lines.get(1).text()).isEqualTo("x\uFFFD");
		assertThat(BoundedLineReader.isValidUtf8("€ 😀 ü".getBytes(StandardCharsets.UTF_8), 0, 11)).isTrue();
	}

	@Test
	void anEmptyStreamHasNoLines() throws IOException {
		assertThat(readAll(new byte[0], 10)).isEmpty();
		assertThat(readAll("\n".getBytes(StandardCharsets.UTF_8), 10)).extracting(BoundedLineReader.Line::text)
			.containsExactly("");
	}

	static List<BoundedLineReader.Line> readAll(byte[] input, int cap) throws IOException {
		List<BoundedLineReader.Line> lines = new ArrayList<>();
		try (BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(input), cap)) {
			Optional<BoundedLineReader.Line> line;
			while ((line = reader.next()).isPresent()) {
				lines.add(line.get());
			}
		}
		return lines;
	}

}
