package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import io.chatvault.message.ChatRecord;
import io.chatvault.source.DateOrder;
import io.chatvault.source.SourceOptions;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any date and time, written in any of the header forms WhatsApp uses, reads back as the
 * same local date and time.
 */
class HeaderRoundTripTests {

	private static final String[] MARKER_SPACES = { " ", "\u202F", "\u00A0", "_" };

	private static final String[][] MARKERS = { { "AM", "PM" }, { "am", "pm" }, { "a. m.", "p. m." },
			{ "a.m.", "p.m." } };

	@Property(tries = 200)
	void everyHeaderFormReadsBackTheSameTime(@ForAll @IntRange(min = 0, max = 7_000) int day,
			@ForAll @IntRange(min = 0, max = 86_399) int secondOfDay, @ForAll @IntRange(min = 0, max = 7) int form,
			@ForAll @IntRange(min = 0, max = 15) int variant) throws IOException {
		// given
		LocalDateTime time = LocalDateTime.of(2009, 1, 1, 0, 0).plusDays(day).plusSeconds(secondOfDay);
		boolean withSeconds = form == 1 || form == 3 || form == 6;
		LocalDateTime expected = withSeconds ? time : time.withSecond(0);
		Header header = header(time, form, variant);
		Path file = Files.createTempFile("WhatsApp Chat with Anna", ".txt");
		try {
			Files.writeString(file, header.text() + "Anna: hello\n", StandardCharsets.UTF_8);

			// when
			ExportFixture export = ExportFixture.read(file,
					new SourceOptions("custodian", ZoneOffset.UTC, header.order()));

			// then
			assertThat(export.quarantined()).as(header.text()).isEmpty();
			ChatRecord message = export.messages().get(0);
			assertThat(message.sentAt()).as(header.text()).isEqualTo(expected.toInstant(ZoneOffset.UTC));
			assertThat(message.author().displayName()).isEqualTo("Anna");
			assertThat(message.body()).isEqualTo("hello");
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	private static Header header(LocalDateTime t, int form, int variant) {
		String dd = two(t.getDayOfMonth());
		String mm = two(t.getMonthValue());
		String yy = two(t.getYear() % 100);
		String yyyy = Integer.toString(t.getYear());
		String hh = two(t.getHour());
		String mi = two(t.getMinute());
		String ss = two(t.getSecond());
		return switch (form) {
			// Android, day-first, 24 h
			case 0 -> new Header(dd + "/" + mm + "/" + yy + ", " + hh + ":" + mi + " - ", DateOrder.DAY_FIRST);
			// iOS, dots, seconds
			case 1 -> new Header("[" + dd + "." + mm + "." + yy + ", " + hh + ":" + mi + ":" + ss + "] ",
					DateOrder.DAY_FIRST);
			// Android, month-first, 12 h with a marker variant
			case 2 ->
				new Header(t.getMonthValue() + "/" + t.getDayOfMonth() + "/" + yy + ", " + twelve(t, variant) + " - ",
						DateOrder.MONTH_FIRST);
			// iOS, month-first, 12 h, seconds
			case 3 -> new Header("\u200E[" + t.getMonthValue() + "/" + t.getDayOfMonth() + "/" + yy + ", "
					+ twelveWithSeconds(t, variant) + "] ", DateOrder.MONTH_FIRST);
			// year-first with dashes
			case 4 -> new Header(yyyy + "-" + mm + "-" + dd + " " + hh + ":" + mi + " - ", DateOrder.AUTO);
			// Finnish
			case 5 ->
				new Header(t.getDayOfMonth() + "." + t.getMonthValue() + "." + yyyy + " klo " + hh + "." + mi + " - ",
						DateOrder.DAY_FIRST);
			// legacy 2012
			case 6 ->
				new Header(dd + "/" + mm + "/" + yyyy + " " + hh + ":" + mi + ":" + ss + ": ", DateOrder.DAY_FIRST);
			// Arabic-Indic digits and comma, 12 h Arabic markers
			default -> new Header(arabic(dd) + "\u200F/" + arabic(mm) + "\u200F/" + arabic(yyyy) + "\u060C "
					+ arabic(Integer.toString(hour12(t))) + ":" + arabic(mi) + " "
					+ ((t.getHour() < 12) ? "\u0635" : "\u0645") + " - ", DateOrder.DAY_FIRST);
		};
	}

	private static String twelve(LocalDateTime t, int variant) {
		String[] marker = MARKERS[variant % MARKERS.length];
		String space = MARKER_SPACES[(variant / MARKERS.length) % MARKER_SPACES.length];
		return hour12(t) + ":" + two(t.getMinute()) + space + ((t.getHour() < 12) ? marker[0] : marker[1]);
	}

	private static String twelveWithSeconds(LocalDateTime t, int variant) {
		String[] marker = MARKERS[variant % MARKERS.length];
		return hour12(t) + ":" + two(t.getMinute()) + ":" + two(t.getSecond()) + "\u202F"
				+ ((t.getHour() < 12) ? marker[0] : marker[1]);
	}

	private static int hour12(LocalDateTime t) {
		int hour = t.getHour() % 12;
		return (hour == 0) ? 12 : hour;
	}

	private static String two(int value) {
		return (value < 10) ? "0" + value : Integer.toString(value);
	}

	private static String arabic(String digits) {
		StringBuilder out = new StringBuilder();
		for (char c : digits.toCharArray()) {
			out.append((char) ('\u0660' + (c - '0')));
		}
		return out.toString();
	}

	private record Header(String text, DateOrder order) {
	}

}
