package io.chatvault.source.teams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Participant;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceRecord;
import io.chatvault.message.SystemEventType;

import static io.chatvault.source.Fixtures.parsed;
import static io.chatvault.source.Fixtures.publicFixture;
import static io.chatvault.source.Fixtures.quarantined;
import static io.chatvault.source.Fixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

class TeamsGraphSourceTests {

	static final String CHANNEL_FILE = "zulip/zerver/tests/fixtures/microsoft_teams_fixtures/TeamsData_ZulipChat/teams/"
			+ "002145f2-eaba-4962-997d-6d841a9f50af/messages_002145f2-eaba-4962-997d-6d841a9f50af.json";

	static final String USER_FILE = "zulip/zerver/tests/fixtures/microsoft_teams_fixtures/TeamsData_ZulipChat/users/"
			+ "88cbf3c2-0810-4d32-aa19-863c12bf7be9/messages_88cbf3c2-0810-4d32-aa19-863c12bf7be9.json";

	private final TeamsGraphSource source = new TeamsGraphSource();

	@TempDir
	Path dir;

	@Test
	void zulipChannelFileHasReactionsReferencesAndASystemEvent() {
		// given
		Path file = publicFixture(CHANNEL_FILE);

		// when
		List<SourceRecord> records = readAll(this.source, file);

		// then
		assertThat(this.source.accepts(file)).isTrue();
		assertThat(quarantined(records)).isEmpty();
		List<ChatRecord> items = parsed(records);
		assertThat(items).hasSize(3);
		ChatRecord emojis = items.get(0);
		assertThat(emojis.extra()).containsEntry("subject", "Custom emojis");
		assertThat(emojis.reactions()).hasSize(2)
			.allSatisfy((reaction) -> assertThat(reaction.by().displayName()).isEqualTo("Pieter K"));
		assertThat(emojis.reactions().get(0).emoji()).isEqualTo("custom");
		assertThat(emojis.reactions().get(0).at()).hasToString("2025-10-13T06:41:47Z");
		assertThat(emojis.extra().get("messageHistory")).contains("reactionAdded");
		assertThat(emojis.formattedBody()).contains("<customemoji");
		assertThat(emojis.body()).isEqualTo("notif-botzlp-logo");
		assertThat(emojis.conversation().type()).isEqualTo(ConversationType.CHANNEL);
		assertThat(emojis.conversation().id())
			.isEqualTo("19:9OOyLpkB8mEaoB17Z5CJx-RDBuMCZ5IZfuZVTCV97Bg1@thread.tacv2");
		assertThat(emojis.threadId()).isEqualTo(emojis.platformMessageId());
		assertThat(emojis.sentAt()).hasToString("2025-10-01T12:15:58.611Z");
		ChatRecord files = items.get(1);
		assertThat(files.extra()).containsEntry("subject", "File objects");
		assertThat(files.attachments()).hasSize(9).allSatisfy((attachment) -> {
			assertThat(attachment.status()).isEqualTo(AttachmentStatus.REFERENCE);
			assertThat(attachment.reference()).startsWith("https://zulipchat.sharepoint.com/");
		});
		assertThat(files.attachments().get(0).name()).isEqualTo("wp12245700.jpg");
		assertThat(files.attachments().get(0).mediaType()).isEqualTo("image/jpeg");
		ChatRecord event = items.get(2);
		assertThat(event.kind()).isEqualTo(RecordKind.SYSTEM_EVENT);
		assertThat(event.author()).isNull();
		assertThat(event.event().type()).isEqualTo(SystemEventType.OTHER);
		assertThat(event.extra().get("eventDetail")).contains("88cbf3c2-0810-4d32-aa19-863c12bf7be9");
	}

	@Test
	void zulipUserFileHasItsMessagesEventsAuthorsAndChats() {
		// when
		List<ChatRecord> items = parsed(readAll(this.source, publicFixture(USER_FILE)));

		// then
		assertThat(items).hasSize(9);
		assertThat(items).filteredOn((item) -> item.kind() == RecordKind.MESSAGE).hasSize(6);
		assertThat(items).filteredOn((item) -> item.kind() == RecordKind.SYSTEM_EVENT).hasSize(3);
		Map<String, Long> authors = items.stream()
			.collect(Collectors.groupingBy(
					(item) -> item.optionalAuthor().map(Participant::displayName).orElse("(none)"),
					Collectors.counting()));
		assertThat(authors).containsExactlyInAnyOrderEntriesOf(Map.of("Pieter K", 4L, "Will Begon", 2L, "(none)", 3L));
		Map<String, ConversationType> chats = items.stream()
			.collect(Collectors.toMap((item) -> item.conversation().id(), (item) -> item.conversation().type(),
					(a, b) -> a));
		assertThat(chats).hasSize(3);
		assertThat(chats.values()).containsExactlyInAnyOrder(ConversationType.DIRECT, ConversationType.DIRECT,
				ConversationType.GROUP);
		assertThat(items).filteredOn(ChatRecord::edited).singleElement().satisfies((edited) -> {
			assertThat(edited.body()).isEqualTo("Adding more DM message samples");
			assertThat(edited.edits().get(0).editedAt()).hasToString("2025-08-12T13:23:40.930Z");
		});
		assertThat(items.get(0).body()).isEqualTo("I'm in!");
		assertThat(items.get(0).formattedBody()).isEqualTo("<p>I'm in!</p>");
		assertThat(items).filteredOn((item) -> !item.attachments().isEmpty())
			.singleElement()
			.satisfies((item) -> assertThat(item.attachments().get(0).reference()).contains("/hostedContents/")
				.endsWith("/$value"));
		assertThat(items).filteredOn((item) -> item.kind() == RecordKind.MESSAGE)
			.allSatisfy((item) -> assertThat(item.extra()).containsEntry("subject", ""));
	}

	@Test
	void camelCasePagesInADirectoryCarryDeletionsRepliesMentionsAndMembershipEvents() throws IOException {
		// given: two REST pages, one file that is not a message list, one broken message
		Path export = Files.createDirectories(this.dir.resolve("chat"));
		Files.writeString(export.resolve("page-1.json"),
				"""
						{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#chats('19%3Aabc%40thread.v2')/messages",
						 "@odata.nextLink":"https://graph.microsoft.com/v1.0/chats/19:abc@thread.v2/messages?$skiptoken=x",
						 "value":[
						  {"id":"1","messageType":"message","createdDateTime":"2024-05-01T10:00:00Z","chatId":"19:abc@thread.v2",
						   "from":{"user":{"id":"u1","displayName":"Ann"}},
						   "body":{"contentType":"html","content":"<p>Hi <at id=\\"0\\">Bob</at> &amp; all</p><p>see <img src=\\"https://graph.microsoft.com/v1.0/chats/19:abc@thread.v2/messages/1/hostedContents/aW1n/$value\\"></p>"},
						   "mentions":[{"id":0,"mentionText":"Bob","mentioned":{"user":{"id":"u2","displayName":"Bob"}}}],
						   "attachments":[{"id":"a1","contentType":"reference","contentUrl":"https://x.sharepoint.com/a/Report.pdf","name":"Report.pdf"},
						                  {"id":"c1","contentType":"application/vnd.microsoft.card.adaptive","content":"{}"}],
						   "reactions":[{"reactionType":"like","createdDateTime":"2024-05-01T10:01:00Z","user":{"user":{"id":"u2","displayName":"Bob"}}}]},
						  {"id":"2","messageType":"message","createdDateTime":"2024-05-01T10:02:00Z","chatId":"19:abc@thread.v2",
						   "replyToId":"1","deletedDateTime":"2024-05-01T11:00:00Z","from":{"user":{"id":"u2","displayName":"Bob"}},
						   "body":{"contentType":"text","content":""}}
						 ]}""");
		Files.writeString(export.resolve("page-2.json"),
				"""
						{"value":[
						  {"id":"3","messageType":"systemEventMessage","createdDateTime":"2024-05-02T09:00:00Z","chatId":"19:abc@thread.v2",
						   "body":{"contentType":"html","content":"<systemEventMessage/>"},
						   "eventDetail":{"@odata.type":"#microsoft.graph.membersAddedEventMessageDetail",
						     "members":[{"id":"u3","displayName":"Cy"}],"initiator":{"user":{"id":"u1"}}}},
						  {"id":"4","messageType":"message","chatId":"19:abc@thread.v2","createdDateTime":"yesterday"}
						]}""");
		Files.writeString(export.resolve("members.json"), "[{\"userId\":\"u1\"}]");

		// when
		List<SourceRecord> records = readAll(this.source, export);

		// then
		assertThat(this.source.accepts(export)).isTrue();
		Map<String, ChatRecord> byId = parsed(records).stream()
			.collect(Collectors.toMap(ChatRecord::platformMessageId, Function.identity()));
		assertThat(byId).containsOnlyKeys("1", "2", "3");
		ChatRecord first = byId.get("1");
		assertThat(first.body()).isEqualTo("Hi Bob & all\nsee");
		assertThat(first.extra().get("mentions")).contains("u2");
		assertThat(first.attachments()).extracting((a) -> a.name() + ":" + a.status())
			.containsExactly("Report.pdf:REFERENCE", "hostedContent-aW1n:REFERENCE");
		assertThat(first.extra().get("attachments")).contains("card.adaptive");
		assertThat(first.reactions()).singleElement().satisfies((r) -> assertThat(r.emoji()).isEqualTo("like"));
		assertThat(byId.get("2").deleted()).isTrue();
		assertThat(byId.get("2").deletion().deletedAt()).hasToString("2024-05-01T11:00:00Z");
		assertThat(byId.get("2").replyToId()).isEqualTo("1");
		ChatRecord added = byId.get("3");
		assertThat(added.event().type()).isEqualTo(SystemEventType.ADDED);
		assertThat(added.event().subject().displayName()).isEqualTo("Cy");
		List<QuarantinedRecord> quarantined = quarantined(records);
		assertThat(quarantined).singleElement().satisfies((q) -> {
			assertThat(q.origin().entry()).isEqualTo("page-2.json");
			assertThat(q.origin().line()).isEqualTo(2);
			assertThat(q.reason()).contains("createdDateTime");
		});
	}

	@Test
	void graphResponseWithExpandedRepliesYieldsEveryReply() {
		// given: the documented response of GET .../messages?$top=1&$expand=replies
		Path page = Path.of("src/test/resources/fixtures/graph-docs/channel-list-messages-expand-replies.json");

		// when
		List<SourceRecord> records = readAll(this.source, page);

		// then
		assertThat(quarantined(records)).isEmpty();
		List<ChatRecord> items = parsed(records);
		assertThat(items).extracting(ChatRecord::platformMessageId)
			.containsExactly("1616963377068", "1616989753153", "1616989750004", "1616989747416");
		ChatRecord root = items.get(0);
		assertThat(root.replyToId()).isNull();
		assertThat(root.threadId()).isEqualTo("1616963377068");
		assertThat(root.extra()).doesNotContainKey("replies")
			.containsEntry("repliesIncomplete",
					"3 replies in this response (replies@odata.count 3); the rest are at replies@odata.nextLink");
		assertThat(items.subList(1, 4)).allSatisfy((reply) -> {
			assertThat(reply.kind()).isEqualTo(RecordKind.MESSAGE);
			assertThat(reply.replyToId()).isEqualTo("1616963377068");
			assertThat(reply.threadId()).isEqualTo("1616963377068");
			assertThat(reply.conversation().id()).isEqualTo("19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2");
			assertThat(reply.author().displayName()).isEqualTo("Robin Kline");
			assertThat(reply.extra()).containsEntry("nestedIn", "replies of 1616963377068");
		});
		assertThat(items.subList(1, 4)).extracting(ChatRecord::body).containsExactly("Reply3", "Reply2", "Reply1");
		assertThat(items.get(3).sentAt()).hasToString("2021-03-29T03:49:07.416Z");
		assertThat(items).extracting((item) -> item.origin().line()).containsExactly(1L, 2L, 3L, 4L);
	}

	@Test
	void pascalCaseRepliesWithoutParentOrConversationTakeThemFromTheirRoot() throws IOException {
		// given: .NET SDK spelling; the replies name neither their parent nor the channel
		Path file = this.dir.resolve("thread.json");
		Files.writeString(file, """
				[{"Id":"10","MessageType":"message","CreatedDateTime":"2024-06-01T08:00:00Z",
				  "ChannelIdentity":{"TeamId":"t1","ChannelId":"19:general@thread.tacv2"},
				  "Body":{"ContentType":"text","Content":"root"},
				  "Replies":[{"Id":"11","MessageType":"message","CreatedDateTime":"2024-06-01T08:05:00Z",
				              "Body":{"ContentType":"text","Content":"first reply"},
				              "Replies":[{"Id":"12","CreatedDateTime":"2024-06-01T08:06:00Z",
				                          "Body":{"ContentType":"text","Content":"nested deeper"}}]}]}]""");

		// when
		List<SourceRecord> records = readAll(this.source, file);

		// then
		assertThat(quarantined(records)).isEmpty();
		List<ChatRecord> items = parsed(records);
		assertThat(items).extracting(ChatRecord::platformMessageId).containsExactly("10", "11", "12");
		assertThat(items).extracting((item) -> item.conversation().id()).containsOnly("19:general@thread.tacv2");
		assertThat(items.get(1).replyToId()).isEqualTo("10");
		assertThat(items.get(2).replyToId()).isEqualTo("11");
		assertThat(items.get(2).body()).isEqualTo("nested deeper");
	}

	@Test
	void unknownNestedArrayOfMessagesIsNeverSilentlyDropped() throws IOException {
		// given: a root whose messages sit in a field no mapper knows, once at the top
		// and
		// once deeper inside an object, beside arrays that are not messages
		Path file = this.dir.resolve("page.json");
		Files.writeString(file,
				"""
						{"value":[
						 {"id":"1","messageType":"message","createdDateTime":"2024-05-01T10:00:00Z","chatId":"19:abc@thread.v2",
						  "body":{"contentType":"text","content":"root"},
						  "mentions":[{"id":0,"mentionText":"Bob","mentioned":{"user":{"id":"u2"}}}],
						  "attachments":[{"id":"c1","contentType":"application/vnd.microsoft.card.adaptive","content":"{}"}],
						  "forwardedMessages":[
						    {"id":"f1","createdDateTime":"2024-04-30T09:00:00Z","body":{"contentType":"text","content":"forwarded one"}},
						    {"id":"f2","createdDateTime":"2024-04-30T09:01:00Z","body":{"contentType":"text","content":"forwarded two"}}],
						  "futureDetail":{"history":[{"Id":"h1","MessageType":"message","Body":{"Content":"old"}}]}}
						]}""");

		// when
		List<SourceRecord> records = readAll(this.source, file);

		// then: the root is read, and each nested message is quarantined with its bytes
		assertThat(parsed(records)).extracting(ChatRecord::platformMessageId).containsExactly("1");
		List<QuarantinedRecord> quarantined = quarantined(records);
		assertThat(quarantined).hasSize(3);
		assertThat(quarantined).extracting(QuarantinedRecord::reason)
			.containsExactly(
					"message-shaped object 1 of 2 in the array 'forwardedMessages' of chatMessage 1, which the teams"
							+ " reader does not read as records: quarantined so that it is not lost",
					"message-shaped object 2 of 2 in the array 'forwardedMessages' of chatMessage 1, which the teams"
							+ " reader does not read as records: quarantined so that it is not lost",
					"message-shaped object 1 of 1 in the array 'futureDetail.history' of chatMessage 1, which the"
							+ " teams reader does not read as records: quarantined so that it is not lost");
		assertThat(new String(quarantined.get(1).raw(), java.nio.charset.StandardCharsets.UTF_8))
			.contains("\"id\":\"f2\"")
			.contains("forwarded two");
		assertThat(new String(quarantined.get(2).raw(), java.nio.charset.StandardCharsets.UTF_8)).contains("h1");
		assertThat(quarantined).extracting((q) -> q.origin().line()).containsExactly(2L, 3L, 4L);
	}

	@Test
	void acceptsOnlyChatMessageFiles() {
		assertThat(this.source.accepts(publicFixture("pywa/tests/data/updates/message.json"))).isFalse();
		assertThat(this.source.accepts(publicFixture("slack-export-viewer/tests/testarchive.zip"))).isFalse();
	}

}
