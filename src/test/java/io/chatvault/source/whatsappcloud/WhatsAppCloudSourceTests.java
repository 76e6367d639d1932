package io.chatvault.source.whatsappcloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceRecord;
import io.chatvault.message.SystemEventType;

import static io.chatvault.source.Fixtures.parsed;
import static io.chatvault.source.Fixtures.publicFixture;
import static io.chatvault.source.Fixtures.quarantined;
import static io.chatvault.source.Fixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

class WhatsAppCloudSourceTests {

	private static final String UPDATES = "pywa/tests/data/updates/";

	private final WhatsAppCloudSource source = new WhatsAppCloudSource();

	@TempDir
	Path dir;

	@Test
	void everyPywaCaseParsesToItsKind() {
		// given
		Map<String, RecordKind> expected = new LinkedHashMap<>();
		for (String name : List.of("text", "image", "media_with_url", "video", "document", "audio", "voice",
				"static_sticker", "animated_sticker", "current_location", "chosen_location", "contacts", "order",
				"unsupported", "unsupported_with_type", "reply", "forwarded", "forwarded_many_times",
				"interactive_message_with_err", "referral")) {
			expected.put("message.json#" + name, RecordKind.MESSAGE);
		}
		for (String name : List.of("reaction", "unreaction_empty", "unreaction_no_emoji")) {
			expected.put("message.json#" + name, RecordKind.REACTION);
		}
		for (String name : List.of("sent", "delivered", "read", "played", "failed", "with_tracker", "group")) {
			expected.put("message_status.json#" + name, RecordKind.STATUS);
		}
		expected.put("deleted_message.json#revoke", RecordKind.DELETION);
		expected.put("edited_message.json#image", RecordKind.EDIT);
		expected.put("outgoing_message.json#text", RecordKind.MESSAGE);
		expected.put("outgoing_message.json#delete", RecordKind.DELETION);
		expected.put("outgoing_message.json#edit", RecordKind.EDIT);
		expected.put("system.json#phone_number_change", RecordKind.SYSTEM_EVENT);
		expected.put("system.json#identity_change", RecordKind.SYSTEM_EVENT);
		for (String name : List.of("button", "quick_reply", "quick_reply_without_context")) {
			expected.put("callback_button.json#" + name, RecordKind.MESSAGE);
		}
		for (String name : List.of("callback", "description")) {
			expected.put("callback_selection.json#" + name, RecordKind.MESSAGE);
		}

		// when: the directory of all eight files
		Path updates = publicFixture(UPDATES);
		List<SourceRecord> records = readAll(this.source, updates);

		// then: one record per case, each of its kind
		assertThat(this.source.accepts(updates)).isTrue();
		assertThat(quarantined(records)).isEmpty();
		Map<String, RecordKind> actual = parsed(records).stream()
			.collect(Collectors.toMap((record) -> record.origin().entry(), ChatRecord::kind));
		assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
	}

	@Test
	void messagesCarryTheirContentAttachmentsRepliesAndUserIds() {
		// when
		Map<String, ChatRecord> cases = byCase("message.json");

		// then
		ChatRecord text = cases.get("text");
		assertThat(text.body()).isEqualTo("Body Text");
		assertThat(text.platformMessageId()).isEqualTo("wamid.xyzxyz");
		assertThat(text.sentAt()).hasToString("2023-10-11T16:53:43Z");
		assertThat(text.author().id()).isEqualTo("972987654321");
		assertThat(text.author().displayName()).isEqualTo("Test Name");
		assertThat(text.conversation().id()).isEqualTo("1122334455667:972987654321");
		assertThat(text.extra().get("webhook_contacts")).contains("US.13491208655302741918")
			.contains("US.ENT.11815799212886844830");
		assertThat(cases.get("image").attachments()).singleElement().satisfies((attachment) -> {
			assertThat(attachment.status()).isEqualTo(AttachmentStatus.REFERENCE);
			assertThat(attachment.reference()).isEqualTo("whatsapp-media:65463453");
			assertThat(attachment.mediaType()).isEqualTo("image/jpeg");
		});
		assertThat(cases.get("media_with_url").attachments().get(0).reference())
			.startsWith("https://lookaside.fbsbx.com/");
		assertThat(cases.get("document").attachments()).hasSize(1);
		assertThat(cases.get("voice").attachments()).hasSize(1);
		assertThat(cases.get("reaction").body()).isEqualTo("😮");
		assertThat(cases.get("reaction").targetMessageId()).isEqualTo("wamid.yzxyzx=");
		assertThat(cases.get("reaction").reactions()).hasSize(1);
		assertThat(cases.get("unreaction_empty").extra()).containsEntry("reaction_removed", "true");
		assertThat(cases.get("unreaction_no_emoji").extra()).containsEntry("reaction_removed", "true");
		assertThat(cases.get("reply").replyToId()).isNotNull();
		assertThat(cases.get("forwarded_many_times").extra().get("context")).contains("frequently_forwarded");
		assertThat(cases.get("interactive_message_with_err").extra().get("webhook_errors")).contains("131000");
		assertThat(cases.get("unsupported").extra()).containsKey("errors");
		assertThat(cases.get("referral").extra()).containsKey("referral");
		assertThat(cases.get("order").extra().get("order")).contains("HAMBURGER");
		assertThat(cases.get("current_location").body()).isNotEmpty();
		assertThat(cases.get("contacts").body()).isNotEmpty();
		assertThat(cases.get("contacts").extra()).containsKey("contacts");
	}

	@Test
	void editsRevocationsEchoesStatusesAndSystemEventsPointAtTheirTargets() {
		// when
		ChatRecord edit = byCase("edited_message.json").get("image");
		ChatRecord revoke = byCase("deleted_message.json").get("revoke");
		Map<String, ChatRecord> echoes = byCase("outgoing_message.json");
		Map<String, ChatRecord> statuses = byCase("message_status.json");
		Map<String, ChatRecord> system = byCase("system.json");
		Map<String, ChatRecord> buttons = byCase("callback_button.json");
		Map<String, ChatRecord> lists = byCase("callback_selection.json");

		// then
		assertThat(edit.targetMessageId()).isEqualTo("wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=");
		assertThat(edit.body()).isEqualTo("Updated image caption");
		assertThat(edit.attachments()).hasSize(1);
		assertThat(edit.edits()).hasSize(1);
		assertThat(revoke.targetMessageId()).isEqualTo("<ORIGINAL_WHATSAPP_MESSAGE_ID>");
		assertThat(revoke.deleted()).isTrue();
		assertThat(echoes.get("text").extra()).containsEntry("echo", "true").containsKey("to_user_id");
		assertThat(echoes.get("edit").body()).isEqualTo("Text was edited");
		assertThat(echoes.get("edit").targetMessageId()).isEqualTo("wamid.zzzzzz");
		assertThat(echoes.get("edit").author().id()).isEqualTo("972987654321");
		assertThat(statuses.get("failed").body()).isEqualTo("failed");
		assertThat(statuses.get("failed").extra().get("errors")).contains("130472");
		assertThat(statuses.get("read").targetMessageId()).isEqualTo("wamid.xyzxyz");
		assertThat(statuses.get("group").extra()).containsEntry("recipient_participant_user_id", "US.123456");
		assertThat(statuses.get("with_tracker").extra()).containsKey("biz_opaque_callback_data");
		assertThat(system.get("phone_number_change").event().type()).isEqualTo(SystemEventType.NUMBER_CHANGED);
		assertThat(system.get("phone_number_change").event().detail()).contains("changed from 972987654321");
		assertThat(system.get("identity_change").event().type()).isEqualTo(SystemEventType.IDENTITY_CHANGED);
		assertThat(buttons.get("button").body()).isNotEmpty();
		assertThat(buttons.get("quick_reply").body()).isEqualTo("title");
		assertThat(buttons.get("quick_reply_without_context").extra()).containsKey("from_user_id");
		assertThat(lists.get("description").body()).contains("\n");
	}

	@Test
	void readsArraysAndJsonLinesAndQuarantinesWhatIsNotAWebhook() throws IOException {
		// given
		String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
				+ "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"P\"},"
				+ "\"messages\":[{\"from\":\"C\",\"id\":\"wamid.%d\",\"timestamp\":\"1700000000\",\"type\":\"text\",\"text\":{\"body\":\"m%d\"}}]}}]}]}";
		String other = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"account_update\",\"value\":{\"event\":\"X\"}}]}]}";
		Path lines = this.dir.resolve("capture.jsonl");
		Files.writeString(lines,
				String.format(body, 1, 1) + "\n" + "{not json}\n" + String.format(body, 2, 2) + "\n" + other + "\n");
		Path array = this.dir.resolve("array.json");
		Files.writeString(array, "[" + String.format(body, 3, 3) + "," + String.format(body, 4, 4) + "]");

		// when
		List<SourceRecord> fromLines = readAll(this.source, lines);
		List<SourceRecord> fromArray = readAll(this.source, array);

		// then
		assertThat(parsed(fromLines)).extracting(ChatRecord::body).containsExactly("m1", "m2");
		assertThat(quarantined(fromLines)).extracting((q) -> q.origin().line() + ":" + q.reason().split(":")[0])
			.containsExactly("2:invalid JSON",
					"4:webhook field 'account_update' holds no messages, echoes or statuses");
		assertThat(quarantined(fromLines)).extracting(QuarantinedRecord::raw)
			.first()
			.isEqualTo("{not json}".getBytes());
		assertThat(parsed(fromArray)).extracting(ChatRecord::body).containsExactly("m3", "m4");
	}

	@Test
	void messagesInAnArrayNoMappingReadsAreQuarantinedOneByOne() throws IOException {
		// given: a body with a message, and a change whose messages sit in a "history"
		// array that the mapper does not read
		Path file = this.dir.resolve("history.json");
		Files.writeString(file,
				"""
						{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
						 {"field":"messages","value":{"metadata":{"phone_number_id":"P"},
						   "messages":[{"from":"C","id":"wamid.1","timestamp":"1700000000","type":"text","text":{"body":"live"}}]}},
						 {"field":"history","value":{"metadata":{"phone_number_id":"P"},
						   "history":[{"metadata":{"phase":0},"threads":[{"id":"C","messages":[
						     {"from":"C","id":"wamid.h1","timestamp":"1690000000","type":"text","text":{"body":"old one"}},
						     {"from":"C","id":"wamid.h2","timestamp":"1690000001","type":"text","text":{"body":"old two"}}]}]}]}}]}]}""");

		// when
		List<SourceRecord> records = readAll(this.source, file);

		// then
		assertThat(parsed(records)).extracting(ChatRecord::body).containsExactly("live");
		List<QuarantinedRecord> quarantined = quarantined(records);
		assertThat(quarantined).extracting(QuarantinedRecord::reason)
			.containsExactly(
					"webhook field 'history' holds no messages, echoes or statuses: kept here, not archived as chat",
					"message-shaped object 1 of 2 in the array 'entry[].changes[].value.history[].threads[].messages' of"
							+ " the webhook body, which the whatsapp-cloud reader does not read as records: quarantined"
							+ " so that it is not lost",
					"message-shaped object 2 of 2 in the array 'entry[].changes[].value.history[].threads[].messages' of"
							+ " the webhook body, which the whatsapp-cloud reader does not read as records: quarantined"
							+ " so that it is not lost");
		assertThat(new String(quarantined.get(2).raw(), java.nio.charset.StandardCharsets.UTF_8)).contains("old two");
	}

	private Map<String, ChatRecord> byCase(String file) {
		return parsed(readAll(this.source, publicFixture(UPDATES + file))).stream()
			.collect(Collectors.toMap((record) -> record.origin().entry(), (record) -> record));
	}

}
