package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.Sha256;
import io.chatvault.source.DateOrder;
import io.chatvault.source.SourceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Line endings and years are read as the evidence says, never merged or rewritten on a
 * guess.
 *
 * <p>
 * The rules: a line ends at LF, CR LF or a lone CR, in any mix, and each message's raw
 * bytes are the file's bytes (its line ends included). A four-digit year is taken as
 * written (9999 stays 9999); a Buddhist-era year is taken only with an explicit era
 * marker (BE) or the locale's evidence; a year that is a plausible date only as a
 * Buddhist-era year, with neither, is quarantined with a reason, never rewritten.
 */
class LineEndingsAndYearsTests {

	private static final SourceOptions UTC = new SourceOptions("custodian", ZoneOffset.UTC, DateOrder.DAY_FIRST);

	private static final List<String> CHAT = List.of("31/12/20, 10:00 - Anna: first", "second line of the first",
			"31/12/20, 10:01 - Bob: reply", "31/12/20, 10:02 - Anna: last");

	@TempDir
	Path dir;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "LF", "CRLF", "CR", "CR LF CRLF", "CRLF CR LF" })
	void everyLineEndingReadsTheSameMessagesWithTheFilesBytes(String endings) throws IOException {
		// given
		String[] ends = endings.replace("CRLF", "\r\n").replace("LF", "\n").replace("CR", "\r").split(" ");
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < CHAT.size(); i++) {
			text.append(CHAT.get(i)).append(ends[i % ends.length]);
		}
		byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
		Path file = write(bytes);

		// when
		ExportFixture export = ExportFixture.read(file, UTC);

		// then
		assertThat(export.quarantined()).isEmpty();
		assertThat(export.messages()).extracting((m) -> m.author().displayName(), ChatRecord::body)
			.containsExactly(tuple("Anna", "first\nsecond line of the first"), tuple("Bob", "reply"),
					tuple("Anna", "last"));
		assertThat(export.messages().get(1).sentAt()).isEqualTo(Instant.parse("2020-12-31T10:01:00Z"));
		assertThat(export.linesAccountedFor()).isEqualTo(4);
		for (ChatRecord message : export.messages()) {
			byte[] raw = Arrays.copyOfRange(bytes, (int) message.origin().offset(),
					(int) (message.origin().offset() + message.origin().length()));
			assertThat(message.rawSha256()).isEqualTo(Sha256.hex(raw));
		}
		ChatRecord first = export.messages().get(0);
		assertThat(new String(bytes, 0, (int) first.origin().length(), StandardCharsets.UTF_8))
			.isEqualTo(CHAT.get(0) + ends[0] + CHAT.get(1));
	}

	@Test
	void aCrLfSplitAcrossTheReadBufferIsOneLineEnd() throws IOException {
		// given: the first line's CR is the last byte of the first 64 KiB read
		String header = "31/12/20, 10:00 - Anna: ";
		String first = header + "x".repeat((1 << 16) - 1 - header.length());
		Path file = write((first + "\r\n31/12/20, 10:01 - Bob: reply\r\n").getBytes(StandardCharsets.UTF_8));

		// when
		ExportFixture export = ExportFixture.read(file, UTC);

		// then
		assertThat(export.records()).hasSize(2);
		assertThat(export.messages().get(0).body()).isEqualTo(first.substring(header.length()));
		assertThat(export.messages().get(1).body()).isEqualTo("reply");
	}

	@Test
	void aLoneCrAfterAnOverlongLineEndsIt() throws IOException {
		// given: a header line over the 1 MiB cap, ended by a lone CR
		String overlong = "31/12/20, 10:00 - Anna: " + "y".repeat(ExportLines.LINE_CAP + 10);
		Path file = write((overlong + "\r31/12/20, 10:01 - Bob: reply\r").getBytes(StandardCharsets.UTF_8));

		// when
		ExportFixture export = ExportFixture.read(file, UTC);

		// then
		assertThat(export.quarantined()).singleElement()
			.satisfies((q) -> assertThat(q.reason()).contains(overlong.length() + " bytes long"));
		assertThat(export.messages()).singleElement().extracting(ChatRecord::body).isEqualTo("reply");
	}

	@Test
	void year9999StaysYear9999() throws IOException {
		// given
		Path file = write("31/12/9999, 23:59 - Anna: far future\n".getBytes(StandardCharsets.UTF_8));

		// when
		ExportFixture export = ExportFixture.read(file, UTC);

		// then
		assertThat(export.messages()).singleElement()
			.extracting(ChatRecord::sentAt)
			.isEqualTo(Instant.parse("9999-12-31T23:59:00Z"));
	}

	@Test
	void aBuddhistLookingYearWithoutAMarkerIsQuarantinedNotRewritten() throws IOException {
		// given: 2566 would be 2023 in the Buddhist era; nothing in the header says so
		Path file = write(("15/12/2023, 10:29 - Anna: before\n" + "15/12/2566, 10:30 - Somchai: which year?\n"
				+ "a second line\n" + "15/12/2023, 10:31 - Anna: after\n")
			.getBytes(StandardCharsets.UTF_8));

		// when
		ExportFixture export = ExportFixture.read(file, UTC);

		// then
		assertThat(export.messages()).extracting(ChatRecord::body).containsExactly("before", "after");
		assertThat(export.quarantined())
			.extracting((q) -> q.origin().line(), QuarantinedRecord::reason,
					(q) -> new String(q.raw(), StandardCharsets.UTF_8))
			.containsExactly(
					tuple(2L, "the year 2566 is not rewritten: it is a plausible date only as a Buddhist-era year "
							+ "(2023), which is taken only with an explicit era marker (BE) or the locale's evidence, "
							+ "and this header has neither", "15/12/2566, 10:30 - Somchai: which year?"),
					tuple(3L, "continuation of the message at line 2, whose year is not read", "a second line"));
		assertThat(export.linesAccountedFor()).isEqualTo(4);
	}

	private Path write(byte[] bytes) throws IOException {
		Path file = this.dir.resolve("WhatsApp Chat with Anna.txt");
		Files.write(file, bytes);
		return file;
	}

}
