package io.chatvault.source.slack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.ConversationType;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceRecord;
import io.chatvault.message.SystemEventType;
import io.chatvault.message.Sha256;

import static io.chatvault.source.Fixtures.parsed;
import static io.chatvault.source.Fixtures.publicFixture;
import static io.chatvault.source.Fixtures.quarantined;
import static io.chatvault.source.Fixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

class SlackExportSourceTests {

	private final SlackExportSource source = new SlackExportSource();

	@TempDir
	Path dir;

	@Test
	void slackExportViewerArchiveHasItsCountedMessages() {
		// given
		Path zip = publicFixture("slack-export-viewer/tests/testarchive.zip");

		// when
		List<SourceRecord> records = readAll(this.source, zip);

		// then
		assertThat(this.source.accepts(zip)).isTrue();
		assertThat(quarantined(records)).isEmpty();
		List<ChatRecord> messages = parsed(records).stream()
			.filter((record) -> SlackExportReader.DAY_FILE.matcher(record.origin().entry()).matches())
			.toList();
		assertThat(messages).hasSize(158);
		Map<String, Long> subtypes = messages.stream()
			.collect(Collectors.groupingBy((record) -> record.extra().getOrDefault("subtype", "none"),
					Collectors.counting()));
		assertThat(subtypes).containsExactlyInAnyOrderEntriesOf(Map.of("bot_message", 94L, "none", 49L, "channel_join",
				8L, "bot_add", 3L, "file_share", 3L, "file_comment", 1L));
		assertThat(messages.stream().filter(ChatRecord::edited)).hasSize(1);
		assertThat(messages.stream().filter((record) -> !record.reactions().isEmpty())).singleElement()
			.satisfies((record) -> assertThat(record.reactions().get(0).emoji()).isEqualTo("botman"));
		assertThat(messages.stream().filter((record) -> record.kind() == RecordKind.SYSTEM_EVENT)).hasSize(11);
		assertThat(messages.stream()
			.filter((record) -> record.event() != null && record.event().type() == SystemEventType.JOINED)).hasSize(8);
		assertThat(parsed(records).stream().filter((record) -> record.origin().entry().equals("integration_logs.json")))
			.hasSize(30);
	}

	@Test
	void slackExportViewerMapsAuthorsChannelsAndLegacyFiles() {
		// when
		List<ChatRecord> records = parsed(
				readAll(this.source, publicFixture("slack-export-viewer/tests/testarchive.zip")));

		// then
		ChatRecord first = records.stream()
			.filter((record) -> record.origin().entry().equals("enrique/2016-01-15.json"))
			.findFirst()
			.orElseThrow();
		assertThat(first.conversation().id()).isEqualTo("C0JGLMMNX");
		assertThat(first.conversation().type()).isEqualTo(ConversationType.CHANNEL);
		assertThat(first.conversation().participants()).hasSize(4);
		assertThat(first.author().id()).isEqualTo("U0BMYT2FL");
		assertThat(first.author().displayName()).isEqualTo("Harry Potter");
		assertThat(first.platformMessageId()).isEqualTo("1452845865.000008");
		assertThat(first.sentAt()).hasToString("2016-01-15T08:17:45.000008Z");
		assertThat(first.body()).startsWith("what should setup.py do?");
		assertThat(first.rawSha256()).hasSize(64);
		List<ChatRecord> shares = records.stream()
			.filter((record) -> "file_share".equals(record.extra().get("subtype")))
			.toList();
		assertThat(shares).hasSize(3).allSatisfy((share) -> {
			assertThat(share.attachments()).singleElement().satisfies((attachment) -> {
				assertThat(attachment.status()).isEqualTo(AttachmentStatus.REFERENCE);
				assertThat(attachment.reference()).startsWith("https://files.slack.com/")
					.contains("t=REDACTED")
					.doesNotContain("xoxe");
			});
		});
		assertThat(shares.get(0).attachments().get(0).name()).isEqualTo("100_cities.js");
		assertThat(shares.get(0).attachments().get(0).size()).isEqualTo(4163);
		ChatRecord bot = records.stream()
			.filter((record) -> "bot_message".equals(record.extra().get("subtype")))
			.findFirst()
			.orElseThrow();
		assertThat(bot.author().id()).startsWith("B");
		assertThat(bot.extra()).containsKey("attachments");
	}

	@Test
	void langchainExportHasFourMessagesAndOneJoin() {
		// when
		List<SourceRecord> records = readAll(this.source,
				publicFixture("langchain-community/libs/community/tests/examples/slack_export.zip"));

		// then
		List<ChatRecord> dayRecords = parsed(records).stream()
			.filter((record) -> SlackExportReader.DAY_FILE.matcher(record.origin().entry()).matches())
			.toList();
		assertThat(quarantined(records)).isEmpty();
		assertThat(dayRecords).hasSize(5);
		assertThat(dayRecords).filteredOn((record) -> record.kind() == RecordKind.MESSAGE).hasSize(4);
		assertThat(dayRecords).filteredOn((record) -> record.kind() == RecordKind.SYSTEM_EVENT)
			.singleElement()
			.satisfies((join) -> assertThat(join.event().type()).isEqualTo(SystemEventType.JOINED));
		assertThat(dayRecords.get(0).conversation().name()).isIn("example-channel", "general", "random");
		assertThat(dayRecords).allSatisfy((record) -> assertThat(record.conversation().id()).matches("C[A-Z0-9]+"));
	}

	@Test
	void zulipThreadFixtureKeepsRootRepliesAndBroadcasts() throws IOException {
		// given
		Path export = this.dir.resolve("export");
		Files.createDirectories(export.resolve("random"));
		Files.writeString(export.resolve("channels.json"),
				"[{\"id\":\"C061A0WJG\",\"name\":\"random\",\"members\":[]}]");
		Files.copy(publicFixture(
				"zulip/zerver/tests/fixtures/slack_fixtures/exported_messages_fixtures/thread_with_broadcast_reply.json"),
				export.resolve("random/2015-06-12.json"));

		// when
		List<ChatRecord> records = parsed(readAll(this.source, export));

		// then
		assertThat(records).hasSize(3);
		ChatRecord root = records.get(0);
		assertThat(root.threadId()).isEqualTo(root.platformMessageId()).isEqualTo("1434139102.000002");
		assertThat(root.replyToId()).isNull();
		ChatRecord reply = records.get(1);
		assertThat(reply.threadId()).isEqualTo("1434139102.000002");
		assertThat(reply.replyToId()).isEqualTo("1434139102.000002");
		assertThat(reply.extra()).containsEntry("parent_user_id", "U061A5N1G");
		ChatRecord broadcast = records.get(2);
		assertThat(broadcast.kind()).isEqualTo(RecordKind.MESSAGE);
		assertThat(broadcast.extra()).containsEntry("subtype", "thread_broadcast").containsKey("root");
		assertThat(broadcast.replyToId()).isEqualTo("1434139102.000002");
		assertThat(records).allSatisfy((record) -> assertThat(record.conversation().id()).isEqualTo("C061A0WJG"));
	}

	@Test
	void zulipFilesFixtureMatchesFilesInTheExportAndReferencesTheRest() throws IOException {
		// given: the canvas's bytes are in the export, the snippet (named channels.json!)
		// is too but under its own id, and must not be read as metadata
		Path export = this.dir.resolve("export");
		Files.createDirectories(export.resolve("general"));
		Files.createDirectories(export.resolve("__uploads/F07A32DC2GG"));
		Files.createDirectories(export.resolve("__uploads/F07A2TVQ7C0"));
		Files.writeString(export.resolve("users.json"), "[{\"id\":\"U06NU4E26M9\",\"real_name\":\"Canvas Owner\"}]");
		Files.writeString(export.resolve("__uploads/F07A32DC2GG/Untitled"), "canvas bytes");
		Files.writeString(export.resolve("__uploads/F07A2TVQ7C0/channels.json"), "{\"not\": \"metadata\"}");
		Files.copy(publicFixture(
				"zulip/zerver/tests/fixtures/slack_fixtures/exported_messages_fixtures/message_with_variety_files_and_rich_text.json"),
				export.resolve("general/2024-06-24.json"));

		// when
		List<SourceRecord> records = readAll(this.source, export);

		// then
		assertThat(quarantined(records)).isEmpty();
		ChatRecord message = parsed(records).get(0);
		assertThat(message.platformMessageId()).isEqualTo("1772636065.551219");
		assertThat(message.author().displayName()).isEqualTo("Canvas Owner");
		assertThat(message.formattedBody()).contains("rich_text").contains("canvas");
		assertThat(message.extra()).containsKey("client_msg_id");
		assertThat(message.conversation().id()).isEqualTo("folder:general");
		assertThat(message.attachments()).hasSize(2);
		assertThat(message.attachments().get(0).status()).isEqualTo(AttachmentStatus.PRESENT);
		assertThat(message.attachments().get(0).mediaType()).isEqualTo("application/vnd.slack-docs");
		assertThat(message.attachments().get(0).sha256())
			.isEqualTo(Sha256.hex("canvas bytes".getBytes(StandardCharsets.UTF_8)));
		try (InputStream in = message.attachments().get(0).content().open()) {
			assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("canvas bytes");
		}
		assertThat(message.attachments().get(1).name()).isEqualTo("channels.json");
		assertThat(message.attachments().get(1).status()).isEqualTo(AttachmentStatus.PRESENT);
		assertThat(message.attachments().get(1).reference()).contains("token=REDACTED");
	}

	@Test
	void editsDeletionsTombstonesAndChannelEventsArriveInTheModel() throws IOException {
		// given
		Map<String, String> entries = new LinkedHashMap<>();
		entries.put("users.json", "[{\"id\":\"U1\",\"name\":\"ann\",\"real_name\":\"Ann\"},"
				+ "{\"id\":\"U2\",\"name\":\"bob\",\"profile\":{\"display_name\":\"Bobby\"}}]");
		entries.put("channels.json",
				"[{\"id\":\"C1\",\"name\":\"deals\",\"created\":\"1600000000\",\"members\":[\"U1\",\"U2\"]}]");
		entries.put("deals/2020-09-13.json",
				"""
						[
						 {"type":"message","user":"U1","text":"price is 10","ts":"1600000001.000100"},
						 {"type":"message","subtype":"message_changed","hidden":true,"ts":"1600000050.000200",
						  "message":{"type":"message","user":"U1","text":"price is 12","ts":"1600000001.000100",
						             "edited":{"user":"U1","ts":"1600000050.000000"}},
						  "previous_message":{"type":"message","user":"U1","text":"price is 10","ts":"1600000001.000100"}},
						 {"type":"message","subtype":"message_deleted","hidden":true,"deleted_ts":"1600000001.000100",
						  "ts":"1600000060.000300","previous_message":{"user":"U1","text":"price is 12","ts":"1600000001.000100"}},
						 {"type":"message","subtype":"tombstone","user":"USLACKBOT","text":"This message was deleted.",
						  "ts":"1600000070.000400","thread_ts":"1600000070.000400","reply_count":2},
						 {"type":"message","subtype":"channel_topic","user":"U2","topic":"Q3 deals","text":"set the channel topic: Q3 deals","ts":"1600000080.000500"},
						 {"type":"message","subtype":"channel_purpose","user":"U2","purpose":"Trading","text":"set the channel purpose: Trading","ts":"1600000081.000500"},
						 {"type":"message","subtype":"channel_name","user":"U2","old_name":"deal","name":"deals","text":"renamed","ts":"1600000082.000500"},
						 {"type":"message","subtype":"channel_leave","user":"U2","text":"<@U2> has left the channel","ts":"1600000083.000500"},
						 {"type":"message","user":"U2","text":"ok","ts":"1600000090.000600",
						  "reactions":[{"name":"+1","users":["U1"],"count":1},{"name":"fire","users":["U1"],"count":5}],
						  "edited":{"user":"U2","ts":"1600000091.000000"},"x_future_field":{"a":1}}
						]""");

		// when
		List<ChatRecord> records = parsed(readAll(this.source, zip("fidelity.zip", entries)));

		// then
		assertThat(records).extracting(ChatRecord::kind)
			.containsExactly(RecordKind.MESSAGE, RecordKind.EDIT, RecordKind.DELETION, RecordKind.MESSAGE,
					RecordKind.SYSTEM_EVENT, RecordKind.SYSTEM_EVENT, RecordKind.SYSTEM_EVENT, RecordKind.SYSTEM_EVENT,
					RecordKind.MESSAGE);
		ChatRecord edit = records.get(1);
		assertThat(edit.targetMessageId()).isEqualTo("1600000001.000100");
		assertThat(edit.body()).isEqualTo("price is 12");
		assertThat(edit.edits()).singleElement().satisfies((e) -> {
			assertThat(e.previousBody()).isEqualTo("price is 10");
			assertThat(e.editedBy().displayName()).isEqualTo("Ann");
			assertThat(e.editedAt()).hasToString("2020-09-13T12:27:30Z");
		});
		ChatRecord deletion = records.get(2);
		assertThat(deletion.targetMessageId()).isEqualTo("1600000001.000100");
		assertThat(deletion.deleted()).isTrue();
		assertThat(deletion.extra().get("previous_message")).contains("price is 12");
		assertThat(records.get(3).deleted()).isTrue();
		assertThat(records.get(3).deletion().notice()).isEqualTo("This message was deleted.");
		assertThat(records.subList(4, 8)).extracting((record) -> record.event().type())
			.containsExactly(SystemEventType.TOPIC_CHANGED, SystemEventType.PURPOSE_CHANGED, SystemEventType.RENAMED,
					SystemEventType.LEFT);
		assertThat(records.get(4).event().detail()).isEqualTo("Q3 deals");
		assertThat(records.get(6).event().detail()).isEqualTo("deals");
		assertThat(records.get(6).extra()).containsEntry("old_name", "deal");
		assertThat(records.get(7).event().subject().displayName()).isEqualTo("Bobby");
		ChatRecord reacted = records.get(8);
		assertThat(reacted.reactions()).extracting((reaction) -> reaction.emoji() + "/" + reaction.by().id())
			.containsExactly("+1/U1", "fire/U1");
		assertThat(reacted.extra()).containsKey("reactions").containsEntry("x_future_field", "{\"a\":1}");
		assertThat(reacted.edited()).isTrue();
	}

	@Test
	void enterpriseGridExportsResolveNestedTeamsDirectMessagesAndGroups() throws IOException {
		// given
		Map<String, String> entries = new LinkedHashMap<>();
		entries.put("org_users.json",
				"[{\"id\":\"W1\",\"real_name\":\"Grid Ann\"},{\"id\":\"W2\",\"real_name\":\"Grid Bob\"}]");
		entries.put("dms.json", "[{\"id\":\"D1\",\"members\":[\"W1\",\"W2\"],\"created\":1600000000}]");
		entries.put("mpims.json", "[{\"id\":\"G9\",\"name\":\"mpdm-ann--bob-1\",\"members\":[\"W1\",\"W2\"]}]");
		entries.put("D1/2020-09-13.json", "[{\"user\":\"W1\",\"text\":\"dm\",\"ts\":\"1600000001.000001\"}]");
		entries.put("mpdm-ann--bob-1/2020-09-13.json",
				"[{\"user\":\"W2\",\"text\":\"group\",\"ts\":\"1600000002.000001\"}]");
		entries.put("teams/T1/channels.json", "[{\"id\":\"C7\",\"name\":\"general\"}]");
		entries.put("teams/T1/groups.json", "[{\"id\":\"G7\",\"name\":\"secret\"}]");
		entries.put("teams/T1/general/2020-09-13.json",
				"[{\"user\":\"W1\",\"text\":\"team\",\"ts\":\"1600000003.000001\"}]");
		entries.put("teams/T1/secret/2020-09-13.json",
				"[{\"user\":\"W2\",\"text\":\"private\",\"ts\":\"1600000004.000001\"}]");
		Path zip = zip("grid.zip", entries);

		// when
		List<ChatRecord> records = parsed(readAll(this.source, zip));

		// then
		assertThat(this.source.accepts(zip)).isTrue();
		Map<String, ChatRecord> byBody = records.stream()
			.collect(Collectors.toMap(ChatRecord::body, Function.identity()));
		assertThat(byBody.get("dm").conversation().id()).isEqualTo("D1");
		assertThat(byBody.get("dm").conversation().type()).isEqualTo(ConversationType.DIRECT);
		assertThat(byBody.get("dm").conversation().name()).isEqualTo("Grid Ann, Grid Bob");
		assertThat(byBody.get("group").conversation().type()).isEqualTo(ConversationType.GROUP);
		assertThat(byBody.get("team").conversation().id()).isEqualTo("C7");
		assertThat(byBody.get("private").conversation().type()).isEqualTo(ConversationType.PRIVATE_CHANNEL);
		assertThat(byBody.get("private").author().displayName()).isEqualTo("Grid Bob");
	}

	@Test
	void hostileAndMalformedInputIsQuarantinedAndTheRestIsRead() throws IOException {
		// given
		Map<String, String> entries = new LinkedHashMap<>();
		entries.put("channels.json", "[{\"id\":\"C1\",\"name\":\"general\"}, {\"name\":\"no id\"}]");
		entries.put("../escape/2020-01-01.json", "[]");
		entries.put("general/2020-01-01.json",
				"[{\"user\":\"U1\",\"text\":\"a\",\"ts\":\"1.0\"}, {\"user\":\"U1\",\"text\": broken}, 42, "
						+ "{\"user\":\"U1\",\"text\":\"no ts\"}, {\"user\":\"U1\",\"ts\":\"soon\"}, {\"user\":\"U1\",\"text\":\"b\",\"ts\":\"2.0\"}]");
		entries.put("general/2020-01-02.json",
				"[{\"user\":\"U1\",\"text\":\"c\",\"ts\":\"3.0\"}, {\"user\":\"U1\",\"te");

		// when
		List<SourceRecord> records = readAll(this.source, zip("hostile.zip", entries));

		// then
		assertThat(parsed(records)).extracting(ChatRecord::body).containsExactly("a", "b", "c");
		List<QuarantinedRecord> quarantined = quarantined(records);
		assertThat(quarantined).extracting((record) -> record.origin().toString())
			.containsExactly(this.dir.resolve("hostile.zip") + "!../escape/2020-01-01.json:1",
					this.dir.resolve("hostile.zip") + "!channels.json:2",
					this.dir.resolve("hostile.zip") + "!general/2020-01-01.json:2",
					this.dir.resolve("hostile.zip") + "!general/2020-01-01.json:3",
					this.dir.resolve("hostile.zip") + "!general/2020-01-01.json:4",
					this.dir.resolve("hostile.zip") + "!general/2020-01-01.json:5",
					this.dir.resolve("hostile.zip") + "!general/2020-01-02.json:2");
		assertThat(quarantined.get(0).reason()).contains("'..'");
		assertThat(quarantined.get(2).reason()).startsWith("invalid JSON");
		assertThat(new String(quarantined.get(2).raw(), StandardCharsets.UTF_8))
			.isEqualTo("{\"user\":\"U1\",\"text\": broken}");
		assertThat(quarantined.get(3).reason()).contains("expected a message object");
		assertThat(quarantined.get(4).reason()).contains("without a ts");
		assertThat(quarantined.get(5).reason()).contains("invalid ts 'soon'");
		assertThat(quarantined.get(6).reason()).contains("ends inside this record");
	}

	@Test
	void unknownNestedArrayOfMessagesIsQuarantinedNotDropped() throws IOException {
		// given: a message carrying copies of messages in a field no mapper knows, beside
		// the old exports' reply pointers and a shared message in its attachments
		Map<String, String> entries = new LinkedHashMap<>();
		entries.put("channels.json", "[{\"id\":\"C1\",\"name\":\"general\"}]");
		entries.put("general/2020-01-01.json", """
				[{"type":"message","user":"U1","text":"root","ts":"1.0","thread_ts":"1.0",
				  "replies":[{"user":"U2","ts":"2.0"}],
				  "attachments":[{"is_share":true,"ts":"0.5","text":"shared from elsewhere","author_id":"U3"}],
				  "x_thread_copy":[{"type":"message","user":"U2","text":"copied reply","ts":"2.0"}]}]""");

		// when
		List<SourceRecord> records = readAll(this.source, zip("nested.zip", entries));

		// then
		assertThat(parsed(records)).extracting(ChatRecord::body).containsExactly("root");
		assertThat(quarantined(records)).singleElement().satisfies((q) -> {
			assertThat(q.origin().toString()).isEqualTo(this.dir.resolve("nested.zip") + "!general/2020-01-01.json:1");
			assertThat(q.reason()).isEqualTo("message-shaped object 1 of 1 in the array 'x_thread_copy' of message 1.0,"
					+ " which the slack reader does not read as records: quarantined so that it is not lost");
			assertThat(new String(q.raw(), StandardCharsets.UTF_8)).contains("copied reply");
		});
	}

	@Test
	void acceptsOnlySlackExports() {
		assertThat(this.source.accepts(publicFixture("pywa/tests/data/updates/message.json"))).isFalse();
		assertThat(this.source.accepts(publicFixture("zulip"))).isFalse();
	}

	private Path zip(String name, Map<String, String> entries) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream out = new ZipOutputStream(bytes)) {
			for (Map.Entry<String, String> entry : entries.entrySet()) {
				out.putNextEntry(new ZipEntry(entry.getKey()));
				out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
				out.closeEntry();
			}
		}
		Path zip = this.dir.resolve(name);
		Files.write(zip, bytes.toByteArray());
		return zip;
	}

}
