package io.chatvault.source.whatsapp;

/**
 * Text clean-up shared by the passes: bidi controls and byte-order marks are layout hints
 * that WhatsApp sprinkles around names and notices; they are not content.
 */
final class Texts {

	private Texts() {
	}

	static boolean isIgnorable(char c) {
		return c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
				|| c == '\uFEFF' || c == '\u061C';
	}

	/** Removes every bidi control and byte-order mark. */
	static String stripBidi(String s) {
		int i = 0;
		while (i < s.length() && !isIgnorable(s.charAt(i))) {
			i++;
		}
		if (i == s.length()) {
			return s;
		}
		StringBuilder out = new StringBuilder(s.length());
		out.append(s, 0, i);
		for (; i < s.length(); i++) {
			char c = s.charAt(i);
			if (!isIgnorable(c)) {
				out.append(c);
			}
		}
		return out.toString();
	}

	/** Removes bidi controls, byte-order marks and white space at both ends. */
	static String trimIgnorable(String s) {
		int start = 0;
		int end = s.length();
		while (start < end && (isIgnorable(s.charAt(start)) || Character.isWhitespace(s.charAt(start)))) {
			start++;
		}
		while (end > start && (isIgnorable(s.charAt(end - 1)) || Character.isWhitespace(s.charAt(end - 1)))) {
			end--;
		}
		return (start == 0 && end == s.length()) ? s : s.substring(start, end);
	}

	/**
	 * Whether the text starts with a LEFT-TO-RIGHT MARK, as iOS writes notices and media
	 * lines.
	 */
	static boolean startsWithMark(String s) {
		return !s.isEmpty() && s.charAt(0) == '\u200E';
	}

}
