package io.chatvault.vault;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes the vault's canonical JSON: objects as sorted maps (keys in UTF-16 order), no
 * whitespace, strings escaped minimally (quote, backslash, control characters, and lone
 * surrogates, which UTF-8 cannot carry) and everything else written as UTF-8. Written by
 * hand rather than by a JSON library so that no library upgrade or setting can ever
 * change the bytes, and so the hashes, of what is archived.
 */
final class CanonicalJson {

	private CanonicalJson() {
	}

	/**
	 * Serializes a value tree.
	 * @param value a sorted map of strings to values; values are strings, numbers,
	 * booleans, lists and such maps
	 * @return the UTF-8 bytes
	 */
	static byte[] write(Map<String, ?> value) {
		StringBuilder out = new StringBuilder(256);
		value(out, value);
		return utf8(out);
	}

	static byte[] utf8(StringBuilder text) {
		// Lone surrogates are escaped by string(), so the encoding never replaces
		// anything.
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	@SuppressWarnings("unchecked")
	private static void value(StringBuilder out, Object value) {
		if (value instanceof String text) {
			string(out, text);
		}
		else if (value instanceof Number || value instanceof Boolean) {
			out.append(value);
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			String previous = null;
			boolean first = true;
			for (Map.Entry<String, ?> entry : ((Map<String, ?>) map).entrySet()) {
				if (previous != null && previous.compareTo(entry.getKey()) >= 0) {
					throw new IllegalArgumentException(
							"keys must be sorted and unique: " + previous + ", " + entry.getKey());
				}
				previous = entry.getKey();
				if (!first) {
					out.append(',');
				}
				first = false;
				string(out, entry.getKey());
				out.append(':');
				value(out, entry.getValue());
			}
			out.append('}');
		}
		else if (value instanceof List<?> list) {
			out.append('[');
			for (int i = 0; i < list.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				value(out, list.get(i));
			}
			out.append(']');
		}
		else {
			throw new IllegalArgumentException("not a canonical JSON value: " + value);
		}
	}

	/**
	 * Writes a string value, as {@link #write} writes it inside a tree: for writers that
	 * put the sorted keys themselves.
	 * @param out the JSON written so far
	 * @param text the string
	 * @throws IllegalArgumentException if the string is {@code null}, as {@link #write}
	 * refuses a {@code null} value
	 */
	static void text(StringBuilder out, String text) {
		if (text == null) {
			throw new IllegalArgumentException("not a canonical JSON value: null");
		}
		string(out, text);
	}

	private static void string(StringBuilder out, String text) {
		out.append('"');
		int plain = plainPrefix(text);
		if (plain == text.length()) {
			out.append(text).append('"');
			return;
		}
		out.append(text, 0, plain);
		for (int i = plain; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				out.append('\\').append(c);
			}
			else if (c < 0x20) {
				switch (c) {
					case '\n' -> out.append("\\n");
					case '\r' -> out.append("\\r");
					case '\t' -> out.append("\\t");
					case '\b' -> out.append("\\b");
					case '\f' -> out.append("\\f");
					default -> unicode(out, c);
				}
			}
			else if (Character.isSurrogate(c)) {
				boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
						&& Character.isLowSurrogate(text.charAt(i + 1));
				if (paired) {
					out.append(c).append(text.charAt(++i));
				}
				else {
					unicode(out, c);
				}
			}
			else {
				out.append(c);
			}
		}
		out.append('"');
	}

	/**
	 * How many leading characters need no escaping: most strings are written in one
	 * append.
	 */
	private static int plainPrefix(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
				return i;
			}
		}
		return text.length();
	}

	private static void unicode(StringBuilder out, char c) {
		out.append("\\u");
		String hex = Integer.toHexString(c);
		out.append("0".repeat(4 - hex.length())).append(hex);
	}

}
