package io.chatvault.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.slack.SlackExportSource;
import io.chatvault.source.teams.TeamsGraphSource;
import io.chatvault.source.whatsappcloud.WhatsAppCloudSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key written twice in one JSON object gives a record two readings (which author, which
 * id, which text?). No later value wins silently: the record is quarantined with its raw
 * bytes and a reason naming the key, and the records around it are read as usual.
 */
class JsonDuplicateKeysTests {

	@TempDir
	Path dir;

	@Test
	void aSlackMessageWithTwoAuthorsIsQuarantined() throws IOException {
		// given
		String forged = "{\"type\":\"message\",\"user\":\"U1\",\"user\":\"U2\",\"text\":\"who said it?\","
				+ "\"ts\":\"1700000001.000100\"}";
		Files.writeString(this.dir.resolve("channels.json"), "[{\"id\":\"C1\",\"name\":\"general\"}]");
		Files.createDirectories(this.dir.resolve("general"));
		Files.writeString(this.dir.resolve("general/2023-11-14.json"),
				"[{\"type\":\"message\",\"user\":\"U1\",\"text\":\"before\",\"ts\":\"1700000000.000100\"},\n" + forged
						+ ",\n{\"type\":\"message\",\"user\":\"U1\",\"text\":\"after\",\"ts\":\"1700000002.000100\"}]");

		// when
		List<SourceRecord> records = Fixtures.readAll(new SlackExportSource(), this.dir);

		// then
		assertThat(Fixtures.parsed(records)).extracting(ChatRecord::body).containsExactly("before", "after");
		assertDuplicateQuarantined(records, "user", forged);
	}

	@Test
	void aTeamsMessageWithTwoTextsIsQuarantined() throws IOException {
		// given: an array of chatMessages, the second with two bodies
		String forged = "{\"id\":\"2\",\"messageType\":\"message\",\"createdDateTime\":\"2024-05-01T10:01:00Z\","
				+ "\"chatId\":\"19:c@thread.v2\",\"body\":{\"contentType\":\"text\",\"content\":\"real\"},"
				+ "\"body\":{\"contentType\":\"text\",\"content\":\"forged\"}}";
		Path file = write("messages.json",
				"[{\"id\":\"1\",\"messageType\":\"message\",\"createdDateTime\":\"2024-05-01T10:00:00Z\","
						+ "\"chatId\":\"19:c@thread.v2\",\"body\":{\"contentType\":\"text\",\"content\":\"fine\"}},"
						+ forged + "]");

		// when
		List<SourceRecord> records = Fixtures.readAll(new TeamsGraphSource(), file);

		// then
		assertThat(Fixtures.parsed(records)).extracting(ChatRecord::body).containsExactly("fine");
		assertDuplicateQuarantined(records, "body", forged);
	}

	@Test
	void aWebhookBodyWhoseMessageHasTwoIdsIsQuarantined() throws IOException {
		// given: two deliveries as JSON lines, the second naming two message ids
		String good = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
				+ "\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"P1\"},"
				+ "\"messages\":[{\"from\":\"C1\",\"id\":\"wamid.1\",\"timestamp\":\"1700000001\",\"type\":\"text\","
				+ "\"text\":{\"body\":\"hello\"}}]}}]}]}";
		String forged = good.replace("\"id\":\"wamid.1\"", "\"id\":\"wamid.1\",\"id\":\"wamid.2\"")
			.replace("hello", "forged");
		Path file = write("capture.jsonl", good + "\n" + forged + "\n");

		// when
		List<SourceRecord> records = Fixtures.readAll(new WhatsAppCloudSource(), file);

		// then
		assertThat(Fixtures.parsed(records)).extracting(ChatRecord::body).containsExactly("hello");
		assertDuplicateQuarantined(records, "id", forged);
	}

	private static void assertDuplicateQuarantined(List<SourceRecord> records, String key, String raw) {
		List<QuarantinedRecord> quarantined = Fixtures.quarantined(records);
		assertThat(quarantined).singleElement().satisfies((q) -> {
			assertThat(q.reason()).isEqualTo("duplicate key \"" + key + "\" in one JSON object: a later value would "
					+ "silently replace the first, so neither is taken as the record");
			assertThat(new String(q.raw(), StandardCharsets.UTF_8).strip()).isEqualTo(raw);
		});
	}

	private Path write(String name, String text) throws IOException {
		Path file = this.dir.resolve(name);
		Files.writeString(file, text);
		return file;
	}

}
