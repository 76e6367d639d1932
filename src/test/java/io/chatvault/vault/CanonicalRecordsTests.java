package io.chatvault.vault;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.ContentLocator;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Deletion;
import io.chatvault.message.Edit;
import io.chatvault.message.Participant;
import io.chatvault.message.Reaction;
import io.chatvault.message.RecordKind;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import io.chatvault.message.SystemEvent;
import io.chatvault.message.SystemEventType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

class CanonicalRecordsTests {

	private final CanonicalRecords canonical = new CanonicalRecords();

	@Test
	void canonicalJsonIsSortedCompactAndLeavesOutWhatIsAbsentAndTheContentLocator() {
		// given
		ChatRecord record = VaultFixture
			.message("c1", "1.5", "hello",
					new Attachment("a.jpg", "image/jpeg", 3, "ab".repeat(32), AttachmentStatus.PRESENT, null,
							ContentLocator.file(Path.of("/import/machine/a.jpg"))))
			.toBuilder()
			.extra("zeta", "last")
			.extra("alpha", "first")
			.build();

		// when
		String json = new String(this.canonical.encode(record, null), StandardCharsets.UTF_8);

		// then
		String state = Sha256.hex(CanonicalRecords.conversation(record.conversation()));
		assertThat(json).isEqualTo("{\"attachments\":[{\"mediaType\":\"image/jpeg\",\"name\":\"a.jpg\",\"sha256\":\""
				+ "ab".repeat(32)
				+ "\",\"size\":3,\"status\":\"PRESENT\"}],\"author\":{\"id\":\"U1\",\"name\":\"Alice\"},"
				+ "\"body\":\"hello\",\"conversation\":{\"id\":\"c1\",\"state\":\"" + state + "\"},"
				+ "\"extra\":{\"alpha\":\"first\",\"client_msg_id\":\"c-1.5\",\"zeta\":\"last\"},"
				+ "\"origin\":{\"entry\":\"general/2024-03-01.json\",\"file\":\"export.zip\",\"line\":7},"
				+ "\"platformMessageId\":\"1.5\",\"sentAt\":\"2024-03-01T10:15:30Z\",\"source\":\"SLACK_EXPORT\","
				+ "\"v\":2}");
		assertThat(new String(CanonicalRecords.conversation(record.conversation()), StandardCharsets.UTF_8))
			.isEqualTo("{\"id\":\"c1\",\"name\":\"general\",\"type\":\"CHANNEL\",\"v\":2}");
	}

	@Test
	void aRecordWithARawFilePointsAtItInsteadOfCarryingTheFragmentHash() {
		// given
		ChatRecord record = VaultFixture.message("c1", "1.6", "hi")
			.toBuilder()
			.origin(new SourceLocation("export.zip", "general/2024-03-01.json", 7, 1200, 345))
			.rawSha256("cd".repeat(32))
			.build();

		// when
		String json = new String(this.canonical.encode(record, "ef".repeat(32)), StandardCharsets.UTF_8);

		// then
		assertThat(json)
			.contains("\"origin\":{\"entry\":\"general/2024-03-01.json\",\"file\":\"export.zip\","
					+ "\"length\":345,\"line\":7,\"offset\":1200}")
			.contains("\"rawFile\":\"" + "ef".repeat(32) + "\"")
			.doesNotContain("cd".repeat(32));
	}

	@Test
	void everyComponentOfTheModelSurvivesTheRoundTrip() {
		// given: every component set, and set to something other than its default
		Participant bob = new Participant("U2", "Bob");
		Conversation conversation = new Conversation("C9", ConversationType.PRIVATE_CHANNEL, "deals",
				List.of(new Participant("U1", "Alice"), bob, Participant.named("+44 7700 900123")));
		ChatRecord record = ChatRecord
			.builder(SourcePlatform.TEAMS_GRAPH, conversation, RecordKind.SYSTEM_EVENT,
					Instant.parse("2024-03-01T10:15:30.123456789Z"), new SourceLocation("in.json", "a#b", 3, 10, 20))
			.platformMessageId("")
			.author(Participant.named("Dana"))
			.zone("Europe/Berlin")
			.body("line one\nline \"two\" \\ \u0000 \ud83d\ude00 lone \ud800 end")
			.formattedBody("<p>hi</p>")
			.edit(new Edit(Instant.parse("2024-03-01T10:16:00Z"), "before", bob))
			.edit(new Edit(null, null, null))
			.edited(true)
			.deletion(new Deletion(Instant.parse("2024-03-02T00:00:00Z"), bob, "This message was deleted"))
			.reaction(new Reaction("👍", bob, Instant.parse("2024-03-01T10:17:00Z")))
			.reaction(new Reaction("🎉", bob, null))
			.replyToId("r1")
			.threadId("t1")
			.targetMessageId("x1")
			.attachment(new Attachment("a.pdf", "application/pdf", 12, "ab".repeat(32), AttachmentStatus.PRESENT, null,
					null))
			.attachment(new Attachment("b.bin", null, -1, null, AttachmentStatus.REFERENCE, "https://x/y", null))
			.event(new SystemEvent(SystemEventType.RENAMED, bob, "renamed to deals"))
			.rawSha256("cd".repeat(32))
			.occurrence(3)
			.extra("k", "v")
			.extra("empty", "")
			.extra("lone \ud800 key \udfff", "v2")
			.build();

		// when
		byte[] bytes = this.canonical.encode(record, null);
		CanonicalRecords.Decoded decoded = this.canonical.decode(bytes, (state) -> {
			assertThat(state).isEqualTo(Sha256.hex(CanonicalRecords.conversation(conversation)));
			return this.canonical.decodeConversation(CanonicalRecords.conversation(conversation));
		});

		// then
		assertThat(decoded.record()).isEqualTo(record);
		assertThat(decoded.rawFile()).isNull();
		assertThat(this.canonical.encode(decoded.record(), null)).isEqualTo(bytes);
	}

	@Test
	void aKeyWithALoneSurrogateIsReadBackButNeverThroughBytesThatAreNotUtf8() {
		// given: the canonical bytes of a record with such a key, and the same bytes with
		// an invalid UTF-8 byte in its body
		ChatRecord record = VaultFixture.message("c1", "1.6", "hi \u00e9").toBuilder().extra("x\udbff", "y").build();
		byte[] bytes = this.canonical.encode(record, null);
		byte[] broken = bytes.clone();
		int e = indexOf(broken, (byte) 0xc3);
		broken[e] = (byte) 0xff;

		// when
		CanonicalRecords.Decoded decoded = this.canonical.decode(bytes,
				(state) -> this.canonical.decodeConversation(CanonicalRecords.conversation(record.conversation())));

		// then
		assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).contains("\"x\\udbff\":\"y\"");
		assertThat(decoded.record().extra()).containsEntry("x\udbff", "y");
		assertThat(decoded.record()).isEqualTo(record);
		assertThatException().isThrownBy(() -> this.canonical.decode(broken,
				(state) -> this.canonical.decodeConversation(CanonicalRecords.conversation(record.conversation()))));
	}

	private static int indexOf(byte[] bytes, byte b) {
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == b) {
				return i;
			}
		}
		throw new AssertionError("no byte " + b);
	}

	/**
	 * The canonical form is written by hand: a component added to the model must be added
	 * to {@link CanonicalRecords} (and to the round trip above) too, or it would be lost.
	 */
	@Test
	void theCanonicalFormKnowsEveryComponentOfTheModel() {
		assertThat(components(ChatRecord.class)).containsExactly("source", "conversation", "platformMessageId", "kind",
				"author", "sentAt", "zone", "body", "formattedBody", "edits", "edited", "deletion", "reactions",
				"replyToId", "threadId", "targetMessageId", "attachments", "event", "origin", "rawSha256", "occurrence",
				"extra");
		assertThat(components(Conversation.class)).containsExactly("id", "type", "name", "participants");
		assertThat(components(Participant.class)).containsExactly("id", "displayName");
		assertThat(components(Attachment.class)).containsExactly("name", "mediaType", "size", "sha256", "status",
				"reference", "content");
		assertThat(components(Edit.class)).containsExactly("editedAt", "previousBody", "editedBy");
		assertThat(components(Deletion.class)).containsExactly("deletedAt", "deletedBy", "notice");
		assertThat(components(Reaction.class)).containsExactly("emoji", "by", "at");
		assertThat(components(SystemEvent.class)).containsExactly("type", "subject", "detail");
		assertThat(components(SourceLocation.class)).containsExactly("file", "entry", "line", "offset", "length");
	}

	private static List<String> components(Class<?> type) {
		return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
	}

	@Property(tries = 50)
	void sameRecordSameBytesWhateverTheOrderOfExtras(@ForAll String key1, @ForAll String key2, @ForAll String body) {
		// given
		ChatRecord base = VaultFixture.message("c", "1", body);
		ChatRecord one = base.toBuilder().extra("k" + key1, "1").extra("j" + key2, "2").build();
		ChatRecord two = base.toBuilder().extra("j" + key2, "2").extra("k" + key1, "1").build();

		// when / then
		assertThat(this.canonical.encode(one, null)).isEqualTo(this.canonical.encode(two, null));
		assertThat(this.canonical.decode(this.canonical.encode(one, null), (state) -> base.conversation()).record())
			.isEqualTo(one);
	}

	@Test
	void canonicalJsonRefusesUnsortedKeys() {
		// given
		Map<String, Object> unsorted = new java.util.LinkedHashMap<>();
		unsorted.put("b", 1);
		unsorted.put("a", 2);

		// when / then
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> CanonicalJson.write(unsorted))
			.withMessage("keys must be sorted and unique: b, a");
	}

}
