package io.chatvault.source.teams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.Deletion;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.JsonRecords;
import io.chatvault.source.MappedRecord;

/**
 * Graph chatMessages as polls ({@code getAllMessages}, chat messages, channel delta) and
 * change notifications deliver them, mapped by the same {@link TeamsMessageMapper} as
 * exports, so that one message has one deterministic id whichever way it came.
 *
 * <p>
 * A poll sees a message's present state: one edited ({@code lastEditedDateTime}) or
 * deleted ({@code deletedDateTime}) after it was archived would otherwise be a duplicate
 * and the change lost. So such a message also yields an {@link RecordKind#EDIT} or
 * {@link RecordKind#DELETION} record of that state, whose id derives from the instant and
 * text: polled again it is a duplicate, a later change is new.
 */
public final class TeamsApiMessages {

	private final JsonRecords json = new JsonRecords();

	private final TeamsMessageMapper mapper = new TeamsMessageMapper(this.json);

	/**
	 * Maps one chatMessage of a Graph response.
	 * @param message the chatMessage object
	 * @param fallbackConversation the conversation id to use when the message names none
	 * @param origin where it was read (the request)
	 * @return the record (or the quarantined object), then the revision records its state
	 * implies
	 */
	public List<SourceRecord> message(JsonNode message, String fallbackConversation, SourceLocation origin) {
		byte[] raw = this.json.toJsonBytes(message);
		MappedRecord mapped;
		try {
			mapped = this.mapper.map(message, fallbackConversation, origin, Sha256.hex(raw));
		}
		catch (RuntimeException ex) {
			mapped = MappedRecord.problem("cannot map the chatMessage: " + ex);
		}
		if (!mapped.ok()) {
			return List.of(new QuarantinedRecord(origin, mapped.problem(), raw));
		}
		ChatRecord record = mapped.record();
		List<SourceRecord> records = new ArrayList<>(1);
		records.add(record);
		if (record.kind() == RecordKind.MESSAGE) {
			JsonNode node = TeamsMessageMapper.camelCase(message);
			Optional<Instant> deleted = JsonRecords.isoInstant(JsonRecords.text(node, "deletedDateTime"));
			Optional<Instant> edited = JsonRecords.isoInstant(JsonRecords.text(node, "lastEditedDateTime"));
			if (deleted.isPresent()) {
				records.add(revision(record, RecordKind.DELETION, deleted.get())
					.deletion(new Deletion(deleted.get(), null, ""))
					.build());
			}
			else if (edited.isPresent()) {
				records.add(revision(record, RecordKind.EDIT, edited.get()).build());
			}
		}
		return records;
	}

	private static ChatRecord.Builder revision(ChatRecord record, RecordKind kind, Instant at) {
		return record.toBuilder()
			.kind(kind)
			.targetMessageId(record.platformMessageId())
			.sentAt(at)
			.extra("derived", "poll");
	}

	/**
	 * Maps a captured body: a chatMessage, or a change notification collection whose
	 * items carry the message as resource data (decrypted by the capture server into
	 * {@code resources}, one JSON value per notification, or inline). A notification
	 * without the message's content is kept as quarantined input: the poll of its chat
	 * fetches it.
	 * @param body the raw body
	 * @param resources the decrypted resource data of the notifications (a JSON array),
	 * or null
	 * @param origin where it was read (the inbox row)
	 * @return the records
	 */
	public List<SourceRecord> notification(byte[] body, byte[] resources, SourceLocation origin) {
		JsonRecords.Parsed parsed = this.json.parse(body);
		if (!parsed.ok()) {
			return List.of(new QuarantinedRecord(origin, "Graph delivery: " + parsed.problem(), body));
		}
		JsonNode decrypted = null;
		if (resources != null) {
			JsonRecords.Parsed parsedResources = this.json.parse(resources);
			decrypted = parsedResources.ok() ? parsedResources.node() : null;
		}
		JsonNode node = parsed.node();
		List<JsonNode> messages = new ArrayList<>();
		if (node.isObject() && node.path("value").isArray()) {
			int i = 0;
			for (JsonNode notification : node.path("value")) {
				JsonNode resource = (decrypted != null && decrypted.isArray()) ? decrypted.path(i) : null;
				JsonNode data = notification.path("resourceData");
				if (resource != null && resource.isObject() && resource.has("createdDateTime")) {
					messages.add(resource);
				}
				else if (data.isObject() && data.has("createdDateTime")) {
					messages.add(data);
				}
				else if (notification.has("createdDateTime")) {
					messages.add(notification);
				}
				i++;
			}
		}
		else if (node.isObject() && node.has("createdDateTime")) {
			messages.add(node);
		}
		if (messages.isEmpty()) {
			return List.of(new QuarantinedRecord(origin,
					"Graph notification without message content: kept here, the poll of its chat fetches it", body));
		}
		List<SourceRecord> records = new ArrayList<>();
		for (JsonNode message : messages) {
			for (SourceRecord record : message(message, "graph-notification", origin)) {
				records.add((record instanceof QuarantinedRecord quarantined)
						? new QuarantinedRecord(origin, quarantined.reason(), body) : record);
			}
		}
		return records;
	}

}
