package io.chatvault.source.teams;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reduces a Teams HTML body to searchable plain text: block ends become line breaks,
 * emoji keep their alt text, tags go, entities are decoded. The HTML itself is kept as
 * the formatted body, so nothing is lost by the reduction.
 */
final class HtmlText {

	private static final Pattern BLOCK_END = Pattern.compile("(?i)<br\\s*/?>|</p>|</div>|</li>|</tr>|</h[1-6]>");

	private static final Pattern EMOJI = Pattern
		.compile("(?i)<(?:emoji|customemoji)\\b[^>]*?\\balt=\"([^\"]*)\"[^>]*>");

	private static final Pattern TAG = Pattern.compile("<[^>]*>");

	private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);");

	private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");

	private static final Map<String, String> NAMED = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'",
			"nbsp", " ");

	private HtmlText() {
	}

	static String toText(String html) {
		if (html == null || html.isEmpty()) {
			return "";
		}
		String text = BLOCK_END.matcher(html).replaceAll("\n");
		text = EMOJI.matcher(text).replaceAll((match) -> Matcher.quoteReplacement(match.group(1)));
		text = TAG.matcher(text).replaceAll("");
		text = ENTITY.matcher(text).replaceAll((match) -> Matcher.quoteReplacement(entity(match.group(1))));
		text = BLANK_LINES.matcher(text.replace("\r\n", "\n")).replaceAll("\n\n");
		return text.strip();
	}

	private static String entity(String name) {
		try {
			if (name.startsWith("#x") || name.startsWith("#X")) {
				return Character.toString(Integer.parseInt(name.substring(2), 16));
			}
			if (name.startsWith("#")) {
				return Character.toString(Integer.parseInt(name.substring(1)));
			}
		}
		catch (IllegalArgumentException ex) {
			return "&" + name + ";";
		}
		return NAMED.getOrDefault(name, "&" + name + ";");
	}

}
