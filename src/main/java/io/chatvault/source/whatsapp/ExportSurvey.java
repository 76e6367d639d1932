package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.chatvault.message.SystemEventType;
import io.chatvault.source.DateOrder;

/**
 * The first of the two passes over an export: it reads only the headers, to learn what
 * the records of the second pass need up front: the date order (a day or month field
 * above 12 decides; if none does, the order under which the dates run backwards less
 * often; then the field that changes more often between consecutive dates is the day;
 * then the locale's marks, a 12-hour clock with AM/PM and a two-digit year being the US
 * month-first form; else day-first), the authors (to tell a group from a direct chat, and
 * to list the participants), and the subject of the first "created group" line (the
 * chat's name when the file name does not give it).
 *
 * @param dateOrder the order found, never {@link DateOrder#AUTO}
 * @param dateOrderNote how it was found, for the source description
 * @param authors distinct authors in order of appearance, at most {@link #MAX_AUTHORS}
 * @param moreAuthors whether there were more authors than listed
 * @param groupEvent whether a system line shows a group
 * @param createdSubject the subject of the first "created group" line, if any
 * @param headers the number of header lines
 */
record ExportSurvey(DateOrder dateOrder, String dateOrderNote, List<String> authors, boolean moreAuthors,
		boolean groupEvent, Optional<String> createdSubject, long headers) {

	static final int MAX_AUTHORS = 1024;

	/** The order used when no field decides and the dates run forward either way. */
	static final DateOrder DEFAULT_ORDER = DateOrder.DAY_FIRST;

	static ExportSurvey of(InputStream in, DateOrder requested) throws IOException {
		HeaderScanner h = new HeaderScanner();
		AuthorSplit split = new AuthorSplit();
		AuthorCache cache = new AuthorCache();
		Set<String> authors = new LinkedHashSet<>();
		boolean moreAuthors = false;
		boolean groupEvent = false;
		String createdSubject = null;
		String evidence = null;
		DateOrder decided = null;
		long dayFirstVotes = 0;
		long monthFirstVotes = 0;
		long[] previous = { Long.MIN_VALUE, Long.MIN_VALUE };
		long[] backwards = { 0, 0 };
		boolean[] swapped = new boolean[1];
		long headers = 0;
		long chatNameHeadings = 0;
		long yearFirstHeaders = 0;
		// Between consecutive dates, how often the first and the second field changed:
		// the
		// day changes more often than the month.
		int previousFirst = -1;
		int previousSecond = -1;
		long firstChanges = 0;
		long secondChanges = 0;
		// Headers in the US form: a 12-hour clock with AM/PM and a two-digit year.
		long usForm = 0;
		long dayMonthHeaders = 0;
		String yearFirstEvidence = null;
		try (ExportLines lines = new ExportLines(in)) {
			while (lines.next()) {
				byte[] b = lines.bytes();
				int from = lines.offset();
				int to = from + lines.length();
				if (!h.scan(b, from, to)) {
					continue;
				}
				if (ExportDate.yearFirst(h)) {
					yearFirstHeaders++;
					if (yearFirstEvidence == null) {
						yearFirstEvidence = evidence(b, from, to) + " at line " + lines.lineNumber();
					}
				}
				else {
					boolean firstBig = h.first > 12;
					boolean secondBig = h.second > 12;
					if (firstBig != secondBig && h.first <= 31 && h.second <= 31) {
						if (firstBig) {
							dayFirstVotes++;
						}
						else {
							monthFirstVotes++;
						}
						if (decided == null) {
							decided = firstBig ? DateOrder.DAY_FIRST : DateOrder.MONTH_FIRST;
							evidence = evidence(b, from, to) + " at line " + lines.lineNumber();
						}
					}
					if (decided == null) {
						countBackwards(h, previous, backwards, swapped);
					}
					if (previousFirst >= 0 && (h.first != previousFirst || h.second != previousSecond)) {
						firstChanges += (h.first != previousFirst) ? 1 : 0;
						secondChanges += (h.second != previousSecond) ? 1 : 0;
					}
					previousFirst = h.first;
					previousSecond = h.second;
					dayMonthHeaders++;
					if (h.meridiem != HeaderScanner.NO_MERIDIEM && h.thirdDigits == 2 && h.eraBase == 0) {
						usForm++;
					}
				}
				if (ExportDate.epochDay(h, (decided != null) ? decided : DEFAULT_ORDER,
						swapped) == ExportDate.INVALID) {
					continue;
				}
				headers++;
				split.split(b, h.restStart, to);
				if (split.hasAuthor() && headsEncryptionNotice(b, split.textStart, to)) {
					// iOS heads the encryption notice with the chat's name: no
					// participant
					chatNameHeadings++;
				}
				else if (split.hasAuthor()) {
					String author = split.author(b, cache).displayName();
					if (authors.size() < MAX_AUTHORS) {
						authors.add(author);
					}
					else if (!authors.contains(author)) {
						moreAuthors = true;
					}
				}
				else {
					String text = Texts
						.trimIgnorable(new String(b, h.restStart, to - h.restStart, StandardCharsets.UTF_8));
					SystemEventType type = SystemLines.classify(text);
					groupEvent |= SystemLines.isGroupEvent(type, text);
					if (createdSubject == null && type == SystemEventType.CREATED) {
						createdSubject = SystemLines.createdGroupSubject(text).orElse(null);
					}
				}
			}
		}
		DateOrder order;
		String note;
		if (requested != DateOrder.AUTO) {
			order = requested;
			note = "date order given: " + name(requested);
		}
		else if (decided != null) {
			order = decided;
			note = "date order inferred: " + name(decided) + " (" + evidence + ")";
			if (dayFirstVotes > 0 && monthFirstVotes > 0) {
				note += "; " + dayFirstVotes + " lines read day-first and " + monthFirstVotes
						+ " month-first: lines invalid in the inferred order were read in the other";
			}
		}
		else if (yearFirstHeaders > 0 && yearFirstHeaders >= headers) {
			order = DateOrder.YEAR_FIRST;
			note = "date order inferred: year-first (four-digit or era year first: " + yearFirstEvidence + ")";
		}
		else if (backwards[0] != backwards[1]) {
			order = (backwards[0] < backwards[1]) ? DateOrder.DAY_FIRST : DateOrder.MONTH_FIRST;
			note = "date order inferred: " + name(order) + " (no field above 12; dates run backwards "
					+ Math.min(backwards[0], backwards[1]) + " times that way, " + Math.max(backwards[0], backwards[1])
					+ " times the other)";
		}
		else if (firstChanges != secondChanges) {
			order = (firstChanges > secondChanges) ? DateOrder.DAY_FIRST : DateOrder.MONTH_FIRST;
			note = "date order inferred: " + name(order) + " (no field above 12; between consecutive dates the first"
					+ " field changed " + firstChanges + " times and the second " + secondChanges
					+ " times, and the day changes more often than the month)";
		}
		else if (usForm > 0 && usForm == dayMonthHeaders) {
			order = DateOrder.MONTH_FIRST;
			note = "date order inferred: month-first (no field above 12 and the dates alone do not tell; every header"
					+ " has a 12-hour clock with AM/PM and a two-digit year, the US form, which is month-first)";
		}
		else {
			order = DEFAULT_ORDER;
			note = "date order ambiguous: no day or month field above 12 and no other evidence; " + name(order)
					+ " assumed by default";
		}
		return new ExportSurvey(order, note, new ArrayList<>(authors), moreAuthors, groupEvent,
				Optional.ofNullable(createdSubject), headers);
	}

	/**
	 * Counts, for day-first [0] and month-first [1], how often the date goes back in
	 * time.
	 */
	private static void countBackwards(HeaderScanner h, long[] previous, long[] backwards, boolean[] swapped) {
		DateOrder[] orders = { DateOrder.DAY_FIRST, DateOrder.MONTH_FIRST };
		for (int i = 0; i < 2; i++) {
			long day = ExportDate.epochDay(h, orders[i], swapped);
			if (day == ExportDate.INVALID || day == ExportDate.UNMARKED_BUDDHIST_YEAR || swapped[0]) {
				continue;
			}
			if (previous[i] != Long.MIN_VALUE && day < previous[i]) {
				backwards[i]++;
			}
			previous[i] = day;
		}
	}

	/**
	 * Whether the text after an author is the encryption notice, which iOS heads with the
	 * chat's name ("Group XXX: ‎Messages and calls are end-to-end encrypted…").
	 */
	private static boolean headsEncryptionNotice(byte[] b, int from, int to) {
		if (to - from < 4 || !HeaderScanner.startsWith(b, from, to, (byte) 0xE2, (byte) 0x80, (byte) 0x8E)) {
			return false;
		}
		String text = new String(b, from, Math.min(to - from, 1024), StandardCharsets.UTF_8);
		return NoticeCatalogue.get()
			.notice(Texts.trimIgnorable(text))
			.filter((m) -> m.kind() == NoticeCatalogue.Kind.ENCRYPTION)
			.isPresent();
	}

	/** The start of a header line, for notes: enough to show its date form. */
	private static String evidence(byte[] b, int from, int to) {
		from = AuthorSplit.skipIgnorable(b, from, to);
		if (from < to && b[from] == '[') {
			from++;
		}
		int end = from;
		while (end < to && end - from < 40 && b[end] != ']' && !(end > from && b[end] == '-' && b[end - 1] == ' ')) {
			end++;
		}
		return Texts.trimIgnorable(new String(b, from, end - from, StandardCharsets.UTF_8));
	}

	static String name(DateOrder order) {
		return switch (order) {
			case DAY_FIRST -> "day-first";
			case MONTH_FIRST -> "month-first";
			case YEAR_FIRST -> "year-first";
			case AUTO -> "auto";
		};
	}

}
