package io.chatvault.source.slack;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.ContentLocator;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Deletion;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.JsonRecords;
import io.chatvault.source.MappedRecord;
import io.chatvault.source.SafeZip;

/**
 * Slack messages as the Web API ({@code conversations.history},
 * {@code conversations.replies}) and the Events API deliver them, mapped by the same
 * {@link SlackMessageMapper} as exports, so that a message polled or captured and the
 * same message in a later export have one deterministic id.
 *
 * <p>
 * A poll sees a message's present state only: an edit or a deletion after the message was
 * first archived would be a duplicate of the archived message and be lost. So a polled
 * message marked {@code edited} also yields an {@link RecordKind#EDIT} record of that
 * state, and a {@code tombstone} (a deleted thread root) a {@link RecordKind#DELETION}
 * record; their ids derive from the state (instant and text), so the same state polled
 * again is a duplicate and a new one is archived.
 */
public final class SlackApiMessages {

	private final JsonRecords json = new JsonRecords();

	private final SlackMessageMapper mapper = new SlackMessageMapper(new SlackDirectory(),
			new SlackFiles(NO_FILES, "slack-api"), this.json);

	/**
	 * The conversation of a Slack conversation id, its type told by the id's prefix
	 * ({@code C} channel, {@code G} private channel or group DM, {@code D} direct).
	 * @param channelId the id
	 * @return the conversation, with the same id an export gives it
	 */
	public static Conversation conversation(String channelId) {
		ConversationType type = channelId.startsWith("C") ? ConversationType.CHANNEL
				: channelId.startsWith("G") ? ConversationType.PRIVATE_CHANNEL
						: channelId.startsWith("D") ? ConversationType.DIRECT : ConversationType.UNKNOWN;
		return new Conversation(channelId, type, "", List.of());
	}

	/**
	 * Maps one message object of a Web API response.
	 * @param message the message object
	 * @param conversation its conversation
	 * @param origin where it was read (the request)
	 * @return the record (or the quarantined object), then the revision records its state
	 * implies
	 */
	public List<SourceRecord> message(JsonNode message, Conversation conversation, SourceLocation origin) {
		byte[] raw = this.json.toJsonBytes(message);
		List<SourceRecord> records = new ArrayList<>(1);
		MappedRecord mapped;
		try {
			mapped = this.mapper.map(message, conversation, "", origin, Sha256.hex(raw));
		}
		catch (RuntimeException ex) {
			mapped = MappedRecord.problem("cannot map the Slack message: " + ex);
		}
		if (!mapped.ok()) {
			records.add(new QuarantinedRecord(origin, mapped.problem(), raw));
			return records;
		}
		ChatRecord record = mapped.record();
		records.add(record);
		if (record.kind() == RecordKind.MESSAGE) {
			revisions(message, record, records);
		}
		return records;
	}

	private static void revisions(JsonNode message, ChatRecord record, List<SourceRecord> records) {
		String ts = record.platformMessageId();
		Optional<JsonNode> edited = JsonRecords.child(message, "edited");
		if (edited.isPresent() && record.deletion() == null) {
			JsonRecords.epochSeconds(JsonRecords.text(edited.get(), "ts"))
				.ifPresent((at) -> records.add(revision(record, RecordKind.EDIT, ts, at).build()));
		}
		if (record.deletion() != null) {
			// A tombstone keeps a deleted thread root's place; the deletion's instant is
			// not given, the instant the root was sent stands in for it.
			records.add(revision(record, RecordKind.DELETION, ts, record.sentAt())
				.deletion(new Deletion(null, null, record.body()))
				.build());
		}
	}

	private static ChatRecord.Builder revision(ChatRecord record, RecordKind kind, String target,
			java.time.Instant at) {
		return record.toBuilder().kind(kind).targetMessageId(target).sentAt(at).extra("derived", "poll");
	}

	/**
	 * Maps an Events API delivery ({@code event_callback}): a {@code message} event of
	 * any subtype becomes records as an export's message would; other events are kept as
	 * quarantined input (they are evidence, not chat the model holds).
	 * @param body the raw POST body
	 * @param origin where it was read (the inbox row)
	 * @return the records
	 */
	public List<SourceRecord> event(byte[] body, SourceLocation origin) {
		JsonRecords.Parsed parsed = this.json.parse(body);
		if (!parsed.ok()) {
			return List.of(new QuarantinedRecord(origin, "Slack event delivery: " + parsed.problem(), body));
		}
		JsonNode event = parsed.node().path("event");
		String type = JsonRecords.text(event, "type");
		if (!event.isObject() || type == null) {
			return List.of(new QuarantinedRecord(origin, "not a Slack event delivery (no \"event\" object)", body));
		}
		if (!type.equals("message")) {
			return List.of(new QuarantinedRecord(origin,
					"Slack event type '" + type + "' holds no message: kept here, not archived as chat", body));
		}
		String channel = JsonRecords.text(event, "channel");
		if (channel == null) {
			return List.of(new QuarantinedRecord(origin, "a Slack message event without a channel", body));
		}
		List<SourceRecord> records = new ArrayList<>(1);
		for (SourceRecord record : message(event, conversation(channel), origin)) {
			records.add((record instanceof QuarantinedRecord quarantined)
					? new QuarantinedRecord(origin, quarantined.reason(), body) : record);
		}
		return records;
	}

	/** The Web API has no export tree: its files are references. */
	private static final ExportTree NO_FILES = new ExportTree() {

		@Override
		public List<String> names() {
			return List.of();
		}

		@Override
		public List<SafeZip.Refusal> refused() {
			return List.of();
		}

		@Override
		public InputStream open(String name) throws IOException {
			throw new IOException("no file " + name + " in a Web API response");
		}

		@Override
		public Optional<String> damage(String name) {
			return Optional.empty();
		}

		@Override
		public QuarantinedRecord quarantined(String file, String name, long line, String reason) {
			return new QuarantinedRecord(new SourceLocation(file, name, line), reason, new byte[0]);
		}

		@Override
		public ContentLocator locator(String name) {
			throw new IllegalStateException("no file " + name + " in a Web API response");
		}

		@Override
		public void close() {
		}

	};

}
