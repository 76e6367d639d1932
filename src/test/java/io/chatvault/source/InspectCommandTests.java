package io.chatvault.source;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.UsageException;
import io.chatvault.source.slack.SlackExportSource;
import io.chatvault.source.teams.TeamsGraphSource;
import io.chatvault.source.whatsappcloud.WhatsAppCloudSource;

import static io.chatvault.source.Fixtures.publicFixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InspectCommandTests {

	private final ChatSources sources = new ChatSources(
			List.of(new SlackExportSource(), new TeamsGraphSource(), new WhatsAppCloudSource()));

	@TempDir
	Path dir;

	@Test
	void slackExportInJson() {
		// when
		JsonNode report = json("slack-export-viewer/tests/testarchive.zip");

		// then
		assertThat(report.get("format").asString()).isEqualTo("slack");
		assertThat(report.get("dateOrder").isNull()).isTrue();
		assertThat(report.get("messages").asLong()).isEqualTo(147);
		assertThat(report.get("events").asLong()).isEqualTo(11 + 30);
		assertThat(report.get("attachments").get("present").asLong()).isZero();
		assertThat(report.get("attachments").get("omitted").asLong()).isZero();
		assertThat(report.get("attachments").get("reference").asLong()).isEqualTo(4);
		assertThat(report.get("quarantined").asLong()).isZero();
		assertThat(report.get("participants").valueStream().map(JsonNode::asString)).contains("Harry Potter",
				"Hermione Granger");
		assertThat(report.get("first").asString()).isEqualTo("2016-01-15T05:55:18.000002Z");
		assertThat(report.get("last").asString()).startsWith("2016-03-29");
	}

	@Test
	void teamsUserFileInText() {
		// when
		String text = run(List.of(publicFixture(
				"zulip/zerver/tests/fixtures/microsoft_teams_fixtures/TeamsData_ZulipChat/users/88cbf3c2-0810-4d32-aa19-863c12bf7be9")
			.toString()), Map.of());

		// then
		assertThat(text).contains("format:        teams")
			.contains("date order:    not applicable")
			.contains("messages:      6")
			.contains("events:        3")
			.contains("conversations: 3")
			.contains("participants:  2 (Pieter K, Will Begon)")
			.contains("first:         2025-08-12T05:29:14.448Z");
	}

	@Test
	void webhookCapturesCountChangesApartFromMessagesAndEvents() {
		// when
		JsonNode report = json("pywa/tests/data/updates");

		// then
		assertThat(report.get("format").asString()).isEqualTo("whatsapp-cloud");
		assertThat(report.get("messages").asLong()).isEqualTo(20 + 1 + 5);
		assertThat(report.get("events").asLong()).isEqualTo(2);
		assertThat(report.get("changes").get("reactions").asLong()).isEqualTo(3);
		assertThat(report.get("changes").get("statuses").asLong()).isEqualTo(7);
		assertThat(report.get("changes").get("edits").asLong()).isEqualTo(2);
		assertThat(report.get("changes").get("deletions").asLong()).isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "slack-export-viewer/tests/testarchive.zip",
			"langchain-community/libs/community/tests/examples/slack_export.zip",
			"zulip/zerver/tests/fixtures/microsoft_teams_fixtures/TeamsData_ZulipChat",
			"pywa/tests/data/updates/message.json" })
	void everyFixtureInspectsInBothForms(String fixture) {
		// when
		JsonNode report = json(fixture);
		String text = run(List.of(publicFixture(fixture).toString()), Map.of());

		// then
		assertThat(report.propertyNames()).containsAll(Set.of("format", "dateOrder", "messages", "events",
				"attachments", "quarantined", "participants", "first", "last"));
		assertThat(report.get("messages").asLong()).isPositive();
		assertThat(report.get("quarantined").asLong()).isZero();
		assertThat(text).contains("messages:      " + report.get("messages").asLong());
	}

	@Test
	void showsTheFirstQuarantinedRecordsWithReasons() throws Exception {
		// given
		Path export = Files.createDirectories(this.dir.resolve("export/general"));
		Files.writeString(this.dir.resolve("export/channels.json"), "[{\"id\":\"C1\",\"name\":\"general\"}]");
		Files.writeString(export.resolve("2020-01-01.json"),
				"[{\"user\":\"U1\",\"text\":\"ok\",\"ts\":\"1.0\"},{\"text\":\"no ts\"},{\"broken\"]");

		// when
		JsonNode report = JsonMapper.builder()
			.build()
			.readTree(run(List.of(this.dir.resolve("export").toString(), "--json"), Map.of("format", "slack")));

		// then
		assertThat(report.get("quarantined").asLong()).isEqualTo(2);
		assertThat(report.get("firstQuarantined").get(0).get("at").asString()).endsWith("!general/2020-01-01.json:2");
		assertThat(report.get("firstQuarantined").get(0).get("reason").asString()).contains("without a ts");
		assertThat(report.get("firstQuarantined").get(1).get("raw").asString()).isEqualTo("{\"broken\"]");
	}

	@Test
	void operatorMistakesAreUsageErrors() throws Exception {
		Path notes = this.dir.resolve("notes.txt");
		Files.writeString(notes, "hello");
		assertThatThrownBy(() -> run(List.of(this.dir.resolve("missing.zip").toString()), Map.of()))
			.isInstanceOf(UsageException.class)
			.hasMessageContaining("no such file");
		assertThatThrownBy(() -> run(List.of(notes.toString()), Map.of())).isInstanceOf(UsageException.class)
			.hasMessageContaining("cannot tell the format");
		assertThatThrownBy(() -> run(List.of(notes.toString()), Map.of("format", "fax")))
			.isInstanceOf(UsageException.class)
			.hasMessageContaining("unknown format 'fax'");
		assertThatThrownBy(() -> run(List.of(notes.toString()), Map.of("format", "slack")))
			.isInstanceOf(UsageException.class)
			.hasMessageContaining("cannot read");
		assertThatThrownBy(() -> run(List.of(notes.toString()), Map.of("zone", "Mars/Olympus")))
			.isInstanceOf(UsageException.class)
			.hasMessageContaining("unknown zone");
	}

	@Test
	void runsThroughTheCliWithoutADatabase() {
		// given
		String export = publicFixture("langchain-community/libs/community/tests/examples/slack_export.zip").toString();

		// when
		InspectThroughCli run = InspectThroughCli.run(export, "--json");

		// then
		assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.COMPLETED.code());
		assertThat(run.out()).contains("\"format\" : \"slack\"").contains("\"messages\" : 4");
	}

	private JsonNode json(String fixture) {
		return JsonMapper.builder()
			.build()
			.readTree(run(List.of(publicFixture(fixture).toString(), "--json"), Map.of()));
	}

	private String run(List<String> args, Map<String, String> parameters) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		List<String> all = new java.util.ArrayList<>(args);
		parameters.forEach((key, value) -> all.add(key + "=" + value));
		// A command instance takes the options of one invocation.
		ExitCode code = CommandDispatcher.execute(new InspectCommand(this.sources),
				new PrintStream(out, true, StandardCharsets.UTF_8), all.toArray(String[]::new));
		assertThat(code).isEqualTo(ExitCode.COMPLETED);
		return out.toString(StandardCharsets.UTF_8);
	}

}
