package io.chatvault.source;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.source.slack.SlackExportSource;
import io.chatvault.source.teams.TeamsGraphSource;
import io.chatvault.source.whatsapp.WhatsAppExportSource;
import io.chatvault.source.whatsappcloud.WhatsAppCloudSource;

import static io.chatvault.source.Fixtures.publicFixture;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chatvault inspect} on every WhatsApp export fixture, in both output forms, with
 * the format detected among all sources.
 */
class WhatsAppInspectTests {

	private final ChatSources sources = new ChatSources(List.of(new SlackExportSource(), new TeamsGraphSource(),
			new WhatsAppCloudSource(), new WhatsAppExportSource()));

	@ParameterizedTest
	@CsvSource({ "chat-miner/test/whatsapp/test_ddmmyy_24hrs.txt, day-first, 7, 2, 0",
			"chat-miner/test/whatsapp/test_mmddyy_24hrs.txt, month-first, 7, 2, 0",
			"chat-miner/test/whatsapp/test_mmddyyyy_12hrs.txt, month-first, 7, 2, 0",
			"chat-miner/test/whatsapp/test_yyyymmdd_24hrs.txt, year-first, 7, 2, 0",
			"chat-miner/test/whatsapp/test_[mmddyy]_24hrs.txt, month-first, 7, 2, 0",
			"langchain-community/libs/community/tests/examples/whatsapp_chat.txt, month-first, 10, 0, 1",
			"langchain-community/libs/community/tests/unit_tests/chat_loaders/data/whatsapp_chat.txt, month-first, 11, 1, 3",
			"whatsapp-chat-parser-website/src/assets/whatsapp-chat-parser-example.zip, day-first, 97, 3, 0",
			"whatsapp-chat-parser-rb/spec/fixtures/files/sample.txt, month-first, 5, 2, 0",
			"whatsapp-parser/test/testChat2.txt, day-first, 9, 0, 0" })
	void everyWhatsAppFixtureInspectsInBothForms(String fixture, String dateOrder, long messages, long events,
			long omitted) {
		// when
		JsonNode report = JsonMapper.builder().build().readTree(run(fixture, "--json"));
		String text = run(fixture);

		// then
		assertThat(report.propertyNames()).containsAll(Set.of("format", "dateOrder", "messages", "events",
				"attachments", "quarantined", "participants", "first", "last"));
		assertThat(report.get("format").asString()).isEqualTo("whatsapp");
		assertThat(report.get("dateOrder").asString()).isEqualTo(dateOrder);
		assertThat(report.get("messages").asLong()).isEqualTo(messages);
		assertThat(report.get("events").asLong()).isEqualTo(events);
		assertThat(report.get("attachments").get("omitted").asLong()).isEqualTo(omitted);
		assertThat(report.get("quarantined").asLong()).isZero();
		assertThat(text).contains("format:        whatsapp").contains("messages:      " + messages);
		// inspect says what decided the date order
		assertThat(text).containsPattern("note: +date order (inferred|ambiguous): " + dateOrder);
	}

	@Test
	void runsThroughTheCliWithTheSourceBean() {
		// given
		String export = publicFixture("whatsapp-chat-parser-website/src/assets/whatsapp-chat-parser-example.zip")
			.toString();

		// when
		InspectThroughCli run = InspectThroughCli.run(export, "--json", "zone=Europe/Rome");

		// then
		assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.COMPLETED.code());
		assertThat(run.out()).contains("\"format\" : \"whatsapp\"")
			.contains("\"messages\" : 97")
			.contains("\"first\" : \"2019-06-20T13:58:47Z\"");
	}

	private String run(String fixture, String... options) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		List<String> all = new ArrayList<>();
		all.add(publicFixture(fixture).toString());
		all.addAll(List.of(options));
		// A command instance takes the options of one invocation.
		ExitCode code = CommandDispatcher.execute(new InspectCommand(this.sources),
				new PrintStream(out, true, StandardCharsets.UTF_8), all.toArray(String[]::new));
		assertThat(code).isEqualTo(ExitCode.COMPLETED);
		return out.toString(StandardCharsets.UTF_8);
	}

}
