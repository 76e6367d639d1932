package io.chatvault.vault;

import java.nio.charset.StandardCharsets;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

	/** Conversation states kept by {@link #conversationState}. */
	private static final int MAX_KEPT_STATES = 4096;

	/**
	 * Conversations with more participants are not kept by value (4,096 large channels
	 * would weigh on the heap): only the last one, as it is.
	 */
	private static final int MAX_KEPT_PARTICIPANTS = 64;

	/** A larger buffer, left by an unusually large record, is not kept. */
	private static final int MAX_KEPT_CAPACITY = 64 * 1024;

	private final JsonMapper mapper = MAPPER;

	/**
	 * Where a record's canonical JSON is written: one buffer for the records of a thread.
	 */
	private final StringBuilder out = new StringBuilder(1024);

	/** The states of the conversations seen last, by value. */
	private final Map<Conversation, String> states = new LinkedHashMap<>(256, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<Conversation, String> eldest) {
			return size() > MAX_KEPT_STATES;
		}
	};

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
		StringBuilder out = new StringBuilder(128);
		out.append('{');
		text(out, "id", conversation.id());
		textIfNotEmpty(out, "name", conversation.name());
		if (!conversation.participants().isEmpty()) {
			key(out, "participants");
			out.append('[');
			for (Participant participant : conversation.participants()) {
				comma(out);
				participant(out, participant);
			}
			out.append(']');
		}
		text(out, "type", conversation.type().name());
		key(out, "v");
		out.append(VERSION);
		out.append('}');
		return CanonicalJson.utf8(out);
	}

	/**
	 * The hex SHA-256 of a conversation's canonical state, cached by the conversation's
	 * value: a state is a function of the conversation's components, and sources such as
	 * the capture inbox make a new but equal conversation for each record.
	 */
	String conversationState(Conversation conversation) {
		if (conversation == this.lastConversation) {
			return this.lastConversationState;
		}
		boolean kept = conversation.participants().size() <= MAX_KEPT_PARTICIPANTS;
		String state = kept ? this.states.get(conversation) : null;
		if (state == null) {
			state = Sha256.hex(conversation(conversation));
			if (kept) {
				this.states.put(conversation, state);
			}
		}
		this.lastConversation = conversation;
		this.lastConversationState = state;
		return state;
	}

	/**
	 * The canonical bytes of a record. Written field by field in the order of the sorted
	 * keys (UTF-16 order, as {@link CanonicalJson} sorts them; only {@code extra}'s keys
	 * are sorted at run time): the same bytes as the tree of sorted maps that
	 * {@link CanonicalJson#write} serializes, without building it for every record.
	 * @param record the record
	 * @param rawFile the hex SHA-256 of the stored original holding its raw fragment, or
	 * {@code null} when there is none (then the fragment's own hash is written)
	 * @return the canonical JSON
	 */
	byte[] encode(ChatRecord record, String rawFile) {
		StringBuilder out = this.out;
		out.setLength(0);
		if (out.capacity() > MAX_KEPT_CAPACITY) {
			out.trimToSize();
		}
		out.append('{');
		if (!record.attachments().isEmpty()) {
			key(out, "attachments");
			out.append('[');
			for (Attachment attachment : record.attachments()) {
				comma(out);
				attachment(out, attachment);
			}
			out.append(']');
		}
		participant(out, "author", record.author());
		textIfNotEmpty(out, "body", record.body());
		key(out, "conversation");
		out.append('{');
		text(out, "id", record.conversation().id());
		text(out, "state", conversationState(record.conversation()));
		out.append('}');
		if (record.deletion() != null) {
			Deletion deletion = record.deletion();
			key(out, "deletion");
			out.append('{');
			instant(out, "deletedAt", deletion.deletedAt());
			participant(out, "deletedBy", deletion.deletedBy());
			textIfNotEmpty(out, "notice", deletion.notice());
			out.append('}');
		}
		if (record.edited()) {
			key(out, "edited");
			out.append(true);
		}
		if (!record.edits().isEmpty()) {
			key(out, "edits");
			out.append('[');
			for (Edit edit : record.edits()) {
				comma(out);
				out.append('{');
				instant(out, "editedAt", edit.editedAt());
				participant(out, "editedBy", edit.editedBy());
				textIfNotNull(out, "previousBody", edit.previousBody());
				out.append('}');
			}
			out.append(']');
		}
		if (record.event() != null) {
			SystemEvent event = record.event();
			key(out, "event");
			out.append('{');
			textIfNotEmpty(out, "detail", event.detail());
			participant(out, "subject", event.subject());
			text(out, "type", event.type().name());
			out.append('}');
		}
		if (!record.extra().isEmpty()) {
			key(out, "extra");
			out.append('{');
			for (Map.Entry<String, String> extra : new TreeMap<>(record.extra()).entrySet()) {
				comma(out);
				CanonicalJson.text(out, extra.getKey());
				out.append(':');
				CanonicalJson.text(out, extra.getValue());
			}
			out.append('}');
		}
		textIfNotNull(out, "formattedBody", record.formattedBody());
		if (record.kind() != RecordKind.MESSAGE) {
			text(out, "kind", record.kind().name());
		}
		if (record.occurrence() != 0) {
			key(out, "occurrence");
			out.append(record.occurrence());
		}
		key(out, "origin");
		origin(out, record.origin());
		textIfNotNull(out, "platformMessageId", record.platformMessageId());
		if (rawFile != null) {
			text(out, "rawFile", rawFile);
		}
		else {
			textIfNotEmpty(out, "rawSha256", record.rawSha256());
		}
		if (!record.reactions().isEmpty()) {
			key(out, "reactions");
			out.append('[');
			for (Reaction reaction : record.reactions()) {
				comma(out);
				out.append('{');
				instant(out, "at", reaction.at());
				participant(out, "by", reaction.by());
				text(out, "emoji", reaction.emoji());
				out.append('}');
			}
			out.append(']');
		}
		textIfNotNull(out, "replyToId", record.replyToId());
		text(out, "sentAt", IsoInstant.format(record.sentAt()));
		text(out, "source", record.source().name());
		textIfNotNull(out, "targetMessageId", record.targetMessageId());
		textIfNotNull(out, "threadId", record.threadId());
		key(out, "v");
		out.append(VERSION);
		textIfNotNull(out, "zone", record.zone());
		out.append('}');
		return CanonicalJson.utf8(out);
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

	private static void origin(StringBuilder out, SourceLocation origin) {
		out.append('{');
		textIfNotEmpty(out, "entry", origin.entry());
		text(out, "file", origin.file());
		if (origin.hasSpan()) {
			key(out, "length");
			out.append(origin.length());
		}
		key(out, "line");
		out.append(origin.line());
		if (origin.hasSpan()) {
			key(out, "offset");
			out.append(origin.offset());
		}
		out.append('}');
	}

	private static void attachment(StringBuilder out, Attachment attachment) {
		out.append('{');
		if (!OCTET_STREAM.equals(attachment.mediaType())) {
			text(out, "mediaType", attachment.mediaType());
		}
		text(out, "name", attachment.name());
		textIfNotNull(out, "reference", attachment.reference());
		textIfNotNull(out, "sha256", attachment.sha256());
		if (attachment.size() >= 0) {
			key(out, "size");
			out.append(attachment.size());
		}
		text(out, "status", attachment.status().name());
		out.append('}');
	}

	private static void participant(StringBuilder out, Participant participant) {
		out.append('{');
		text(out, "id", participant.id());
		if (!participant.displayName().equals(participant.id())) {
			text(out, "name", participant.displayName());
		}
		out.append('}');
	}

	private static Participant participant(JsonNode json) {
		if (json == null || !json.isObject()) {
			return null;
		}
		String id = text(json, "id");
		return new Participant(id, json.has("name") ? text(json, "name") : id);
	}

	/**
	 * Opens a field: a comma unless the field is the first of its object, then the key,
	 * which is one of this class's constants and needs no escaping.
	 */
	private static void key(StringBuilder out, String key) {
		comma(out);
		out.append('"').append(key).append("\":");
	}

	/** A comma before any element but the first of an object or list. */
	private static void comma(StringBuilder out) {
		char last = out.charAt(out.length() - 1);
		if (last != '{' && last != '[') {
			out.append(',');
		}
	}

	private static void text(StringBuilder out, String key, String value) {
		key(out, key);
		CanonicalJson.text(out, value);
	}

	private static void participant(StringBuilder out, String key, Participant participant) {
		if (participant != null) {
			key(out, key);
			participant(out, participant);
		}
	}

	private static void instant(StringBuilder out, String key, Instant instant) {
		if (instant != null) {
			text(out, key, IsoInstant.format(instant));
		}
	}

	private static void textIfNotNull(StringBuilder out, String key, String value) {
		if (value != null) {
			text(out, key, value);
		}
	}

	private static void textIfNotEmpty(StringBuilder out, String key, String value) {
		if (value != null && !value.isEmpty()) {
			text(out, key, value);
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
