package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.source.DateOrder;
import io.chatvault.source.SourceOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every header form WhatsApp writes, one line each: locale date orders, 12 and 24 hour
 * clocks, the marker spellings, separators, scripts and calendars.
 */
class HeaderVariantsTests {

	@TempDir
	Path dir;

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					[20.06.19, 15:58:47] Loris: Hi                        | DAY_FIRST   | 2019-06-20T15:58:47 | Loris  | Hi
					20/06/2019, 15:58 - Loris: Hi                         | AUTO        | 2019-06-20T15:58    | Loris  | Hi
					1/23/23, 3:19 AM - User 2: Bye!                       | AUTO        | 2023-01-23T03:19    | User 2 | Bye!
					1/23/23, 3:22_AM - User 1: ok                         | MONTH_FIRST | 2023-01-23T03:22    | User 1 | ok
					7/19/22, 11:32\u202FPM - User 1: Hello                | MONTH_FIRST | 2022-07-19T23:32    | User 1 | Hello
					7/20/22, 12:16\u00A0am - User 2: Bye                  | MONTH_FIRST | 2022-07-20T00:16    | User 2 | Bye
					06/20/2020, 00:08 a. m. - Ana: hola                   | MONTH_FIRST | 2020-06-20T00:08    | Ana    | hola
					06/20/2020, 12:10 p. m. - Ana: hola                   | MONTH_FIRST | 2020-06-20T12:10    | Ana    | hola
					20/06/2020, 3:10\u00A0p.\u00A0m. - Ana: hola          | DAY_FIRST   | 2020-06-20T15:10    | Ana    | hola
					[15/12/2025, 10:32:03 AM] Alice: iOS                  | DAY_FIRST   | 2025-12-15T10:32:03 | Alice  | iOS
					15/12/2025, 10:34:00 AM Charlie: bare                 | DAY_FIRST   | 2025-12-15T10:34    | Charlie| bare
					09/12/2012 17:02:35: UsernameOne: Hello               | DAY_FIRST   | 2012-12-09T17:02:35 | UsernameOne | Hello
					2019/01/30, 20:49 - Jahn Doe: year first              | AUTO        | 2019-01-30T20:49    | Jahn Doe | year first
					2020-03-12 14:25 - Anna: dashes                       | AUTO        | 2020-03-12T14:25    | Anna   | dashes
					12-03-20 14:25 - Anna: dashes                         | DAY_FIRST   | 2020-03-12T14:25    | Anna   | dashes
					12.3.2020 klo 14.25 - Matti: Moi                      | DAY_FIRST   | 2020-03-12T14:25    | Matti  | Moi
					[R5/12/15 10:30:00] Taro: Reiwa era                   | AUTO        | 2023-12-15T10:30    | Taro   | Reiwa era
					令和5/12/15 10:30 - Taro: Reiwa era                    | AUTO        | 2023-12-15T10:30    | Taro   | Reiwa era
					[H31/04/30 9:00:00] Taro: Heisei era                  | AUTO        | 2019-04-30T09:00    | Taro   | Heisei era
					2020. 3. 12. 오후 2:25 - 민수: 안녕                     | AUTO        | 2020-03-12T14:25    | 민수    | 안녕
					2020/03/12 下午2:25 - 小明: 你好                         | AUTO        | 2020-03-12T14:25    | 小明    | 你好
					١٥/١٢/٢٠٢٣، ١٠:٣٠ م - أحمد: مرحبا                      | DAY_FIRST   | 2023-12-15T22:30    | أحمد   | مرحبا
					١٥\u200F/١٢\u200F/٢٠٢٣، ١٠:٣٠ ص - أحمد: مرحبا          | DAY_FIRST   | 2023-12-15T10:30    | أحمد   | مرحبا
					\uFEFF[20.06.19, 15:58:47] Loris: after a BOM         | DAY_FIRST   | 2019-06-20T15:58:47 | Loris  | after a BOM
					\u200E[8/15/23, 9:12:48 AM] Dr. Feather: marked       | MONTH_FIRST | 2023-08-15T09:12:48 | Dr. Feather | marked
					[8/15/23, 9:12:48 AM] \u202A+1 555 0100\u202C: wrapped | MONTH_FIRST | 2023-08-15T09:12:48 | +1 555 0100 | wrapped
					[3/18/R4, 14:56:01] Elon Musk: Reiwa in the last field | AUTO      | 2022-03-18T14:56:01 | Elon Musk | Reiwa in the last field
					[4/30/H31, 9:00:00] Taro: Heisei in the last field    | AUTO        | 2019-04-30T09:00    | Taro   | Heisei in the last field
					[3/18/2565 BE, 14:56:01] Dmitry S: Buddhist era       | AUTO        | 2022-03-18T14:56:01 | Dmitry S | Buddhist era
					[3/18/2565\u00A0BE, 2:56:01\u202FPM] Dmitry S: BE, PM | AUTO       | 2022-03-18T14:56:01 | Dmitry S | BE, PM
					[8/15/1443 AH, 14:56:01] Ali: Hijri                   | MONTH_FIRST | 2022-03-18T14:56:01 | Ali    | Hijri
					[12/27/1400 AP, 14:56:01] Ali: Persian                | MONTH_FIRST | 2022-03-18T14:56:01 | Ali    | Persian
					[12/27/1943 Saka, 14:56:01] Ravi: Indian national     | MONTH_FIRST | 2022-03-18T14:56:01 | Ravi   | Indian national
					[3/18/111 Minguo, 14:56:01] Mei: Minguo               | AUTO        | 2022-03-18T14:56:01 | Mei    | Minguo
					[14:56:01, 3/18/22] Dmitry S: time first              | AUTO        | 2022-03-18T14:56:01 | Dmitry S | time first
					\u200E[21:41:55, 3/27/22] Dmitry S: time first, marked | AUTO       | 2022-03-27T21:41:55 | Dmitry S | time first, marked
					[2:56:01 PM, 3/18/22] Dmitry S: time first, 12-hour   | AUTO        | 2022-03-18T14:56:01 | Dmitry S | time first, 12-hour
					14:56, 18/03/2022 - Dmitry S: Android time first      | AUTO        | 2022-03-18T14:56    | Dmitry S | Android time first
					[\u200F18\u200F/3\u200F/2022\u060C 14:56:01] Elon Musk: RLM everywhere | AUTO | 2022-03-18T14:56:01 | Elon Musk | RLM everywhere
					\u200F[\u200F27\u200F/3\u200F/2022\u060C 21:41:55] Dmitry S: \u200Ftext | AUTO | 2022-03-27T21:41:55 | Dmitry S | text
					[١٨\u200F/٣\u200F/٢٠٢٢، ٢:٥٦:٠٠ م] أحمد: مرحبا     | AUTO        | 2022-03-18T14:56    | أحمد   | مرحبا
					[۱۸/۳/۲۰۲۲، ۱۴:۵۶:۰۰] علی: Persian digits             | AUTO        | 2022-03-18T14:56    | علی    | Persian digits
					१८/०३/२०२२, १४:५६ - राम: Devanagari digits           | AUTO        | 2022-03-18T14:56    | राम    | Devanagari digits
					১৮/৩/২২, ২:৫৬ PM - রহিম: Bengali digits              | AUTO        | 2022-03-18T14:56    | রহিম   | Bengali digits
					[๑๘/๓/๒๕๖๕ BE, ๑๔:๕๖:๐๑] สมชาย: Thai digits         | AUTO        | 2022-03-18T14:56:01 | สมชาย  | Thai digits
					[3/18/22 14.56.01] Elon Musk: Indonesian dots          | AUTO        | 2022-03-18T14:56:01 | Elon Musk | Indonesian dots
					""")
	void readsTheHeader(String line, DateOrder order, LocalDateTime expected, String author, String body)
			throws IOException {
		// given
		Path file = write(unescape(line.strip()) + "\n");

		// when
		ExportFixture export = ExportFixture.read(file, new SourceOptions("custodian", ZoneOffset.UTC, order));

		// then
		assertThat(export.quarantined()).isEmpty();
		ChatRecord message = export.chatRecords().get(0);
		assertThat(message.kind()).isEqualTo(RecordKind.MESSAGE);
		assertThat(message.sentAt()).isEqualTo(expected.toInstant(ZoneOffset.UTC));
		assertThat(message.author().displayName()).isEqualTo(author.strip());
		assertThat(message.body()).isEqualTo(body.strip());
	}

	@ParameterizedTest
	@ValueSource(strings = { "12/3 is a date", "10:30 meeting", "[not a header]", "1/2/3 4:5 - x",
			"2020/13/45, 10:00 - A: b", "31/31/20, 10:00 - A: b", "20/06/19, 25:00 - A: b", "20/06/19, 10:61 - A: b",
			"20/06/19 10:00 A: no seconds", "[20/06/19, 10:00 A: no bracket", "123/06/19, 10:00 - A: b" })
	void rejectsLinesThatOnlyLookLikeHeaders(String line) throws IOException {
		// given: a real message, then the line
		Path file = write("20/06/19, 10:00 - Anna: first\n" + line + "\n");

		// when
		ExportFixture export = ExportFixture.read(file, SourceOptions.defaults());

		// then: the line continues the message
		assertThat(export.records()).hasSize(1);
		assertThat(export.messages().get(0).body()).isEqualTo("first\n" + line);
	}

	private Path write(String content) throws IOException {
		Path file = this.dir.resolve("WhatsApp Chat with Anna.txt");
		Files.writeString(file, content, StandardCharsets.UTF_8);
		return file;
	}

	/** CSV sources cannot hold invisible characters readably: \\uXXXX stands for them. */
	static String unescape(String s) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < s.length(); i++) {
			if (s.startsWith("\\u", i) && i + 6 <= s.length()) {
				out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
				i += 5;
			}
			else {
				out.append(s.charAt(i));
			}
		}
		return out.toString();
	}

}
