package io.chatvault.source.whatsappcloud;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.JsonRecords;

import static io.chatvault.source.Fixtures.publicFixture;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbox's one-pass reading of text-message webhook bodies ({@link TextWebhookStream})
 * gives exactly the records of the tree mapper, on the public fixtures and on randomised
 * bodies (field orders, escapes, non-ASCII text, contacts, several messages, changes and
 * entries, and hostile or unusual bodies that the tree mapper must read instead), with
 * the customer links and conversations evolving the same way.
 */
class TextWebhookStreamTests {

	private final JsonRecords json = new JsonRecords();

	private final TextWebhookStream stream = new TextWebhookStream(this.json);

	@Test
	void everyPublicFixtureBodyMapsAsTheTreeMapsIt() throws IOException {
		// given: every case of pywa's update fixtures, as written and compacted
		List<byte[]> bodies = new ArrayList<>();
		List<String> names = new ArrayList<>();
		Path updates = publicFixture("pywa/tests/data/updates");
		try (var files = Files.list(updates)) {
			for (Path file : files.sorted().toList()) {
				byte[] raw = Files.readAllBytes(file);
				JsonNode cases = this.json.parse(raw).node();
				List<long[]> spans = this.json.fieldValueSpans(raw);
				int i = 0;
				for (var testCase : cases.properties()) {
					long[] span = spans.get(i++);
					bodies.add(Arrays.copyOfRange(raw, (int) span[0], (int) (span[0] + span[1])));
					bodies.add(this.json.toJsonBytes(testCase.getValue()));
					names.add(file.getFileName() + "#" + testCase.getKey());
					names.add(file.getFileName() + "#" + testCase.getKey() + " (compact)");
				}
			}
		}

		// when
		Comparison comparison = compare(bodies);

		// then: the same records, and the plain text message was read without a tree
		assertThat(comparison.streamed).isEqualTo(comparison.tree);
		assertThat(this.stream.read(bodies.get(names.indexOf("message.json#text")))).isNotNull();
		assertThat(this.stream.read(bodies.get(names.indexOf("message.json#reply")))).isNull();
		assertThat(this.stream.read(bodies.get(names.indexOf("message_status.json#sent")))).isNull();
		assertThat(comparison.read).isBetween(1, bodies.size() - 1);
	}

	@Test
	void randomisedBodiesMapAsTheTreeMapsThem() {
		// given
		Random random = new Random(20261130);
		List<byte[]> bodies = new ArrayList<>();
		for (int i = 0; i < 6000; i++) {
			bodies.add(new RandomBody(random).bytes());
		}

		// when
		Comparison comparison = compare(bodies);

		// then: the same records and quarantines, and both ways taken often
		assertThat(comparison.streamed).hasSameSizeAs(comparison.tree);
		for (int i = 0; i < comparison.tree.size(); i++) {
			assertThat(comparison.streamed.get(i)).as(new String(bodies.get(i), StandardCharsets.UTF_8))
				.isEqualTo(comparison.tree.get(i));
		}
		assertThat(comparison.read).isBetween(bodies.size() / 5, bodies.size() * 4 / 5);
		assertThat(comparison.merged).isPositive();
		assertThat(comparison.tree.stream().flatMap(List::stream).filter(List.class::isInstance)).isNotEmpty();
	}

	@Test
	void hostileBodiesAreLeftToTheTreeMapper() {
		// given
		byte[] text = body("{\"body\":\"hi\"}");
		byte[] invalidUtf8 = body("{\"body\":\"h\u00e9llo\"}");
		int accent = indexOf(invalidUtf8, (byte) 0xC3);
		invalidUtf8[accent + 1] = (byte) 0x28;
		String deep = "[".repeat(3000) + "]".repeat(3000);
		byte[] nested = new String(text, StandardCharsets.UTF_8)
			.replace("\"messaging_product\":\"whatsapp\"", "\"messaging_product\":" + deep)
			.getBytes(StandardCharsets.UTF_8);
		byte[] duplicate = new String(text, StandardCharsets.UTF_8)
			.replace("\"type\":\"text\"", "\"type\":\"text\",\"type\":\"text\"")
			.getBytes(StandardCharsets.UTF_8);
		byte[] trailing = (new String(text, StandardCharsets.UTF_8) + " {}").getBytes(StandardCharsets.UTF_8);

		// when, then: the plain body is read here, the others fall back and are
		// quarantined
		assertThat(this.stream.read(text)).hasSize(1);
		for (byte[] hostile : List.of(invalidUtf8, nested, duplicate, trailing)) {
			assertThat(this.stream.read(hostile)).isNull();
			List<SourceRecord> records = new WebhookBodies().read(hostile, new SourceLocation("inbox", "whatsapp", 1));
			assertThat(records).singleElement().isInstanceOf(QuarantinedRecord.class);
			assertThat(((QuarantinedRecord) records.get(0)).raw()).isEqualTo(hostile);
		}
	}

	private static byte[] body(String text) {
		return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"value\":"
				+ "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\","
				+ "\"phone_number_id\":\"1122334455667\"},\"contacts\":[{\"profile\":{\"name\":\"A\"},\"wa_id\":\"155501\"}],"
				+ "\"messages\":[{\"from\":\"155501\",\"id\":\"wamid.1\",\"timestamp\":\"1710000000\",\"text\":" + text
				+ ",\"type\":\"text\"}]},\"field\":\"messages\"}]}]}")
			.getBytes(StandardCharsets.UTF_8);
	}

	private static int indexOf(byte[] bytes, byte value) {
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == value) {
				return i;
			}
		}
		throw new IllegalArgumentException("not found");
	}

	/** Reads every body both ways, each way with its own links and conversations. */
	private Comparison compare(List<byte[]> bodies) {
		WebhookBodies streamed = new WebhookBodies();
		WebhookBodies tree = new WebhookBodies();
		Comparison comparison = new Comparison();
		for (int i = 0; i < bodies.size(); i++) {
			SourceLocation origin = new SourceLocation("inbox", "whatsapp", i);
			comparison.streamed.add(comparable(streamed.read(bodies.get(i), origin)));
			comparison.tree.add(comparable(tree.readTree(bodies.get(i), origin)));
			if (this.stream.read(bodies.get(i)) != null) {
				comparison.read++;
				comparison.merged += (int) comparison.streamed.get(i)
					.stream()
					.filter((record) -> record instanceof ChatRecord chat && chat.extra().containsKey("customerMerged"))
					.count();
			}
		}
		return comparison;
	}

	/** Records as values: a quarantined record's raw bytes by content. */
	private static List<Object> comparable(List<SourceRecord> records) {
		List<Object> values = new ArrayList<>();
		for (SourceRecord record : records) {
			if (record instanceof ChatRecord chat) {
				values.add(chat);
			}
			else {
				QuarantinedRecord quarantined = (QuarantinedRecord) record;
				values.add(
						List.of(quarantined.origin(), quarantined.reason(), HexFormat.of().formatHex(quarantined.raw()),
								quarantined.rawLength(), String.valueOf(quarantined.rawRange())));
			}
		}
		return values;
	}

	private static final class Comparison {

		final List<List<Object>> streamed = new ArrayList<>();

		final List<List<Object>> tree = new ArrayList<>();

		int read;

		int merged;

	}

	/**
	 * A webhook body: mostly incoming text messages in every order and spelling,
	 * sometimes with what only the tree mapper reads, sometimes broken.
	 */
	private static final class RandomBody {

		private static final String[] PHONES = { "15550001", "15550002", "15550003", "4477009" };

		private static final String[] USERS = { "US.1", "US.2", "US.3" };

		private final Random random;

		RandomBody(Random random) {
			this.random = random;
		}

		byte[] bytes() {
			String body = object(List.of(field("object", str("whatsapp_business_account")),
					field("entry", array(repeat(1 + rare(3), this::entry)))));
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			return switch (this.random.nextInt(40)) {
				case 0 -> Arrays.copyOf(bytes, this.random.nextInt(bytes.length));
				case 1 -> (body + (this.random.nextBoolean() ? "{}" : " x")).getBytes(StandardCharsets.UTF_8);
				case 2 -> {
					bytes[this.random.nextInt(bytes.length)] = (byte) (0x80 + this.random.nextInt(0x7f));
					yield bytes;
				}
				default -> bytes;
			};
		}

		private String entry() {
			List<String> fields = new ArrayList<>(List.of(field("id", str("1234567890987654321")),
					field("changes", array(repeat(1 + rare(2), this::change)))));
			return object(fields);
		}

		private String change() {
			List<String> value = new ArrayList<>();
			value.add(field("messaging_product", str("whatsapp")));
			if (!unlikely()) {
				List<String> metadata = new ArrayList<>();
				if (!unlikely()) {
					metadata.add(field("display_phone_number", str("15550783881")));
				}
				if (!unlikely()) {
					metadata.add(field("phone_number_id", unlikely() ? "1122334455667" : str("1122334455667")));
				}
				value.add(field("metadata", object(metadata)));
			}
			List<String> contacts = repeat(rare(3) + (unlikely() ? 0 : 1), this::contact);
			if (!unlikely()) {
				value.add(field("contacts", array(contacts)));
			}
			value.add(field("messages", array(repeat(unlikely() ? 0 : 1 + rare(3), this::message))));
			if (unlikely()) {
				value
					.add(field("statuses",
							array(List.of(object(List.of(field("id", str("wamid.s")), field("status", str("read")),
									field("timestamp", str("1710000001")),
									field("recipient_id", str(pick(PHONES)))))))));
			}
			if (unlikely()) {
				value.add(field("errors", array(List.of(object(List.of(field("code", "131051")))))));
			}
			return object(List.of(field("value", object(value)), field("field", str("messages"))));
		}

		private String contact() {
			List<String> fields = new ArrayList<>();
			if (!unlikely()) {
				fields.add(field("profile", object(unlikely() ? List.of() : List.of(field("name", str(text()))))));
			}
			fields.add(field("wa_id", str(pick(PHONES))));
			if (this.random.nextBoolean()) {
				fields.add(field("user_id", str(pick(USERS))));
			}
			if (unlikely()) {
				fields.add(field("parent_user_id", str("US.ENT." + this.random.nextInt(9))));
			}
			if (unlikely()) {
				fields.add(field("identity", object(List.of(field("hash", str(text())),
						field("acknowledged", this.random.nextBoolean() ? "true" : str("yes"))))));
			}
			return object(fields);
		}

		private String message() {
			List<String> fields = new ArrayList<>();
			// a sender by business-scoped user id alone: the tree mapper's, and what
			// makes later links merge two keys known apart
			fields.add((this.random.nextInt(12) == 0) ? field("from_user_id", str(pick(USERS)))
					: field("from", str(pick(PHONES))));
			fields.add(field("id", str("wamid." + this.random.nextInt(1_000_000))));
			String timestamp = switch (this.random.nextInt(30)) {
				case 0 -> "1710000000";
				case 1 -> str("soon");
				case 2 -> str("1710000000.25");
				default -> str(Long.toString(1_700_000_000L + this.random.nextInt(20_000_000)));
			};
			fields.add(field("timestamp", timestamp));
			switch (this.random.nextInt(25)) {
				case 0 -> {
					fields.add(field("type", str("image")));
					fields.add(field("image",
							object(List.of(field("id", str("m1")), field("mime_type", str("image/jpeg"))))));
				}
				case 1 -> {
					fields.add(field("type", str("text")));
					fields.add(field("text", object(List.of(field("body", str(text()))))));
					fields.add(field("context", object(List.of(field("id", str("wamid.7"))))));
				}
				case 2 -> {
					fields.add(field("type", str("text")));
					fields.add(field("text", object(List.of(field("body", "null")))));
				}
				case 3 -> {
					fields.add(field("type", str("text")));
					fields.add(field("text", str(text())));
				}
				case 4 -> fields.add(field("text", object(List.of(field("body", str(text()))))));
				default -> {
					fields.add(field("type", str("text")));
					fields.add(field("text", object(List.of(field("body", str(text()))))));
				}
			}
			return object(fields);
		}

		private String text() {
			StringBuilder text = new StringBuilder();
			int length = this.random.nextInt(this.random.nextInt(20) == 0 ? 3000 : 60);
			for (int i = 0; i < length; i++) {
				switch (this.random.nextInt(12)) {
					case 0 -> text.append("é€");
					case 1 -> text.appendCodePoint(0x1F600 + this.random.nextInt(50));
					case 2 -> text.append((char) this.random.nextInt(0x20));
					case 3 -> text.append(this.random.nextBoolean() ? '"' : '\\');
					case 4 -> text.append((char) (0x4E00 + this.random.nextInt(500)));
					default -> text.append((char) ('a' + this.random.nextInt(26)));
				}
			}
			return text.toString();
		}

		/** A JSON string, escaped in one of the ways JSON allows. */
		private String str(String value) {
			boolean unicodeEscapes = this.random.nextInt(8) == 0;
			StringBuilder out = new StringBuilder("\"");
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if (c == '"' || c == '\\') {
					out.append('\\').append(c);
				}
				else if (c < 0x20 || (unicodeEscapes && this.random.nextBoolean())) {
					out.append(String.format("\\u%04x", (int) c));
				}
				else {
					out.append(c);
				}
			}
			return out.append('"').toString();
		}

		private String field(String name, String value) {
			return str(name) + ":" + value;
		}

		private String object(List<String> fields) {
			List<String> shuffled = new ArrayList<>(fields);
			if (this.random.nextInt(3) == 0) {
				Collections.shuffle(shuffled, this.random);
			}
			if (this.random.nextInt(60) == 0 && !shuffled.isEmpty()) {
				shuffled.add(shuffled.get(0));
			}
			String space = this.random.nextInt(10) == 0 ? " \n" : "";
			return "{" + space + String.join("," + space, shuffled) + space + "}";
		}

		private String array(List<String> elements) {
			return "[" + String.join(",", elements) + "]";
		}

		private List<String> repeat(int times, Supplier<String> element) {
			List<String> elements = new ArrayList<>();
			for (int i = 0; i < times; i++) {
				elements.add(element.get());
			}
			return elements;
		}

		private String pick(String[] values) {
			return values[this.random.nextInt(values.length)];
		}

		private boolean unlikely() {
			return this.random.nextInt(15) == 0;
		}

		private int rare(int most) {
			return (this.random.nextInt(4) == 0) ? this.random.nextInt(most + 1) : 0;
		}

	}

}
