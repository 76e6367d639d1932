package io.chatvault.vault;

import java.nio.charset.StandardCharsets;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The canonical record, version 2: the deterministic JSON the vault seals, one per
 * record. Keys are sorted, nothing absent is written (no nulls, no empty lists, no
 * defaults: a plain message, an occurrence of 0, an unknown size), and what is the same
 * for many records is not repeated in each:
 * <ul>
 * <li>the conversation (type, name, participants) is a {@linkplain #conversation state}
 * of its own, stored once per conversation and custodian, and the record names it by the
 * SHA-256 of its canonical bytes ({@code conversation.state});</li>
 * <li>where the export file holding the record's raw fragment is stored as an original,
 * the record names that file by its SHA-256 ({@code rawFile}) and its byte span
 * ({@code origin.offset}, {@code origin.length}) instead of carrying the fragment's hash:
 * the original is kept bit-exact, so the fragment itself can be shown.</li>
 * </ul>
 * {@code Attachment.content} is never written: it names a path on the importing machine.
 * The form is decoded back into a {@link ChatRecord} by {@link #decode}; a test makes
 * sure that every component of the record model is written.
 */
final class CanonicalRecords {

	/** The format version, written as {@code "v"}. */
	static final int VERSION = 2;

	private static final String OCTET_STREAM = "application/octet-stream";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final JsonMapper mapper = MAPPER;

	private Conversation lastConversation;

	private String lastConversationState;

	JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * The canonical bytes of a conversation's state: id, type, name, participants.
	 * @param conversation the conversation
	 * @return its canonical JSON
	 */
	static byte[] conversation(Conversation conversation) {
		Map<String, Object> json = new TreeMap<>();
		json.put("id", conversation.id());
		putIfNotEmpty(json, "name", conversation.name());
		if (!conversation.participants().isEmpty()) {
			json.put("participants", conversation.participants().stream().map(CanonicalRecords::participant).toList());
		}
		json.put("type", conversation.type().name());
		json.put("v", VERSION);
		return CanonicalJson.write(json);
	}

	/**
	 * The hex SHA-256 of a conversation's canonical state, cached for the common case of
	 * many records of one conversation in a row.
	 */
	String conversationState(Conversation conversation) {
		if (conversation != this.lastConversation) {
			this.lastConversationState = Sha256.hex(conversation(conversation));
			this.lastConversation = conversation;
		}
		return this.lastConversationState;
	}

	/**
	 * The canonical bytes of a record.
	 * @param record the record
	 * @param rawFile the hex SHA-256 of the stored original holding its raw fragment, or
	 * {@code null} when there is none (then the fragment's own hash is written)
	 * @return the canonical JSON
	 */
	byte[] encode(ChatRecord record, String rawFile) {
		Map<String, Object> json = new TreeMap<>();
		if (!record.attachments().isEmpty()) {
			json.put("attachments", record.attachments().stream().map(CanonicalRecords::attachment).toList());
		}
		putParticipant(json, "author", record.author());
		putIfNotEmpty(json, "body", record.body());
		Map<String, Object> conversation = new TreeMap<>();
		conversation.put("id", record.conversation().id());
		conversation.put("state", conversationState(record.conversation()));
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
		json.put("v", VERSION);
		putIfNotNull(json, "zone", record.zone());
		return CanonicalJson.write(json);
	}

	/**
	 * Decodes a canonical record.
	 * @param canonical its bytes
	 * @param conversations the conversation of a state's hex SHA-256
	 * @return the record and what the canonical form says beyond it
	 * @throws IllegalArgumentException if the bytes are not a canonical record of this
	 * version
	 */
	Decoded decode(byte[] canonical, Function<String, Conversation> conversations) {
		JsonNode json = tree(canonical);
		if (!json.isObject() || json.path("v").asInt(0) != VERSION) {
			throw new IllegalArgumentException("not a version " + VERSION + " canonical record");
		}
		String state = text(json.path("conversation"), "state");
		Conversation conversation = conversations.apply(state);
		JsonNode origin = json.path("origin");
		SourceLocation location = new SourceLocation(text(origin, "file"), text(origin, "entry"),
				origin.path("line").asLong(), origin.path("offset").asLong(-1), origin.path("length").asLong(-1));
		RecordKind kind = json.has("kind") ? RecordKind.valueOf(text(json, "kind")) : RecordKind.MESSAGE;
		ChatRecord.Builder builder = ChatRecord
			.builder(SourcePlatform.valueOf(text(json, "source")), conversation, kind,
					Instant.parse(text(json, "sentAt")), location)
			.platformMessageId(text(json, "platformMessageId"))
			.author(participant(json.get("author")))
			.zone(text(json, "zone"))
			.body(text(json, "body"))
			.formattedBody(text(json, "formattedBody"))
			.replyToId(text(json, "replyToId"))
			.threadId(text(json, "threadId"))
			.targetMessageId(text(json, "targetMessageId"))
			.rawSha256(text(json, "rawSha256"))
			.occurrence(json.path("occurrence").asInt(0));
		for (JsonNode edit : json.path("edits")) {
			builder.edit(
					new Edit(instant(edit, "editedAt"), text(edit, "previousBody"), participant(edit.get("editedBy"))));
		}
		builder.edited(json.path("edited").asBoolean(false));
		if (json.has("deletion")) {
			JsonNode d = json.get("deletion");
			builder.deletion(new Deletion(instant(d, "deletedAt"), participant(d.get("deletedBy")), text(d, "notice")));
		}
		for (JsonNode r : json.path("reactions")) {
			builder.reaction(new Reaction(text(r, "emoji"), participant(r.get("by")), instant(r, "at")));
		}
		for (JsonNode a : json.path("attachments")) {
			builder.attachment(new Attachment(text(a, "name"), a.has("mediaType") ? text(a, "mediaType") : OCTET_STREAM,
					a.path("size").asLong(-1), text(a, "sha256"), AttachmentStatus.valueOf(text(a, "status")),
					text(a, "reference"), null));
		}
		if (json.has("event")) {
			JsonNode e = json.get("event");
			builder.event(new SystemEvent(SystemEventType.valueOf(text(e, "type")), participant(e.get("subject")),
					text(e, "detail")));
		}
		for (Map.Entry<String, JsonNode> extra : json.path("extra").properties()) {
			builder.extra(extra.getKey(), extra.getValue().stringValue());
		}
		return new Decoded(builder.build(), text(json, "rawFile"), state);
	}

	/**
	 * Parses canonical bytes. Jackson's byte parser refuses an escaped lone surrogate in
	 * a property name ("Broken surrogate pair"), which the canonical form writes for an
	 * extra field whose name holds one; its character parser takes it. So a refusal is
	 * tried once more from the text, only when the bytes are well-formed UTF-8: nothing
	 * the byte parser refused for its bytes is ever read through a replacement character.
	 */
	private JsonNode tree(byte[] canonical) {
		try {
			return this.mapper.readTree(canonical);
		}
		catch (JacksonException refused) {
			CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT);
			String text;
			try {
				text = utf8.decode(ByteBuffer.wrap(canonical)).toString();
			}
			catch (CharacterCodingException notUtf8) {
				throw refused;
			}
			try {
				return this.mapper.readTree(text);
			}
			catch (JacksonException again) {
				throw refused;
			}
		}
	}

	/**
	 * Decodes a conversation state.
	 * @param canonical its bytes
	 * @return the conversation
	 */
	Conversation decodeConversation(byte[] canonical) {
		JsonNode json = this.mapper.readTree(canonical);
		List<Participant> participants = new ArrayList<>();
		for (JsonNode p : json.path("participants")) {
			participants.add(participant(p));
		}
		return new Conversation(text(json, "id"), ConversationType.valueOf(text(json, "type")), text(json, "name"),
				participants);
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

	private static Participant participant(JsonNode json) {
		if (json == null || !json.isObject()) {
			return null;
		}
		String id = text(json, "id");
		return new Participant(id, json.has("name") ? text(json, "name") : id);
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

	private static String text(JsonNode json, String key) {
		JsonNode value = json.get(key);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	private static Instant instant(JsonNode json, String key) {
		String text = text(json, key);
		return (text != null) ? Instant.parse(text) : null;
	}

	/**
	 * A decoded canonical record.
	 *
	 * @param record the record ({@code Attachment.content} is always {@code null}, and
	 * {@code rawSha256} is empty when the fragment is in a stored original)
	 * @param rawFile the hex SHA-256 of the stored original holding the raw fragment, or
	 * {@code null}
	 * @param conversationState the hex SHA-256 of the conversation's state
	 */
	record Decoded(ChatRecord record, String rawFile, String conversationState) {
	}

}
