package io.chatvault.vault;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Deletion;
import io.chatvault.message.Edit;
import io.chatvault.message.IsoInstant;
import io.chatvault.message.Participant;
import io.chatvault.message.Reaction;
import io.chatvault.message.RecordKind;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import io.chatvault.message.SystemEvent;
import io.chatvault.message.SystemEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CanonicalRecords} writes its JSON field by field; the bytes must stay those of
 * the tree of sorted maps it built before (kept here as {@link TreeEncoder}, as it was),
 * or ids, hashes and stored bytes would change.
 */
class CanonicalRecordsDifferentialTests {

	private static final String[] TEXTS = { "", "a", "hello world", "quote \" and \\ backslash", "tab\tnew\nline\r",
			"\u0000\u0001\u001f\u007f", "caf\u00e9 \u00fc\u00df", "\u65e5\u672c\u8a9e",
			"\ud83d\ude00 emoji \ud83c\udf89", "lone \ud800 high", "lone \udfff low", "end high \ud83d",
			"\udc00 start low", "</script>", "\u2028\u2029", "+44 7700 900123", "U1", "Alice" };

	@Test
	void theRecordsAndConversationStatesAreWrittenAsTheTreeOfSortedMapsWroteThem() {
		// given
		Random random = new Random(20261130);
		CanonicalRecords canonical = new CanonicalRecords();
		TreeEncoder tree = new TreeEncoder();

		for (int i = 0; i < 20_000; i++) {
			ChatRecord record = record(random);
			String rawFile = random.nextInt(3) == 0 ? "ef".repeat(32) : null;

			// when
			byte[] written = canonical.encode(record, rawFile);

			// then
			assertThat(written).as("record %d: %s", i, record).isEqualTo(tree.encode(record, rawFile));
			assertThat(CanonicalRecords.conversation(record.conversation()))
				.isEqualTo(TreeEncoder.conversation(record.conversation()));
		}
	}

	@Test
	void aRecordAfterALargerOneIsWrittenWithoutWhatTheLargerOneLeftInTheBuffer() {
		// given
		CanonicalRecords canonical = new CanonicalRecords();
		ChatRecord large = VaultFixture.message("c1", "1", "x".repeat(100_000));
		ChatRecord small = VaultFixture.message("c1", "2", "y");

		// when
		canonical.encode(large, null);
		byte[] written = canonical.encode(small, null);

		// then
		assertThat(written).isEqualTo(new TreeEncoder().encode(small, null));
	}

	private static ChatRecord record(Random random) {
		List<Participant> participants = new ArrayList<>();
		// Now and then more participants than CanonicalRecords keeps states for by value.
		for (int p = (random.nextInt(50) == 0) ? 60 + random.nextInt(20) : random.nextInt(4); p > 0; p--) {
			participants.add(participant(random));
		}
		Conversation conversation = new Conversation(text(random),
				ConversationType.values()[random.nextInt(ConversationType.values().length)], maybe(random),
				participants);
		SourceLocation origin = random.nextBoolean()
				? new SourceLocation(text(random), maybe(random), random.nextInt(100_000), -1, -1)
				: new SourceLocation(text(random), maybe(random), random.nextInt(100_000), random.nextInt(1 << 30),
						random.nextInt(1 << 20));
		ChatRecord.Builder builder = ChatRecord
			.builder(SourcePlatform.values()[random.nextInt(SourcePlatform.values().length)], conversation,
					RecordKind.values()[random.nextInt(RecordKind.values().length)], instant(random), origin)
			.platformMessageId(maybe(random))
			.author(random.nextInt(4) == 0 ? null : participant(random))
			.zone(maybe(random))
			.body(maybe(random))
			.formattedBody(maybe(random))
			.replyToId(maybe(random))
			.threadId(maybe(random))
			.targetMessageId(maybe(random))
			.rawSha256(random.nextBoolean() ? "cd".repeat(32) : maybe(random))
			.occurrence(random.nextInt(4) == 0 ? random.nextInt(5) : 0)
			.edited(random.nextInt(4) == 0);
		for (int e = random.nextInt(8) == 0 ? random.nextInt(3) + 1 : 0; e > 0; e--) {
			builder.edit(new Edit(random.nextBoolean() ? instant(random) : null, maybe(random),
					random.nextBoolean() ? participant(random) : null));
		}
		if (random.nextInt(6) == 0) {
			builder.deletion(new Deletion(random.nextBoolean() ? instant(random) : null,
					random.nextBoolean() ? participant(random) : null, maybe(random)));
		}
		for (int r = random.nextInt(6) == 0 ? random.nextInt(3) + 1 : 0; r > 0; r--) {
			builder.reaction(
					new Reaction(text(random), participant(random), random.nextBoolean() ? instant(random) : null));
		}
		for (int a = random.nextInt(5) == 0 ? random.nextInt(3) + 1 : 0; a > 0; a--) {
			builder.attachment(new Attachment(text(random),
					random.nextBoolean() ? null : (random.nextBoolean() ? "image/jpeg" : text(random)),
					random.nextInt(3) - 1 + (random.nextBoolean() ? random.nextInt(1 << 30) : 0),
					random.nextBoolean() ? "ab".repeat(32) : null,
					AttachmentStatus.values()[random.nextInt(AttachmentStatus.values().length)], maybe(random), null));
		}
		if (random.nextInt(6) == 0) {
			builder.event(new SystemEvent(SystemEventType.values()[random.nextInt(SystemEventType.values().length)],
					random.nextBoolean() ? participant(random) : null, maybe(random)));
		}
		for (int x = random.nextInt(3) == 0 ? random.nextInt(4) + 1 : 0; x > 0; x--) {
			builder.extra(text(random) + random.nextInt(3), text(random));
		}
		return builder.build();
	}

	private static Participant participant(Random random) {
		String id = text(random);
		return new Participant(id, random.nextBoolean() ? id : text(random));
	}

	private static Instant instant(Random random) {
		return Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L),
				random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
	}

	private static String maybe(Random random) {
		return random.nextInt(3) == 0 ? null : text(random);
	}

	private static String text(Random random) {
		if (random.nextInt(4) > 0) {
			return TEXTS[random.nextInt(TEXTS.length)];
		}
		StringBuilder text = new StringBuilder();
		for (int i = random.nextInt(12); i > 0; i--) {
			text.append((char) switch (random.nextInt(5)) {
				case 0 -> random.nextInt(0x20);
				case 1 -> 0xd800 + random.nextInt(0x800);
				case 2 -> random.nextInt(0x10000);
				default -> 0x20 + random.nextInt(0x60);
			});
		}
		return text.toString();
	}

	/**
	 * The encoder as it was: a tree of sorted maps, serialized by {@link CanonicalJson}.
	 */
	private static final class TreeEncoder {

		private static final String OCTET_STREAM = "application/octet-stream";

		static byte[] conversation(Conversation conversation) {
			Map<String, Object> json = new TreeMap<>();
			json.put("id", conversation.id());
			putIfNotEmpty(json, "name", conversation.name());
			if (!conversation.participants().isEmpty()) {
				json.put("participants", conversation.participants().stream().map(TreeEncoder::participant).toList());
			}
			json.put("type", conversation.type().name());
			json.put("v", CanonicalRecords.VERSION);
			return CanonicalJson.write(json);
		}

		byte[] encode(ChatRecord record, String rawFile) {
			Map<String, Object> json = new TreeMap<>();
			if (!record.attachments().isEmpty()) {
				json.put("attachments", record.attachments().stream().map(TreeEncoder::attachment).toList());
			}
			putParticipant(json, "author", record.author());
			putIfNotEmpty(json, "body", record.body());
			Map<String, Object> conversation = new TreeMap<>();
			conversation.put("id", record.conversation().id());
			conversation.put("state", Sha256.hex(conversation(record.conversation())));
			json.put("conversation", conversation);
			if (record.deletion() != null) {
				Deletion deletion = record.deletion();
				Map<String, Object> d = new TreeMap<>();
				putInstant(d, "deletedAt", deletion.deletedAt());
				putParticipant(d, "deletedBy", deletion.deletedBy());
				putIfNotEmpty(d, "notice", deletion.notice());
				json.put("deletion", d);
			}
			if (record.edited()) {
				json.put("edited", true);
			}
			if (!record.edits().isEmpty()) {
				List<Object> edits = new ArrayList<>(record.edits().size());
				for (Edit edit : record.edits()) {
					Map<String, Object> e = new TreeMap<>();
					putInstant(e, "editedAt", edit.editedAt());
					putParticipant(e, "editedBy", edit.editedBy());
					putIfNotNull(e, "previousBody", edit.previousBody());
					edits.add(e);
				}
				json.put("edits", edits);
			}
			if (record.event() != null) {
				SystemEvent event = record.event();
				Map<String, Object> e = new TreeMap<>();
				putIfNotEmpty(e, "detail", event.detail());
				putParticipant(e, "subject", event.subject());
				e.put("type", event.type().name());
				json.put("event", e);
			}
			if (!record.extra().isEmpty()) {
				json.put("extra", new TreeMap<>(record.extra()));
			}
			putIfNotNull(json, "formattedBody", record.formattedBody());
			if (record.kind() != RecordKind.MESSAGE) {
				json.put("kind", record.kind().name());
			}
			if (record.occurrence() != 0) {
				json.put("occurrence", record.occurrence());
			}
			json.put("origin", origin(record.origin()));
			putIfNotNull(json, "platformMessageId", record.platformMessageId());
			if (rawFile != null) {
				json.put("rawFile", rawFile);
			}
			else {
				putIfNotEmpty(json, "rawSha256", record.rawSha256());
			}
			if (!record.reactions().isEmpty()) {
				List<Object> reactions = new ArrayList<>(record.reactions().size());
				for (Reaction reaction : record.reactions()) {
					Map<String, Object> r = new TreeMap<>();
					putInstant(r, "at", reaction.at());
					putParticipant(r, "by", reaction.by());
					r.put("emoji", reaction.emoji());
					reactions.add(r);
				}
				json.put("reactions", reactions);
			}
			putIfNotNull(json, "replyToId", record.replyToId());
			json.put("sentAt", IsoInstant.format(record.sentAt()));
			json.put("source", record.source().name());
			putIfNotNull(json, "targetMessageId", record.targetMessageId());
			putIfNotNull(json, "threadId", record.threadId());
			json.put("v", CanonicalRecords.VERSION);
			putIfNotNull(json, "zone", record.zone());
			return CanonicalJson.write(json);
		}

		private static Map<String, Object> origin(SourceLocation origin) {
			Map<String, Object> json = new TreeMap<>();
			putIfNotEmpty(json, "entry", origin.entry());
			json.put("file", origin.file());
			if (origin.hasSpan()) {
				json.put("length", origin.length());
			}
			json.put("line", origin.line());
			if (origin.hasSpan()) {
				json.put("offset", origin.offset());
			}
			return json;
		}

		private static Map<String, Object> attachment(Attachment attachment) {
			Map<String, Object> json = new TreeMap<>();
			if (!OCTET_STREAM.equals(attachment.mediaType())) {
				json.put("mediaType", attachment.mediaType());
			}
			json.put("name", attachment.name());
			putIfNotNull(json, "reference", attachment.reference());
			putIfNotNull(json, "sha256", attachment.sha256());
			if (attachment.size() >= 0) {
				json.put("size", attachment.size());
			}
			json.put("status", attachment.status().name());
			return json;
		}

		private static Map<String, Object> participant(Participant participant) {
			Map<String, Object> json = new TreeMap<>();
			json.put("id", participant.id());
			if (!participant.displayName().equals(participant.id())) {
				json.put("name", participant.displayName());
			}
			return json;
		}

		private static void putParticipant(Map<String, Object> json, String key, Participant participant) {
			if (participant != null) {
				json.put(key, participant(participant));
			}
		}

		private static void putInstant(Map<String, Object> json, String key, Instant instant) {
			if (instant != null) {
				json.put(key, IsoInstant.format(instant));
			}
		}

		private static void putIfNotNull(Map<String, Object> json, String key, String value) {
			if (value != null) {
				json.put(key, value);
			}
		}

		private static void putIfNotEmpty(Map<String, Object> json, String key, String value) {
			if (value != null && !value.isEmpty()) {
				json.put(key, value);
			}
		}

	}

}
