package io.chatvault.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.slack.SlackExportSource;
import io.chatvault.source.teams.TeamsGraphSource;
import io.chatvault.source.whatsappcloud.WhatsAppCloudSource;

import static io.chatvault.source.Fixtures.concat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random corruptions of the public fixtures: whatever the damage, nothing escapes a
 * reader as an exception, and where the damage hits whole records, every input record is
 * accounted for: parsed plus quarantined equals the input.
 */
class SourceCorruptionTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final String TEAMS_USER_FILE = "zulip/zerver/tests/fixtures/microsoft_teams_fixtures/TeamsData_ZulipChat/users/"
			+ "88cbf3c2-0810-4d32-aa19-863c12bf7be9/messages_88cbf3c2-0810-4d32-aa19-863c12bf7be9.json";

	private static final Map<String, ChatSource> FIXTURES = Map.of("slack-export-viewer/tests/testarchive.zip",
			new SlackExportSource(), "langchain-community/libs/community/tests/examples/slack_export.zip",
			new SlackExportSource(), TEAMS_USER_FILE, new TeamsGraphSource(), "pywa/tests/data/updates/message.json",
			new WhatsAppCloudSource(), "pywa/tests/data/updates/message_status.json", new WhatsAppCloudSource());

	private final List<Path> temporary = new ArrayList<>();

	@AfterProperty
	void deleteTemporaryFiles() throws IOException {
		for (Path path : this.temporary) {
			try (Stream<Path> all = Files.walk(path)) {
				for (Path file : all.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(file);
				}
			}
		}
		this.temporary.clear();
	}

	@Property(tries = 150)
	void randomByteDamageNeverEscapesAsAnException(@ForAll("fixtures") String fixture,
			@ForAll("damage") List<Damage> damage) throws IOException {
		// given
		byte[] bytes = Files.readAllBytes(Fixtures.publicFixture(fixture));
		for (Damage d : damage) {
			bytes = d.apply(bytes);
		}
		Path file = temporaryFile(Fixtures.publicFixture(fixture).getFileName().toString(), bytes);

		// when
		List<SourceRecord> records;
		try (SourceReader reader = FIXTURES.get(fixture).open(file, SourceOptions.defaults())) {
			records = new ArrayList<>();
			reader.forEachRemaining(records::add);
		}
		catch (IOException ex) {
			// "Cannot be opened at all" (a zip whose directory is gone): the one allowed
			// failure, and it says where.
			assertThat(ex.getMessage()).contains(file.toString());
			return;
		}

		// then
		assertThat(records).allSatisfy((record) -> {
			assertThat(record.origin().file()).isEqualTo(file.toString());
			if (record instanceof QuarantinedRecord quarantined) {
				assertThat(quarantined.reason()).isNotBlank();
			}
		});
	}

	@Property(tries = 60)
	void everyTeamsMessageIsParsedOrQuarantined(@ForAll("garbageIndexes") Set<Integer> broken,
			@ForAll("garbage") String garbage) throws IOException {
		// given: the 9 messages of the Teams user file, some replaced by garbage
		List<String> elements = elements(Fixtures.publicFixture(TEAMS_USER_FILE));
		Path file = temporaryFile("messages.json", array(elements, broken, garbage));

		// when
		List<SourceRecord> records = Fixtures.readAll(new TeamsGraphSource(), file);

		// then
		assertAccounted(records, elements.size(), broken);
	}

	@Property(tries = 60)
	void everySlackMessageIsParsedOrQuarantined(@ForAll("garbageIndexes") Set<Integer> broken,
			@ForAll("garbage") String garbage) throws IOException {
		// given: an export whose day file holds the 14 messages of one real day, some
		// replaced by garbage
		List<String> elements = elements(Fixtures.publicFixture("slack-export-viewer/tests/testarchive.zip"),
				"enrique/2016-03-28.json");
		Path export = temporaryDirectory();
		Files.writeString(export.resolve("channels.json"), "[{\"id\":\"C1\",\"name\":\"enrique\"}]");
		Files.createDirectories(export.resolve("enrique"));
		Files.write(export.resolve("enrique/2016-03-28.json"), array(elements, broken, garbage));

		// when
		List<SourceRecord> records = Fixtures.readAll(new SlackExportSource(), export);

		// then
		assertAccounted(records, elements.size(), broken);
	}

	@Property(tries = 60)
	void everyWebhookBodyIsParsedOrQuarantined(@ForAll("garbageIndexes") Set<Integer> broken,
			@ForAll("garbage") String garbage) throws IOException {
		// given: the 23 message cases of pywa as JSON lines, some lines replaced by
		// garbage
		JsonNode cases = MAPPER.readTree(Fixtures.publicFixture("pywa/tests/data/updates/message.json").toFile());
		List<String> lines = new ArrayList<>();
		cases.properties().forEach((entry) -> lines.add(MAPPER.writeValueAsString(entry.getValue())));
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < lines.size(); i++) {
			text.append(broken.contains(i) ? garbage : lines.get(i)).append('\n');
		}
		Path file = temporaryFile("capture.jsonl", text.toString().getBytes(StandardCharsets.UTF_8));

		// when
		List<SourceRecord> records = Fixtures.readAll(new WhatsAppCloudSource(), file);

		// then
		assertAccounted(records, lines.size(), broken);
	}

	private static void assertAccounted(List<SourceRecord> records, int inputRecords, Set<Integer> broken) {
		long expectedBroken = broken.stream().filter((index) -> index < inputRecords).count();
		assertThat(records.stream().filter(ChatRecord.class::isInstance))
			.hasSize((int) (inputRecords - expectedBroken));
		assertThat(records.stream().filter(QuarantinedRecord.class::isInstance)).hasSize((int) expectedBroken);
		assertThat(records).hasSize(inputRecords);
	}

	@Provide
	Arbitrary<String> fixtures() {
		return Arbitraries.of(FIXTURES.keySet().stream().sorted().toList());
	}

	@Provide
	Arbitrary<List<Damage>> damage() {
		Arbitrary<Damage> one = Combinators
			.combine(Arbitraries.of(DamageKind.values()), Arbitraries.doubles().between(0, 1),
					Arbitraries.integers().between(1, 64), Arbitraries.bytes())
			.as(Damage::new);
		return one.list().ofMinSize(1).ofMaxSize(8);
	}

	@Provide
	Arbitrary<Set<Integer>> garbageIndexes() {
		return Arbitraries.integers().between(0, 22).set().ofMaxSize(6);
	}

	/** Text that is not a record: anything but the characters that delimit records. */
	@Provide
	Arbitrary<String> garbage() {
		return Arbitraries.strings()
			.withChars("abcxyz019 :;.-+_=!?#%&*'<>/\\é😀")
			.ofMinLength(0)
			.ofMaxLength(40)
			.map((text) -> "~" + text.replace("\\", "\\\\"));
	}

	private static List<String> elements(Path file) throws IOException {
		List<String> elements = new ArrayList<>();
		MAPPER.readTree(file.toFile()).forEach((node) -> elements.add(MAPPER.writeValueAsString(node)));
		return elements;
	}

	private static List<String> elements(Path zip, String entry) throws IOException {
		try (SafeZip archive = SafeZip.open(zip); var in = archive.open(archive.entry(entry).orElseThrow())) {
			List<String> elements = new ArrayList<>();
			MAPPER.readTree(in).forEach((node) -> elements.add(MAPPER.writeValueAsString(node)));
			return elements;
		}
	}

	private static byte[] array(List<String> elements, Set<Integer> broken, String garbage) {
		List<String> written = new ArrayList<>();
		for (int i = 0; i < elements.size(); i++) {
			written.add(broken.contains(i) ? garbage : elements.get(i));
		}
		return ("[\n" + String.join(",\n", written) + "\n]").getBytes(StandardCharsets.UTF_8);
	}

	private Path temporaryFile(String name, byte[] bytes) throws IOException {
		Path dir = temporaryDirectory();
		Path file = dir.resolve(name);
		Files.write(file, bytes);
		return file;
	}

	private Path temporaryDirectory() throws IOException {
		Path dir = Files.createTempDirectory("chatvault-corruption-");
		this.temporary.add(dir);
		return dir;
	}

	enum DamageKind {

		FLIP, INSERT, DELETE, TRUNCATE, DUPLICATE

	}

	/** One random change to a file's bytes, at a relative position. */
	record Damage(DamageKind kind, double at, int length, byte value) {

		byte[] apply(byte[] bytes) {
			if (bytes.length == 0) {
				return bytes;
			}
			int position = (int) (this.at * (bytes.length - 1));
			int end = Math.min(bytes.length, position + this.length);
			return switch (this.kind) {
				case FLIP -> {
					byte[] copy = bytes.clone();
					copy[position] ^= (this.value == 0) ? 0x55 : this.value;
					yield copy;
				}
				case INSERT -> concat(slice(bytes, 0, position), repeat(this.value, this.length),
						slice(bytes, position, bytes.length));
				case DELETE -> concat(slice(bytes, 0, position), slice(bytes, end, bytes.length));
				case TRUNCATE -> slice(bytes, 0, position);
				case DUPLICATE -> concat(slice(bytes, 0, end), slice(bytes, position, bytes.length));
			};
		}

		private static byte[] slice(byte[] bytes, int from, int to) {
			return java.util.Arrays.copyOfRange(bytes, from, to);
		}

		private static byte[] repeat(byte value, int length) {
			byte[] bytes = new byte[length];
			java.util.Arrays.fill(bytes, value);
			return bytes;
		}

	}

}
