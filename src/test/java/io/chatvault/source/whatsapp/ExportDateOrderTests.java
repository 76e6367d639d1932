package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import io.chatvault.source.DateOrder;
import io.chatvault.source.SourceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole exports in the header forms WhatsApp writes for other calendars, digits and
 * orders, where no day or month field is above 12 in either order: the dates are read
 * right, and the source description says what decided the order.
 */
class ExportDateOrderTests {

	private static final SourceOptions AUTO = new SourceOptions("custodian", ZoneOffset.UTC, DateOrder.AUTO);

	@TempDir
	Path dir;

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					Japanese era (iOS, English, Japanese calendar) | [3/1/R4, 14:56:01] Ann: a        | [3/2/R4, 09:00:00] Ann: b        | [3/5/R4, 10:00:00] Ann: c        | MONTH_FIRST
					Buddhist era (iOS, English, Buddhist calendar) | [3/1/2565 BE, 14:56:01] Ann: a   | [3/2/2565 BE, 09:00:00] Ann: b   | [3/5/2565 BE, 10:00:00] Ann: c   | MONTH_FIRST
					Arabic-Indic digits and RLM (iOS, Arabic)       | [١\\u200F/٣\\u200F/٢٠٢٢، ٢:٥٦:٠١ م] Ann: a | [٢\\u200F/٣\\u200F/٢٠٢٢، ٩:٠٠:٠٠ ص] Ann: b | [٥\\u200F/٣\\u200F/٢٠٢٢، ١٠:٠٠:٠٠ ص] Ann: c | DAY_FIRST
					time first (iOS, Vietnamese)                    | [14:56:01, 3/1/22] Ann: a        | [09:00:00, 3/2/22] Ann: b        | [10:00:00, 3/5/22] Ann: c        | MONTH_FIRST
					day-first dots (Android)                        | 01.03.22 14:56 - Ann: a          | 02.03.22 09:00 - Ann: b          | 05.03.22 10:00 - Ann: c          | DAY_FIRST
					""")
	void consecutiveDatesDecideTheOrder(String form, String first, String second, String third, DateOrder expected)
			throws IOException {
		// given: 1, 2 and 5 March 2022; every field is 12 or less
		Path file = write(first, second, third);

		// when
		ExportFixture export = ExportFixture.read(file, AUTO);

		// then
		assertThat(export.quarantined()).isEmpty();
		assertThat(export.description().dateOrder()).isEqualTo(expected);
		assertThat(export.description().notes().get(0)).startsWith("date order inferred: ")
			.contains("no field above 12")
			.contains("the day changes more often than the month");
		assertThat(dates(export)).containsExactly(LocalDate.of(2022, 3, 1), LocalDate.of(2022, 3, 2),
				LocalDate.of(2022, 3, 5));
	}

	@Test
	void usFormDecidesWhenTheDatesCannot() throws IOException {
		// given: a US custodian's chat of one day in early March, every field <= 12
		Path file = write("3/4/22, 9:00 AM - Ann: morning", "3/4/22, 11:30 AM - Bob: late morning",
				"3/4/22, 4:15 PM - Ann: afternoon");

		// when
		ExportFixture export = ExportFixture.read(file, AUTO);

		// then: 4 March, not 3 April
		assertThat(export.description().dateOrder()).isEqualTo(DateOrder.MONTH_FIRST);
		assertThat(export.description().notes().get(0)).contains("12-hour clock with AM/PM and a two-digit year");
		assertThat(dates(export)).containsOnly(LocalDate.of(2022, 3, 4));
	}

	@Test
	void datesRunningBackwardsDecideBeforeFieldChanges() throws IOException {
		// given: day-first would run 1 Feb, 2 Jan, 3 Jan; month-first runs forward
		Path file = write("01/02/20, 10:00 - A: a", "02/01/20, 10:00 - A: b", "03/01/20, 10:00 - A: c");

		// when
		ExportFixture export = ExportFixture.read(file, AUTO);

		// then
		assertThat(export.description().dateOrder()).isEqualTo(DateOrder.MONTH_FIRST);
		assertThat(export.description().notes().get(0)).contains("run backwards");
	}

	@Test
	void withoutAnyEvidenceTheDefaultIsSaid() throws IOException {
		// given: one date, a 24-hour clock
		Path file = write("01/02/20, 10:00 - A: a", "01/02/20, 11:00 - B: b");

		// when
		ExportFixture export = ExportFixture.read(file, AUTO);

		// then
		assertThat(export.description().notes().get(0)).startsWith("date order ambiguous")
			.contains("day-first assumed by default");
	}

	@Test
	void aFieldAbove12DecidesAndIsQuoted() throws IOException {
		// given
		Path file = write("[3/18/R4, 14:56:01] Ann: a", "[3/27/R4, 21:41:35] Ann: b");

		// when
		ExportFixture export = ExportFixture.read(file, AUTO);

		// then
		assertThat(export.description().notes().get(0))
			.isEqualTo("date order inferred: month-first (3/18/R4, 14:56:01 at line 1)");
		assertThat(dates(export)).containsExactly(LocalDate.of(2022, 3, 18), LocalDate.of(2022, 3, 27));
	}

	private static List<LocalDate> dates(ExportFixture export) {
		return export.chatRecords().stream().map((r) -> r.sentAt().atZone(ZoneOffset.UTC).toLocalDate()).toList();
	}

	private Path write(String... lines) throws IOException {
		Path file = this.dir.resolve("WhatsApp Chat with Ann.txt");
		StringBuilder text = new StringBuilder();
		for (String line : lines) {
			text.append(HeaderVariantsTests.unescape(line.strip())).append('\n');
		}
		Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
		return file;
	}

}
