package io.chatvault.search;

import java.text.BreakIterator;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How text becomes searchable units, the same at archive time and at query time: Unicode
 * NFKC, full case folding, diacritics folded (Latin, Greek and Arabic marks; the Cyrillic
 * {@code ё} becomes {@code е}), then words by {@link BreakIterator} (the Unicode word
 * rules, which segment Latin, Cyrillic, Arabic, Hebrew, Greek, Hangul and the like).
 * Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar)
 * become one unit per character: their tokens are the characters and the pairs of
 * neighbouring characters, so any word of two or more characters is found without a
 * dictionary, whatever segmentation a dictionary would choose.
 */
public final class SearchText {

	/**
	 * Word iterators are stateful and cost a rule table clone to create: one per thread,
	 * reset by {@code setText}.
	 */
	private static final ThreadLocal<BreakIterator> WORDS = ThreadLocal
		.withInitial(() -> BreakIterator.getWordInstance(Locale.ROOT));

	/** The first code point of the first script written without spaces (Thai). */
	private static final int FIRST_SPACELESS = 0x0E00;

	/** Miscellaneous Symbols and Pictographs, the first block of chat's emoji. */
	static final int FIRST_PICTOGRAPH = 0x1F300;

	/** The end of Symbols and Pictographs Extended-A, the last block of emoji. */
	static final int LAST_PICTOGRAPH = 0x1FAFF;

	private SearchText() {
	}

	/**
	 * A unit of text: a word, or one character of a script without spaces.
	 *
	 * @param text the folded text of the unit
	 * @param spaceless whether it is a character of a script without spaces (then
	 * neighbours pair up)
	 */
	public record Unit(String text, boolean spaceless) {
	}

	/**
	 * The units of a text, in order.
	 * @param text any text
	 * @return its units (empty for text without letters or digits)
	 */
	public static List<Unit> units(String text) {
		List<Unit> units = new ArrayList<>();
		if (text == null || text.isEmpty()) {
			return units;
		}
		if (isAsciiOrPictographs(text)) {
			String folded = text.toLowerCase(Locale.ROOT);
			if (!joinsAcrossPunctuation(folded)) {
				// The word rules' segments only matter where a word could go on across
				// them; in such text none can (see joinsAcrossPunctuation), so the
				// segments are not cut.
				addWords(folded, 0, folded.length(), units);
				return units;
			}
			segment(folded, units);
			return units;
		}
		segment(foldUnicode(text), units);
		return units;
	}

	private static void segment(String folded, List<Unit> units) {
		BreakIterator words = WORDS.get();
		words.setText(folded);
		int start = words.first();
		for (int end = words.next(); end != BreakIterator.DONE; start = end, end = words.next()) {
			addWords(folded, start, end, units);
		}
	}

	/**
	 * Whether folded ASCII text (pictographs allowed) holds a place where the word rules'
	 * segments could change its units. {@link #addWords} flushes a word at every
	 * character other than a letter, a digit or inner punctuation ({@code ' . _}), so a
	 * segment boundary can only change the units inside a run of letters and digits or
	 * across inner punctuation between two of them. The word rules never cut a run of
	 * ASCII letters and digits, and they keep a single apostrophe or dot between two
	 * letters and a single dot between two digits (a differential test against the rules
	 * proves all three on random text); any other inner punctuation between letters or
	 * digits (an underscore, a run of two, a dot between a letter and a digit) goes the
	 * rules' way.
	 */
	static boolean joinsAcrossPunctuation(String folded) {
		int n = folded.length();
		for (int i = 1; i + 1 < n; i++) {
			char c = folded.charAt(i);
			if (c != '.' && c != '\'' && c != '_') {
				continue;
			}
			char before = folded.charAt(i - 1);
			if (!isAsciiLetter(before) && !isAsciiDigit(before)) {
				continue;
			}
			int j = i;
			while (j < n && (folded.charAt(j) == '.' || folded.charAt(j) == '\'' || folded.charAt(j) == '_')) {
				j++;
			}
			if (j == n) {
				return false;
			}
			char after = folded.charAt(j);
			boolean single = j == i + 1;
			if (isAsciiLetter(after) && isAsciiLetter(before) && single && c != '_') {
				i = j - 1;
				continue;
			}
			if (isAsciiDigit(after) && isAsciiDigit(before) && single && c == '.') {
				i = j - 1;
				continue;
			}
			if (isAsciiLetter(after) || isAsciiDigit(after)) {
				return true;
			}
			i = j - 1;
		}
		return false;
	}

	private static boolean isAsciiLetter(char c) {
		return c >= 'a' && c <= 'z';
	}

	private static boolean isAsciiDigit(char c) {
		return c >= '0' && c <= '9';
	}

	/**
	 * Folds text for comparison: NFKC, case folded, diacritics removed.
	 * @param text the text
	 * @return the folded text
	 */
	public static String fold(String text) {
		if (isAsciiOrPictographs(text)) {
			// ASCII is unchanged by every normalization form and has no marks, and so are
			// the pictographs of chat (emoji: no case, no decomposition, no composition
			// with a neighbour): folding such text is lower-casing it, without the three
			// normalization passes.
			return text.toLowerCase(Locale.ROOT);
		}
		return foldUnicode(text);
	}

	/** {@link #fold} for any text, by the three normalization passes. */
	static String foldUnicode(String text) {
		String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
		// Upper then lower case approximates full case folding (ß -> ss, final sigma).
		String cased = nfkc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
		String decomposed = Normalizer.normalize(cased, Normalizer.Form.NFD);
		StringBuilder out = new StringBuilder(decomposed.length());
		Character.UnicodeScript base = Character.UnicodeScript.COMMON;
		int previous = -1;
		for (int i = 0; i < decomposed.length();) {
			int cp = decomposed.codePointAt(i);
			i += Character.charCount(cp);
			int type = Character.getType(cp);
			if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK) {
				if (foldsMarks(base) || (base == Character.UnicodeScript.CYRILLIC && previous == 'е' && cp == 0x0308)) {
					continue;
				}
				out.appendCodePoint(cp);
				continue;
			}
			if (cp == 0x0640) {
				// Arabic tatweel: a stretching stroke, not a letter.
				continue;
			}
			cp = arabicLetter(cp);
			base = Character.UnicodeScript.of(cp);
			previous = cp;
			out.appendCodePoint(cp);
		}
		return Normalizer.normalize(out, Normalizer.Form.NFC);
	}

	/**
	 * Whether the text holds only ASCII and code points of the pictograph blocks
	 * ({@value #FIRST_PICTOGRAPH} to {@value #LAST_PICTOGRAPH}: emoji, none of them a
	 * mark, cased or decomposable, which a test checks for each against the full fold).
	 */
	private static boolean isAsciiOrPictographs(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				if (!Character.isHighSurrogate(c) || i + 1 == text.length()) {
					return false;
				}
				int cp = Character.toCodePoint(c, text.charAt(i + 1));
				if (cp < FIRST_PICTOGRAPH || cp > LAST_PICTOGRAPH) {
					return false;
				}
				i++;
			}
		}
		return true;
	}

	/**
	 * Arabic spellings that writers mix freely: alef with hamza or madda as bare alef,
	 * alef maqsura as yeh, teh marbuta as heh.
	 */
	private static int arabicLetter(int cp) {
		return switch (cp) {
			case 0x0623, 0x0625, 0x0622, 0x0671 -> 0x0627;
			case 0x0649 -> 0x064A;
			case 0x0629 -> 0x0647;
			default -> cp;
		};
	}

	private static boolean foldsMarks(Character.UnicodeScript script) {
		return script == Character.UnicodeScript.LATIN || script == Character.UnicodeScript.GREEK
				|| script == Character.UnicodeScript.ARABIC || script == Character.UnicodeScript.COMMON;
	}

	/**
	 * The units of one segment the word rules gave, {@code text[start, end)}: runs of
	 * letters, digits and marks (with inner apostrophes, dots and underscores), and each
	 * character of a script without spaces on its own. A word is always a run of the
	 * text, so it is cut out once instead of built character by character; ASCII is
	 * classified without the Unicode tables (its letters and digits are
	 * {@code [A-Za-z0-9]}, it has no marks and no script without spaces).
	 */
	private static void addWords(String text, int start, int end, List<Unit> units) {
		int word = -1;
		for (int i = start; i < end;) {
			char c = text.charAt(i);
			if (c < 0x80) {
				if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
					word = (word < 0) ? i : word;
				}
				else if (word < 0 || (c != '\'' && c != '.' && c != '_')) {
					word = flush(text, word, i, units);
				}
				i++;
				continue;
			}
			int cp = (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1)))
					? Character.toCodePoint(c, text.charAt(i + 1)) : c;
			if (spaceless(cp)) {
				word = flush(text, word, i, units);
				units.add(new Unit(new String(Character.toChars(cp)), true));
			}
			else if (Character.isLetterOrDigit(cp) || isMark(cp)) {
				word = (word < 0) ? i : word;
			}
			else if (word < 0 || cp != '’') {
				word = flush(text, word, i, units);
			}
			i += Character.charCount(cp);
		}
		flush(text, word, end, units);
	}

	/**
	 * Adds the word {@code text[word, end)} without its trailing inner punctuation, if
	 * there is a word.
	 * @return -1: no word is open any more
	 */
	private static int flush(String text, int word, int end, List<Unit> units) {
		if (word < 0) {
			return -1;
		}
		while (end > word && !Character.isLetterOrDigit(text.codePointBefore(end))
				&& !isMark(text.codePointBefore(end))) {
			end -= Character.charCount(text.codePointBefore(end));
		}
		if (end > word) {
			units.add(new Unit(text.substring(word, end), false));
		}
		return -1;
	}

	private static boolean isMark(int cp) {
		int type = Character.getType(cp);
		return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
				|| type == Character.ENCLOSING_MARK;
	}

	/** Scripts written without spaces between words. */
	static boolean spaceless(int cp) {
		if (cp < FIRST_SPACELESS) {
			return false;
		}
		Character.UnicodeScript script = Character.UnicodeScript.of(cp);
		return switch (script) {
			case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR -> Character.isLetterOrDigit(cp) || isMark(cp);
			default -> false;
		};
	}

}
