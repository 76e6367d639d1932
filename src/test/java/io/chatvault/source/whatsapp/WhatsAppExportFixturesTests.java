package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.ConversationType;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SystemEventType;
import io.chatvault.source.DateOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The facts of ../shared/fixtures/public/SOURCES.md, asserted on the real exports copied
 * into src/test/resources/fixtures/public (see SOURCES-whatsapp.md there).
 */
class WhatsAppExportFixturesTests {

	private static final String CHAT_MINER = "chat-miner/test/whatsapp/";

	@ParameterizedTest
	@CsvSource({ "test_ddmmyy_24hrs.txt, DAY_FIRST", "test_mmddyy_24hrs.txt, MONTH_FIRST",
			"test_mmddyyyy_12hrs.txt, MONTH_FIRST", "test_yyyymmdd_24hrs.txt, YEAR_FIRST",
			"test_[mmddyy]_24hrs.txt, MONTH_FIRST" })
	void chatMinerFilesKeepEveryEntryWithTwoAsEvents(String file, DateOrder order) throws IOException {
		// given
		JsonNode target = JsonMapper.builder()
			.build()
			.readTree(Files.readString(ExportFixture.resource(CHAT_MINER + "target.json")));

		// when
		ExportFixture export = ExportFixture.read(CHAT_MINER + file);

		// then
		assertThat(export.description().dateOrder()).isEqualTo(order);
		assertThat(export.description().notes().get(0)).startsWith("date order inferred: ");
		assertThat(export.quarantined()).isEmpty();
		// SOURCES.md says 10 entries, 8 with an author; the files hold 9 header lines
		// (11 lines, 2 of them continuations): target.json's 6, "John Doe:." and the 2
		// system lines.
		assertThat(export.records()).hasSize(9);
		assertThat(export.messages()).hasSize(7);
		assertThat(export.events()).extracting((e) -> e.event().type(), ChatRecord::body)
			.containsExactly(tuple(SystemEventType.CREATED, "+12 345 578 created group \"Groupname\""),
					tuple(SystemEventType.ADDED, "You were added"));
		assertThat(export.events().get(0).sentAt()).isEqualTo(Instant.parse("2020-06-20T00:08:00Z"));
		assertThat(export.messages()).extracting((m) -> m.author().displayName(), ChatRecord::body)
			.contains(tuple("John Doe", "."), tuple("John-John Doe", "Lorem ipsum : dolor sit amet."),
					tuple("🤓", "Lorem ipsum 🤓"), tuple("John Doe 🤓", "Lorem ipsum 🤓"),
					tuple("Jahn Doe", "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero."));
		// chat-miner's own expected parse: the 6 messages it keeps (continuation lines
		// joined with a space there, with a newline here)
		for (JsonNode expected : target) {
			Instant at = Instant.parse(expected.get("timestamp").asString() + "Z");
			assertThat(export.messages()).anySatisfy((m) -> {
				assertThat(m.sentAt()).isEqualTo(at);
				assertThat(m.author().displayName()).isEqualTo(expected.get("author").asString());
				assertThat(m.body().replace('\n', ' ')).isEqualTo(expected.get("message").asString());
			});
		}
		assertThat(export.chatRecords()).allSatisfy((r) -> {
			assertThat(r.conversation().name()).isEqualTo("Groupname");
			assertThat(r.conversation().type()).isEqualTo(ConversationType.GROUP);
			assertThat(r.zone()).isEqualTo("Z");
		});
		assertThat(export.linesAccountedFor()).isEqualTo(11);
	}

	@Test
	void dateOrderInferenceNamesItsEvidence() {
		// when
		ExportFixture export = ExportFixture.read(CHAT_MINER + "test_ddmmyy_24hrs.txt");

		// then
		assertThat(export.description().notes().get(0))
			.isEqualTo("date order inferred: day-first (20/01/19, 11:23 at line 2)");
	}

	@Test
	void chatMinerFilesOfOneChatYieldTheSameIdentities() {
		// given
		List<String> files = List.of("test_ddmmyy_24hrs.txt", "test_mmddyyyy_12hrs.txt", "test_yyyymmdd_24hrs.txt",
				"test_[mmddyy]_24hrs.txt");

		// when
		List<List<String>> ids = files.stream()
			.map((f) -> ExportFixture.read(CHAT_MINER + f)
				.chatRecords()
				.stream()
				.map(io.chatvault.message.MessageIdentity::of)
				.toList())
			.toList();

		// then
		assertThat(ids).allSatisfy((list) -> assertThat(list).isEqualTo(ids.get(0)));
		assertThat(ids.get(0)).doesNotHaveDuplicates();
	}

	@Test
	void langchainExampleMixesHeaderVariantsInOneFile() {
		// when
		ExportFixture export = ExportFixture
			.read("langchain-community/libs/community/tests/examples/whatsapp_chat.txt");

		// then
		assertThat(export.description().dateOrder()).isEqualTo(DateOrder.MONTH_FIRST);
		assertThat(export.description().notes().get(0)).contains("month-first").contains("1/23/23").contains("line 3");
		assertThat(export.quarantined()).isEmpty();
		List<ChatRecord> messages = export.messages();
		assertThat(messages).hasSize(10);
		assertThat(messages).extracting((m) -> m.author().displayName(), ChatRecord::body, ChatRecord::sentAt)
			.startsWith(tuple("James", "Hi here", Instant.parse("2023-05-05T15:48:11Z")),
					tuple("User name", "Message 123", Instant.parse("2021-11-08T09:41:32Z")),
					tuple("User 2", "Bye!", Instant.parse("2023-01-23T03:19:00Z")),
					tuple("User 1", "And let me know if anything changes", Instant.parse("2023-01-23T03:22:00Z")),
					tuple("User name 2", "Of course!", Instant.parse("2021-01-24T12:41:03Z")),
					tuple("User 2", "See you!", Instant.parse("2023-05-04T16:13:23Z")),
					tuple("User 1", "Hello", Instant.parse("2022-07-19T23:32:00Z")),
					tuple("User 2", "Goodbye", Instant.parse("2022-07-20T11:32:00Z")));
		assertThat(messages.get(4).extra()).containsEntry("nonContact", "true");
		assertThat(messages.get(5).extra()).containsEntry("nonContact", "true");
		assertThat(messages.get(8).attachments()).singleElement()
			.satisfies((a) -> assertThat(a.status()).isEqualTo(AttachmentStatus.OMITTED));
		assertThat(messages.get(8).body()).isEmpty();
		assertThat(messages.get(9).deleted()).isTrue();
		assertThat(messages.get(9).deletion().notice()).isEqualTo("This message was deleted");
		assertThat(export.linesAccountedFor()).isEqualTo(10);
	}

	@Test
	void langchainChatLoaderFileHasAnEncryptionNoticeAttributedToAContact() {
		// when
		ExportFixture export = ExportFixture
			.read("langchain-community/libs/community/tests/unit_tests/chat_loaders/data/whatsapp_chat.txt");

		// then
		assertThat(export.records()).hasSize(12);
		assertThat(export.quarantined()).isEmpty();
		ChatRecord notice = export.chatRecords().get(0);
		assertThat(notice.kind()).isEqualTo(RecordKind.SYSTEM_EVENT);
		assertThat(notice.event().type()).isEqualTo(SystemEventType.ENCRYPTION_NOTICE);
		// iOS heads the notice with the chat's name: kept as attributedTo, not as an
		// author
		assertThat(notice.author()).isNull();
		assertThat(notice.extra()).containsEntry("attributedTo", "Dr. Feather")
			.containsEntry("notice", "encryption")
			.containsEntry("noticeCatalogue", "en-android,en-ios");
		assertThat(notice.body()).startsWith("Messages and calls are end-to-end encrypted.");
		assertThat(export.messages().get(0).body())
			.contains("I spotted a rare Hyacinth Macaw yesterday in the Amazon Rainforest.");
		assertThat(export.chatRecords()).filteredOn((r) -> r.author() != null)
			.extracting((r) -> r.author().displayName())
			.filteredOn("Dr. Feather"::equals)
			.hasSize(7);
		assertThat(export.messagesByAuthor()).containsEntry("Jungle Jane", 4L).containsEntry("Dr. Feather", 7L);
		assertThat(export.messages()).filteredOn((m) -> !m.attachments().isEmpty())
			.hasSize(3)
			.allSatisfy((m) -> assertThat(m.attachments().get(0).status()).isEqualTo(AttachmentStatus.OMITTED));
		assertThat(export.chatRecords().get(11).sentAt()).isEqualTo(Instant.parse("2023-08-15T21:25:16Z"));
		assertThat(export.chatRecords().get(0).conversation().type()).isEqualTo(ConversationType.DIRECT);
	}

	@Test
	void websiteZipIsARealIosExportWithCrlfAndThreeSystemLines() {
		// when
		ExportFixture export = ExportFixture
			.read("whatsapp-chat-parser-website/src/assets/whatsapp-chat-parser-example.zip");

		// then
		assertThat(export.description().dateOrder()).isEqualTo(DateOrder.DAY_FIRST);
		assertThat(export.quarantined()).isEmpty();
		assertThat(export.records()).hasSize(100);
		assertThat(export.messages()).hasSize(97);
		assertThat(export.messagesByAuthor()).isEqualTo(Map.of("Loris", 51L, "Emily", 36L, "John", 10L));
		assertThat(export.events()).extracting((e) -> e.event().type())
			.containsExactly(SystemEventType.ENCRYPTION_NOTICE, SystemEventType.CREATED, SystemEventType.ADDED);
		assertThat(export.events().get(0).author()).isNull();
		assertThat(export.events().get(0).body())
			.isEqualTo("Messages to this group are now secured with end-to-end encryption.");
		long continuationLines = export.linesAccountedFor() - export.records().size();
		assertThat(continuationLines).isEqualTo(6);
		assertThat(export.messages()).allSatisfy((m) -> assertThat(m.body()).doesNotContain("\r"));
		ChatRecord first = export.chatRecords().get(0);
		assertThat(first.origin().entry()).isEqualTo("_chat.txt");
		assertThat(first.conversation().name()).isEqualTo("WhatsApp Chat Parser Example");
		assertThat(first.conversation().type()).isEqualTo(ConversationType.GROUP);
		assertThat(first.sentAt()).isEqualTo(Instant.parse("2019-06-20T15:58:47Z"));
		assertThat(export.messages()).anySatisfy(
				(m) -> assertThat(m.body()).isEqualTo("It was just a suggestion\nIf you want we can change place\n"
						+ "Have you ever been to <insert cool place here>?"));
	}

	@Test
	void rubySampleMixesAndroidAndIosLines() {
		// when
		ExportFixture export = ExportFixture.read("whatsapp-chat-parser-rb/spec/fixtures/files/sample.txt");

		// then
		List<ChatRecord> records = export.chatRecords();
		assertThat(export.quarantined()).isEmpty();
		assertThat(records).hasSize(7);
		assertThat(records.get(0).author().displayName()).isEqualTo("John Doe");
		assertThat(records.get(1).body())
			.isEqualTo("Hi John! This is another Android message.\nIt has multiple lines\nto test grouping.");
		assertThat(records.get(2).author().displayName()).isEqualTo("Alice");
		assertThat(records.get(2).sentAt()).isEqualTo(Instant.parse("2025-12-15T10:32:03Z"));
		assertThat(records.get(4).author().displayName()).isEqualTo("Charlie");
		assertThat(records.get(4).body()).isEqualTo("iOS message without brackets.");
		assertThat(records.get(5).kind()).isEqualTo(RecordKind.SYSTEM_EVENT);
		assertThat(records.get(6).author()).isNull();
		assertThat(records.get(6).kind()).isEqualTo(RecordKind.SYSTEM_EVENT);
		assertThat(records.get(6).body()).isEqualTo("Note System message on iOS.");
		assertThat(export.linesAccountedFor()).isEqualTo(11);
	}

	@Test
	void legacy2012FormHasAColonAfterTheTime() {
		// when
		ExportFixture export = ExportFixture.read("whatsapp-parser/test/testChat2.txt");

		// then
		assertThat(export.quarantined()).isEmpty();
		assertThat(export.messages()).hasSize(9);
		assertThat(export.messagesByAuthor()).isEqualTo(Map.of("UsernameOne", 4L, "UsernameTwo", 5L));
		assertThat(export.messages().get(0).body()).isEqualTo("Hello, world.");
		assertThat(export.messages().get(0).sentAt()).isEqualTo(Instant.parse("2012-12-09T17:02:35Z"));
		assertThat(export.messages().get(8).body()).isEqualTo("Test Initiation with exclam!!!");
		// 09/12/2012 then 11/12/2012: the first field changes, so it is the day
		assertThat(export.description().notes().get(0)).startsWith("date order inferred: day-first (no field above 12;")
			.contains("the first field changed 1 times and the second 0 times");
	}

}
