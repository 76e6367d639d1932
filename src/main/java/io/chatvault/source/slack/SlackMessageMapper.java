package io.chatvault.source.slack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import io.chatvault.message.Attachment;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.Deletion;
import io.chatvault.message.Edit;
import io.chatvault.message.Participant;
import io.chatvault.message.Reaction;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import io.chatvault.message.SystemEvent;
import io.chatvault.message.SystemEventType;
import io.chatvault.source.JsonRecords;
import io.chatvault.source.MappedRecord;

/**
 * Maps one Slack message object to the normalized model. Subtypes decide the kind:
 * {@code message_changed} is an {@link RecordKind#EDIT} carrying the previous text,
 * {@code message_deleted} a {@link RecordKind#DELETION}, a {@code tombstone} a message
 * marked deleted, membership, topic, purpose and name changes are system events, and
 * everything a person or bot wrote (threads, broadcasts, file shares, file comments) is a
 * message. Fields the model has no place for are kept in {@code extra}.
 */
final class SlackMessageMapper {

	private static final Set<String> MAPPED = Set.of("type", "ts", "user", "text", "thread_ts", "edited", "reactions",
			"files", "file", "blocks", "bot_id", "username", "deleted_ts", "message", "previous_message", "comment");

	/**
	 * Nested arrays of message-like objects that are read: legacy {@code attachments}
	 * quote shared messages (with their ts and text), which stay in extra as part of the
	 * message that shares them.
	 */
	static final Set<String> NESTED_READ = Set.of("attachments");

	private static final Map<String, SystemEventType> EVENTS = Map.ofEntries(
			Map.entry("channel_join", SystemEventType.JOINED), Map.entry("group_join", SystemEventType.JOINED),
			Map.entry("channel_leave", SystemEventType.LEFT), Map.entry("group_leave", SystemEventType.LEFT),
			Map.entry("channel_topic", SystemEventType.TOPIC_CHANGED),
			Map.entry("group_topic", SystemEventType.TOPIC_CHANGED),
			Map.entry("channel_purpose", SystemEventType.PURPOSE_CHANGED),
			Map.entry("group_purpose", SystemEventType.PURPOSE_CHANGED),
			Map.entry("channel_name", SystemEventType.RENAMED), Map.entry("group_name", SystemEventType.RENAMED),
			Map.entry("channel_archive", SystemEventType.SETTINGS_CHANGED),
			Map.entry("group_archive", SystemEventType.SETTINGS_CHANGED),
			Map.entry("channel_unarchive", SystemEventType.SETTINGS_CHANGED),
			Map.entry("group_unarchive", SystemEventType.SETTINGS_CHANGED),
			Map.entry("channel_convert_to_private", SystemEventType.SETTINGS_CHANGED),
			Map.entry("channel_convert_to_public", SystemEventType.SETTINGS_CHANGED),
			Map.entry("channel_posting_permissions", SystemEventType.SETTINGS_CHANGED),
			Map.entry("bot_add", SystemEventType.BOT_ADDED), Map.entry("bot_remove", SystemEventType.REMOVED),
			Map.entry("bot_enable", SystemEventType.SETTINGS_CHANGED),
			Map.entry("bot_disable", SystemEventType.SETTINGS_CHANGED),
			Map.entry("pinned_item", SystemEventType.PINNED), Map.entry("unpinned_item", SystemEventType.OTHER),
			Map.entry("sh_room_created", SystemEventType.CALL), Map.entry("huddle_thread", SystemEventType.CALL),
			Map.entry("message_replied", SystemEventType.OTHER), Map.entry("reminder_add", SystemEventType.OTHER),
			Map.entry("channel_canvas_updated", SystemEventType.OTHER));

	private final SlackDirectory directory;

	private final SlackFiles files;

	private final JsonRecords json;

	SlackMessageMapper(SlackDirectory directory, SlackFiles files, JsonRecords json) {
		this.directory = directory;
		this.files = files;
		this.json = json;
	}

	/**
	 * Whether an object nested in a message is itself a message: a {@code ts} and a text,
	 * type or subtype. The {@code replies} pointers of old exports ({@code user},
	 * {@code ts}) are not: their messages are in the day files.
	 */
	static boolean messageShaped(JsonNode node) {
		return JsonRecords.text(node, "ts") != null && JsonRecords.child(node, "text", "type", "subtype").isPresent();
	}

	/**
	 * Maps a message.
	 * @param node the message object
	 * @param conversation its conversation
	 * @param folder the conversation folder inside the export, for matching files
	 * @param origin where it was read
	 * @param rawSha256 the hash of its raw bytes
	 * @return the record, or the reason it cannot be mapped
	 */
	MappedRecord map(JsonNode node, Conversation conversation, String folder, SourceLocation origin, String rawSha256) {
		if (!node.isObject()) {
			return MappedRecord.problem("expected a message object, found " + node.getNodeType().name().toLowerCase());
		}
		String ts = JsonRecords.text(node, "ts");
		Optional<Instant> sentAt = JsonRecords.epochSeconds(ts);
		if (sentAt.isEmpty()) {
			return MappedRecord
				.problem((ts == null) ? "a message without a ts" : "a message with an invalid ts '" + ts + "'");
		}
		String subtype = Optional.ofNullable(JsonRecords.text(node, "subtype")).orElse("");
		RecordKind kind = kindOf(subtype);
		ChatRecord.Builder builder = ChatRecord
			.builder(SourcePlatform.SLACK_EXPORT, conversation, kind, sentAt.get(), origin)
			.platformMessageId(ts)
			.rawSha256(rawSha256);
		author(node).ifPresent(builder::author);
		builder.body(body(node));
		JsonRecords.child(node, "blocks").ifPresent((blocks) -> builder.formattedBody(this.json.toJson(blocks)));
		thread(node, ts, builder);
		edited(node, builder);
		reactions(node, builder);
		attachments(node, folder, builder);
		switch (kind) {
			case EDIT -> changed(node, builder);
			case DELETION -> deleted(node, sentAt.get(), builder);
			case SYSTEM_EVENT -> builder.event(event(node, subtype));
			default -> {
				if (subtype.equals("tombstone")) {
					builder.deletion(new Deletion(null, null, JsonRecords.text(node, "text")));
				}
			}
		}
		JsonRecords.child(node, "comment").ifPresent((comment) -> {
			String text = JsonRecords.text(comment, "comment");
			if (text != null) {
				builder.body(text);
			}
			builder.extra("comment", this.json.toJson(comment));
		});
		this.json.keepUnmapped(node, MAPPED, builder);
		return MappedRecord.of(builder.build());
	}

	static RecordKind kindOf(String subtype) {
		return switch (subtype) {
			case "message_changed" -> RecordKind.EDIT;
			case "message_deleted" -> RecordKind.DELETION;
			default -> (EVENTS.containsKey(subtype) || (subtype.startsWith("channel_") || subtype.startsWith("group_")))
					? RecordKind.SYSTEM_EVENT : RecordKind.MESSAGE;
		};
	}

	private Optional<Participant> author(JsonNode node) {
		String user = JsonRecords.text(node, "user");
		String bot = JsonRecords.text(node, "bot_id");
		String username = JsonRecords.text(node, "username");
		if (user != null && !user.isBlank()) {
			Optional<Participant> known = this.directory.knownUser(user);
			if (known.isPresent()) {
				return known;
			}
			JsonNode profile = node.path("user_profile");
			return Optional.of(new Participant(user, profile.isObject() ? SlackDirectory.displayName(profile, user)
					: (username != null) ? username : user));
		}
		if (bot != null) {
			String name = (username != null) ? username : JsonRecords.text(node.path("bot_profile"), "name");
			return Optional.of(new Participant(bot, (name != null) ? name : bot));
		}
		return Optional.empty();
	}

	private String body(JsonNode node) {
		String text = JsonRecords.text(node, "text");
		if (text != null && !text.isEmpty()) {
			return text;
		}
		// Bot messages often carry everything in legacy attachments: their fallback text
		// is what Slack itself shows in notifications. The attachments stay in extra.
		List<String> fallbacks = new ArrayList<>();
		for (JsonNode attachment : node.path("attachments")) {
			String fallback = JsonRecords.text(attachment, "fallback");
			if (fallback != null) {
				fallbacks.add(fallback);
			}
		}
		return String.join("\n", fallbacks);
	}

	private void thread(JsonNode node, String ts, ChatRecord.Builder builder) {
		String threadTs = JsonRecords.text(node, "thread_ts");
		if (threadTs != null) {
			builder.threadId(threadTs);
			if (!threadTs.equals(ts)) {
				builder.replyToId(threadTs);
			}
		}
	}

	private void edited(JsonNode node, ChatRecord.Builder builder) {
		JsonRecords.child(node, "edited")
			.ifPresent((edited) -> builder.edit(new Edit(
					JsonRecords.epochSeconds(JsonRecords.text(edited, "ts")).orElse(null), null, participant(edited))));
	}

	private void reactions(JsonNode node, ChatRecord.Builder builder) {
		JsonNode reactions = node.path("reactions");
		if (!reactions.isArray()) {
			return;
		}
		boolean complete = true;
		for (JsonNode reaction : reactions) {
			String name = JsonRecords.text(reaction, "name");
			JsonNode users = reaction.path("users");
			int listed = 0;
			for (JsonNode user : users) {
				if (name != null && user.isString()) {
					builder.reaction(new Reaction(name, this.directory.user(user.stringValue()), null));
					listed++;
				}
			}
			String count = JsonRecords.text(reaction, "count");
			complete &= name != null && (count == null || count.equals(Integer.toString(listed)));
		}
		if (!complete) {
			// Slack truncates the users of popular reactions: keep the counts.
			builder.extra("reactions", this.json.toJson(reactions));
		}
	}

	private void attachments(JsonNode node, String folder, ChatRecord.Builder builder) {
		for (JsonNode file : node.path("files")) {
			builder.attachment(this.files.attachment(file, folder));
		}
		// Exports before 2019 carry a single "file" object (file_share, file_comment).
		JsonRecords.child(node, "file").ifPresent((file) -> builder.attachment(this.files.attachment(file, folder)));
	}

	private void changed(JsonNode node, ChatRecord.Builder builder) {
		JsonNode message = node.path("message");
		JsonNode previous = node.path("previous_message");
		builder.targetMessageId(JsonRecords.text(message, "ts"));
		builder.body(Optional.ofNullable(JsonRecords.text(message, "text")).orElse(""));
		JsonNode edited = message.path("edited");
		Participant editor = participant(edited);
		if (editor == null) {
			editor = Optional.ofNullable(JsonRecords.text(message, "user")).map(this.directory::user).orElse(null);
		}
		if (editor != null) {
			builder.author(editor);
		}
		builder.edit(new Edit(JsonRecords.epochSeconds(JsonRecords.text(edited, "ts")).orElse(null),
				JsonRecords.text(previous, "text"), editor));
		JsonRecords.child(message, "blocks").ifPresent((blocks) -> builder.formattedBody(this.json.toJson(blocks)));
		if (message.isObject()) {
			builder.extra("message", this.json.toJson(message));
		}
		if (previous.isObject()) {
			builder.extra("previous_message", this.json.toJson(previous));
		}
	}

	private void deleted(JsonNode node, Instant at, ChatRecord.Builder builder) {
		JsonNode previous = node.path("previous_message");
		String target = JsonRecords.text(node, "deleted_ts");
		builder.targetMessageId((target != null) ? target : JsonRecords.text(previous, "ts"));
		builder.deletion(new Deletion(at, null, ""));
		if (previous.isObject()) {
			builder.extra("previous_message", this.json.toJson(previous));
		}
	}

	private SystemEvent event(JsonNode node, String subtype) {
		SystemEventType type = EVENTS.getOrDefault(subtype, SystemEventType.OTHER);
		String user = JsonRecords.text(node, "user");
		Participant subject = (user != null) ? this.directory.user(user) : null;
		String detail = switch (type) {
			case TOPIC_CHANGED -> JsonRecords.text(node, "topic");
			case PURPOSE_CHANGED -> JsonRecords.text(node, "purpose");
			case RENAMED -> JsonRecords.text(node, "name");
			default -> JsonRecords.text(node, "text");
		};
		return new SystemEvent(type, subject, (detail != null) ? detail : subtype);
	}

	private Participant participant(JsonNode holder) {
		String user = JsonRecords.text(holder, "user");
		return (user != null) ? this.directory.user(user) : null;
	}

}
