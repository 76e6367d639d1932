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
		String folded = fold(text);
		BreakIterator words = WORDS.get();
		words.setText(folded);
		int start = words.first();
		for (int end = words.next(); end != BreakIterator.DONE; start = end, end = words.next()) {
			addWord(folded.substring(start, end), units);
		}
		return units;
	}

	/**
	 * Folds text for comparison: NFKC, case folded, diacritics removed.
	 * @param text the text
	 * @return the folded text
	 */
	public static String fold(String text) {
		if (isAscii(text)) {
			// ASCII is unchanged by every normalization form and has no marks: folding
			// it is lower-casing it, without the three normalization passes.
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

	private static boolean isAscii(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) >= 0x80) {
				return false;
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

	private static void addWord(String segment, List<Unit> units) {
		StringBuilder word = new StringBuilder();
		boolean letters = false;
		for (int i = 0; i < segment.length();) {
			int cp = segment.codePointAt(i);
			i += Character.charCount(cp);
			if (spaceless(cp)) {
				flush(word, letters, units);
				word.setLength(0);
				letters = false;
				units.add(new Unit(new String(Character.toChars(cp)), true));
			}
			else if (Character.isLetterOrDigit(cp) || isMark(cp)) {
				word.appendCodePoint(cp);
				letters = true;
			}
			else if (letters && (cp == '\'' || cp == '’' || cp == '.' || cp == '_')) {
				// inner apostrophes and dots belong to the word the rules gave (o'neill,
				// 3.14)
				word.appendCodePoint(cp);
			}
			else {
				flush(word, letters, units);
				word.setLength(0);
				letters = false;
			}
		}
		flush(word, letters, units);
	}

	private static void flush(StringBuilder word, boolean letters, List<Unit> units) {
		if (!letters) {
			return;
		}
		int end = word.length();
		while (end > 0 && !Character.isLetterOrDigit(word.codePointBefore(end)) && !isMark(word.codePointBefore(end))) {
			end -= Character.charCount(word.codePointBefore(end));
		}
		if (end > 0) {
			units.add(new Unit(word.substring(0, end), false));
		}
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
