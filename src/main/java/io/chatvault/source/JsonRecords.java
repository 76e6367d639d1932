package io.chatvault.source;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.chatvault.message.ChatRecord;

/**
 * Turns the raw records of a {@link JsonRecordSplitter} into JSON trees for the JSON
 * parsers (Slack, Teams, WhatsApp Cloud), and reads their fields leniently: a field of an
 * unexpected type reads as absent instead of failing the record.
 */
public final class JsonRecords {

	/**
	 * The start of what Jackson says of a key that occurs twice in one object.
	 */
	private static final String DUPLICATE_KEY = "Duplicate Object property \"";

	// A key written twice in one object is two readings of the record: a tree would keep
	// the later value silently, so the record is refused and quarantined instead.
	private final JsonMapper mapper = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	/**
	 * Parses one record.
	 * @param record a raw record
	 * @return the tree, or the reason it cannot be parsed
	 */
	public Parsed parse(JsonRecordSplitter.Record record) {
		Optional<String> defect = record.defect();
		if (defect.isPresent()) {
			return new Parsed(null, defect.get());
		}
		return parse(record.raw());
	}

	/**
	 * Parses bytes.
	 * @param raw JSON bytes
	 * @return the tree, or the reason it cannot be parsed
	 */
	public Parsed parse(byte[] raw) {
		try {
			return new Parsed(this.mapper.readTree(raw), null);
		}
		catch (JacksonException ex) {
			return new Parsed(null, problem(ex));
		}
	}

	private static String problem(JacksonException ex) {
		String message = String.valueOf(ex.getOriginalMessage());
		if (message.startsWith(DUPLICATE_KEY)) {
			int end = message.indexOf('"', DUPLICATE_KEY.length());
			String key = (end > 0) ? message.substring(DUPLICATE_KEY.length(), end) : message;
			return "duplicate key \"" + key
					+ "\" in one JSON object: a later value would silently replace the first, so neither is taken as the record";
		}
		return "invalid JSON: " + message;
	}

	/**
	 * A streaming parser over bytes with the same checks as {@link #parse(byte[])}
	 * (duplicate keys refused, the same limits on sizes and nesting); the caller checks
	 * for trailing tokens.
	 * @param raw JSON bytes
	 * @return the parser
	 */
	public JsonParser parser(byte[] raw) {
		return this.mapper.createParser(raw);
	}

	/**
	 * A generator writing compact JSON as {@link #toJson(JsonNode)} writes a tree.
	 * @param out where the text goes
	 * @return the generator
	 */
	public JsonGenerator generator(java.io.Writer out) {
		return this.mapper.createGenerator(out);
	}

	/**
	 * Serializes a tree compactly (for {@code extra} values and formatted bodies).
	 * @param node a tree
	 * @return its JSON text
	 */
	public String toJson(JsonNode node) {
		return this.mapper.writeValueAsString(node);
	}

	/**
	 * Serializes a tree compactly as bytes.
	 * @param node a tree
	 * @return its JSON bytes
	 */
	public byte[] toJsonBytes(JsonNode node) {
		return this.mapper.writeValueAsBytes(node);
	}

	/**
	 * Copies every field of an object that the parser did not map into the record's
	 * {@code extra}, so that nothing in the source is dropped.
	 * @param node the source object
	 * @param mapped the names of the fields the parser mapped
	 * @param builder the record
	 */
	public void keepUnmapped(JsonNode node, Set<String> mapped, ChatRecord.Builder builder) {
		for (Map.Entry<String, JsonNode> field : node.properties()) {
			if (!mapped.contains(field.getKey()) && !field.getValue().isNull()) {
				JsonNode value = field.getValue();
				builder.extra(field.getKey(), value.isString() ? value.stringValue() : toJson(value));
			}
		}
	}

	/**
	 * A field's text: strings as they are, numbers and booleans as written.
	 * @param node an object, or anything else
	 * @param name the field
	 * @return the text, or null when absent, null, or an object or array
	 */
	public static String text(JsonNode node, String name) {
		if (node == null || !node.isObject()) {
			return null;
		}
		JsonNode value = node.get(name);
		if (value == null || !value.isValueNode() || value.isNull()) {
			return null;
		}
		return value.isString() ? value.stringValue() : value.asString();
	}

	/**
	 * The first of several fields that has text: for sources that spell a field in more
	 * than one way ({@code id} and {@code Id}).
	 * @param node an object
	 * @param names the spellings, preferred first
	 * @return the text, or null
	 */
	public static String text(JsonNode node, String... names) {
		for (String name : names) {
			String value = text(node, name);
			if (value != null) {
				return value;
			}
		}
		return null;
	}

	/**
	 * A child object or array, in any of several spellings.
	 * @param node an object
	 * @param names the spellings
	 * @return the child, or empty when absent or null
	 */
	public static Optional<JsonNode> child(JsonNode node, String... names) {
		if (node == null || !node.isObject()) {
			return Optional.empty();
		}
		for (String name : names) {
			JsonNode value = node.get(name);
			if (value != null && !value.isNull() && !value.isMissingNode()) {
				return Optional.of(value);
			}
		}
		return Optional.empty();
	}

	/**
	 * Reads an epoch time in seconds with an optional fraction ("1452845865.000008",
	 * 1459052866), exactly (no floating point).
	 * @param value the text
	 * @return the instant, or empty if it is not a number
	 */
	public static Optional<Instant> epochSeconds(String value) {
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		try {
			BigDecimal seconds = new BigDecimal(value.trim());
			long whole = seconds.longValue();
			long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
			return Optional.of(Instant.ofEpochSecond(whole, nanos));
		}
		catch (NumberFormatException | ArithmeticException | java.time.DateTimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Reads an ISO-8601 date-time with an offset ("2025-10-01T12:15:58.611+00:00",
	 * "2025-10-01T12:15:58Z").
	 * @param value the text
	 * @return the instant, or empty if it is absent or malformed
	 */
	public static Optional<Instant> isoInstant(String value) {
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		try {
			return Optional.of(OffsetDateTime.parse(value.trim()).toInstant());
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The byte spans of the elements of a top-level object's array field (a Graph page's
	 * {@code value}), so that each element's raw fragment can be pointed at exactly.
	 * @param raw a JSON object's bytes
	 * @param fields the array field's spellings
	 * @return offset and length of each element within {@code raw}, in order; empty when
	 * there is no such array
	 */
	public List<long[]> arrayElementSpans(byte[] raw, String... fields) {
		List<long[]> spans = new ArrayList<>();
		Set<String> names = Set.of(fields);
		try (JsonParser parser = this.mapper.createParser(raw)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return spans;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if (names.contains(name) && value == JsonToken.START_ARRAY) {
					while (parser.nextToken() != JsonToken.END_ARRAY) {
						spans.add(span(parser));
					}
					return spans;
				}
				parser.skipChildren();
			}
		}
		catch (JacksonException ex) {
			spans.clear();
		}
		return spans;
	}

	/**
	 * The byte spans of the values of a top-level object's fields (a fixture file mapping
	 * test-case names to bodies).
	 * @param raw a JSON object's bytes
	 * @return offset and length of each field's value within {@code raw}, in order
	 */
	public List<long[]> fieldValueSpans(byte[] raw) {
		List<long[]> spans = new ArrayList<>();
		try (JsonParser parser = this.mapper.createParser(raw)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return spans;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				parser.nextToken();
				spans.add(span(parser));
			}
		}
		catch (JacksonException ex) {
			spans.clear();
		}
		return spans;
	}

	/** The span of the value at the parser's current token, which it then skips. */
	private static long[] span(JsonParser parser) {
		long start = parser.currentTokenLocation().getByteOffset();
		parser.skipChildren();
		long end = parser.currentLocation().getByteOffset();
		return new long[] { start, end - start };
	}

	/**
	 * A parsed record: the tree, or why there is none.
	 *
	 * @param node the tree, or null
	 * @param problem why it could not be parsed, or null
	 */
	public record Parsed(JsonNode node, String problem) {

		public boolean ok() {
			return this.node != null;
		}

	}

}
