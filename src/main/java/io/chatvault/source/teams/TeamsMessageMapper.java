package io.chatvault.source.teams;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
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
 * Maps one Graph chatMessage, in REST camelCase or .NET SDK PascalCase, to the normalized
 * model: the HTML body is kept as the formatted body and reduced to text, edits and
 * deletions come from their timestamps, reactions and mentions are kept, SharePoint files
 * are references, inline images point at their hosted content, and system messages become
 * events. Everything the model has no place for is kept in {@code extra}.
 */
final class TeamsMessageMapper {

	/**
	 * Mapped completely; identities (from, channelIdentity, eventDetail) stay in extra
	 * too, for their tenant and team ids.
	 */
	private static final Set<String> MAPPED = Set.of("id", "body", "createdDateTime", "lastEditedDateTime",
			"deletedDateTime", "replyToId", "attachments", "reactions", "messageType", "chatId", "replies");

	/**
	 * The nested collections of messages that the reader reads as messages of their own
	 * ({@code $expand=replies}), in both spellings; the unread-array guard leaves them to
	 * it.
	 */
	static final Set<String> NESTED_MESSAGES = Set.of("replies", "Replies");

	private static final Pattern HOSTED_IMAGE = Pattern
		.compile("(?i)<img\\b[^>]*?\\bsrc=\"([^\"]*/hostedContents/([^/\"]+)/\\$value)\"");

	private static final Map<String, SystemEventType> EVENTS = Map.ofEntries(
			Map.entry("membersAdded", SystemEventType.ADDED), Map.entry("membersDeleted", SystemEventType.REMOVED),
			Map.entry("membersJoined", SystemEventType.JOINED), Map.entry("membersLeft", SystemEventType.LEFT),
			Map.entry("channelRenamed", SystemEventType.RENAMED), Map.entry("chatRenamed", SystemEventType.RENAMED),
			Map.entry("teamRenamed", SystemEventType.RENAMED),
			Map.entry("channelDescriptionUpdated", SystemEventType.PURPOSE_CHANGED),
			Map.entry("teamDescriptionUpdated", SystemEventType.PURPOSE_CHANGED),
			Map.entry("callStarted", SystemEventType.CALL), Map.entry("callEnded", SystemEventType.CALL),
			Map.entry("callRecording", SystemEventType.CALL), Map.entry("callTranscript", SystemEventType.CALL),
			Map.entry("messagePinned", SystemEventType.PINNED), Map.entry("teamCreated", SystemEventType.CREATED),
			Map.entry("channelAdded", SystemEventType.CREATED),
			Map.entry("teamsAppInstalled", SystemEventType.BOT_ADDED),
			Map.entry("conversationMemberRoleUpdated", SystemEventType.ADMIN_CHANGED));

	private final JsonRecords json;

	private final Map<String, Conversation> conversations = new HashMap<>();

	TeamsMessageMapper(JsonRecords json) {
		this.json = json;
	}

	/**
	 * Rewrites PascalCase keys to camelCase, recursively, so that one mapping serves both
	 * serializations. "@odata" keys keep their spelling.
	 */
	static JsonNode camelCase(JsonNode node) {
		if (node.isObject()) {
			ObjectNode copy = JsonNodeFactory.instance.objectNode();
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				String key = field.getKey();
				String camel = (!key.isEmpty() && Character.isUpperCase(key.charAt(0)))
						? Character.toLowerCase(key.charAt(0)) + key.substring(1) : key;
				copy.set(camel, camelCase(field.getValue()));
			}
			return copy;
		}
		if (node.isArray()) {
			ArrayNode copy = JsonNodeFactory.instance.arrayNode();
			node.forEach((element) -> copy.add(camelCase(element)));
			return copy;
		}
		return node;
	}

	/**
	 * Whether an object found nested in a chatMessage is itself a chatMessage: an id and
	 * a creation time, a message type or a body. Attachments, mentions, reactions and
	 * hosted contents lack one or the other.
	 */
	static boolean messageShaped(JsonNode node) {
		return JsonRecords.child(node, "id", "Id").isPresent() && JsonRecords
			.child(node, "createdDateTime", "CreatedDateTime", "messageType", "MessageType", "body", "Body")
			.isPresent();
	}

	/**
	 * Maps a message.
	 * @param original the chatMessage as read
	 * @param fallbackConversation the conversation id to use when the message names none
	 * (the folder of the export file)
	 * @param origin where it was read
	 * @param rawSha256 the hash of its raw bytes
	 * @return the record, or the reason it cannot be mapped
	 */
	MappedRecord map(JsonNode original, String fallbackConversation, SourceLocation origin, String rawSha256) {
		return map(original, fallbackConversation, origin, rawSha256, null);
	}

	/**
	 * Maps a message, possibly one nested in the {@code replies} of its thread's root.
	 * @param original the chatMessage as read
	 * @param fallbackConversation the conversation id to use when neither the message nor
	 * its root names one (the folder of the export file)
	 * @param origin where it was read
	 * @param rawSha256 the hash of its raw bytes
	 * @param root the message it was nested in, or null
	 * @return the record, or the reason it cannot be mapped
	 */
	MappedRecord map(JsonNode original, String fallbackConversation, SourceLocation origin, String rawSha256,
			ChatRecord root) {
		if (!original.isObject()) {
			return MappedRecord.problem(
					"expected a chatMessage object, found " + original.getNodeType().name().toLowerCase(Locale.ROOT));
		}
		JsonNode node = camelCase(original);
		String id = JsonRecords.text(node, "id");
		if (id == null) {
			return MappedRecord.problem("a chatMessage without an id");
		}
		Optional<Instant> created = JsonRecords.isoInstant(JsonRecords.text(node, "createdDateTime"));
		if (created.isEmpty()) {
			return MappedRecord
				.problem("a chatMessage without a valid createdDateTime: " + JsonRecords.text(node, "createdDateTime"));
		}
		String messageType = Optional.ofNullable(JsonRecords.text(node, "messageType")).orElse("message");
		String html = JsonRecords.text(node.path("body"), "content");
		String contentType = JsonRecords.text(node.path("body"), "contentType");
		boolean system = !messageType.equals("message") || (html != null && html.contains("<systemEventMessage"))
				|| JsonRecords.child(node, "eventDetail").isPresent();
		ChatRecord.Builder builder = ChatRecord
			.builder(SourcePlatform.TEAMS_GRAPH, conversation(node, fallbackConversation, root),
					system ? RecordKind.SYSTEM_EVENT : RecordKind.MESSAGE, created.get(), origin)
			.platformMessageId(id)
			.rawSha256(rawSha256);
		participant(node.path("from")).ifPresent(builder::author);
		if ("html".equalsIgnoreCase(contentType)) {
			builder.formattedBody(html).body(HtmlText.toText(html));
		}
		else {
			builder.body((html != null) ? html : "");
		}
		String replyTo = JsonRecords.text(node, "replyToId");
		if (root != null) {
			builder.extra("nestedIn", "replies of " + root.platformMessageId());
			if (replyTo == null) {
				// Graph sets replyToId on replies; where a serialization left it out, the
				// nesting says the same.
				replyTo = root.platformMessageId();
			}
		}
		if (replyTo != null) {
			builder.replyToId(replyTo).threadId(replyTo);
		}
		else if (JsonRecords.child(node, "channelIdentity").isPresent()) {
			// In a channel, a message without a parent is the root of its own thread.
			builder.threadId(id);
		}
		JsonRecords.isoInstant(JsonRecords.text(node, "lastEditedDateTime"))
			.ifPresent((at) -> builder.edit(new Edit(at, null, null)));
		JsonRecords.isoInstant(JsonRecords.text(node, "deletedDateTime"))
			.ifPresent((at) -> builder.deletion(new Deletion(at, null, "")));
		reactions(node, builder);
		attachments(node, html, builder);
		if (system) {
			builder.event(event(node));
		}
		incompleteReplies(node, builder);
		this.json.keepUnmapped(node, MAPPED, builder);
		return MappedRecord.of(builder.build());
	}

	private Conversation conversation(JsonNode node, String fallback, ChatRecord root) {
		String chatId = JsonRecords.text(node, "chatId");
		Optional<JsonNode> channel = JsonRecords.child(node, "channelIdentity");
		if (root != null && chatId == null && channel.isEmpty()) {
			return root.conversation();
		}
		if (chatId != null) {
			ConversationType type = chatId.endsWith("@unq.gbl.spaces") ? ConversationType.DIRECT
					: chatId.contains("@thread") ? ConversationType.GROUP : ConversationType.UNKNOWN;
			return this.conversations.computeIfAbsent(chatId, (key) -> new Conversation(key, type, "", List.of()));
		}
		if (channel.isPresent()) {
			String channelId = JsonRecords.text(channel.get(), "channelId");
			if (channelId != null) {
				return this.conversations.computeIfAbsent(channelId,
						(key) -> new Conversation(key, ConversationType.CHANNEL, "", List.of()));
			}
		}
		return this.conversations.computeIfAbsent("file:" + fallback,
				(key) -> new Conversation(key, ConversationType.UNKNOWN, fallback, List.of()));
	}

	/** The user, application or device of an identity set. */
	private static Optional<Participant> participant(JsonNode identitySet) {
		for (String kind : new String[] { "user", "application", "device" }) {
			JsonNode identity = identitySet.path(kind);
			String id = JsonRecords.text(identity, "id");
			if (id != null) {
				String name = JsonRecords.text(identity, "displayName");
				return Optional.of(new Participant(id, (name != null) ? name : id));
			}
		}
		return Optional.empty();
	}

	private void reactions(JsonNode node, ChatRecord.Builder builder) {
		for (JsonNode reaction : node.path("reactions")) {
			String type = JsonRecords.text(reaction, "reactionType");
			String name = JsonRecords.text(reaction, "displayName");
			String emoji = ("custom".equals(type) && name != null) ? name : type;
			Optional<Participant> by = participant(reaction.path("user"));
			if (emoji != null && by.isPresent()) {
				builder.reaction(new Reaction(emoji, by.get(),
						JsonRecords.isoInstant(JsonRecords.text(reaction, "createdDateTime")).orElse(null)));
			}
		}
	}

	private void attachments(JsonNode node, String html, ChatRecord.Builder builder) {
		ArrayNode other = JsonNodeFactory.instance.arrayNode();
		for (JsonNode attachment : node.path("attachments")) {
			String url = JsonRecords.text(attachment, "contentUrl");
			String type = JsonRecords.text(attachment, "contentType");
			if (url != null && !url.isBlank()) {
				String name = Optional.ofNullable(JsonRecords.text(attachment, "name"))
					.orElse(url.substring(url.lastIndexOf('/') + 1));
				// "reference" is a SharePoint/OneDrive file; other types with a URL are
				// files of their MIME type held elsewhere.
				String mediaType = ("reference".equals(type) || type == null) ? guessType(name) : type;
				builder.attachment(new Attachment(name, mediaType, -1, null, AttachmentStatus.REFERENCE, url, null));
			}
			else {
				// Cards and quoted messages: content, not files.
				other.add(attachment);
			}
		}
		if (!other.isEmpty()) {
			builder.extra("attachments", this.json.toJson(other));
		}
		if (html != null) {
			Matcher image = HOSTED_IMAGE.matcher(html);
			while (image.find()) {
				builder.attachment(new Attachment("hostedContent-" + image.group(2), "image/*", -1, null,
						AttachmentStatus.REFERENCE, image.group(1), null));
			}
		}
	}

	/**
	 * A root whose replies did not all fit in the response says so in
	 * {@code replies@odata.nextLink}: the record says that the archive holds only part of
	 * its thread until the rest is fetched.
	 */
	private static void incompleteReplies(JsonNode node, ChatRecord.Builder builder) {
		String next = JsonRecords.text(node, "replies@odata.nextLink");
		if (next != null) {
			int held = node.path("replies").size();
			String count = JsonRecords.text(node, "replies@odata.count");
			builder.extra("repliesIncomplete",
					held + " repl" + ((held == 1) ? "y" : "ies") + " in this response"
							+ ((count != null) ? " (replies@odata.count " + count + ")" : "")
							+ "; the rest are at replies@odata.nextLink");
		}
	}

	private static String guessType(String name) {
		String guessed = java.net.URLConnection.guessContentTypeFromName(name);
		return (guessed != null) ? guessed : "application/octet-stream";
	}

	private SystemEvent event(JsonNode node) {
		JsonNode detail = node.path("eventDetail");
		String kind = null;
		JsonNode specific = detail;
		String odata = JsonRecords.text(detail, "@odata.type");
		if (odata != null) {
			// "#microsoft.graph.membersAddedEventMessageDetail" -> "membersAdded"
			kind = odata.replaceFirst("^#?microsoft\\.graph\\.", "").replaceFirst("EventMessageDetail$", "");
		}
		else if (detail.isObject()) {
			// The .NET SDK flattens the detail subtypes into properties, one of them set.
			for (Map.Entry<String, JsonNode> field : detail.properties()) {
				if (!field.getValue().isNull() && EVENTS.containsKey(field.getKey())) {
					kind = field.getKey();
					specific = field.getValue();
					break;
				}
			}
		}
		SystemEventType type = (kind != null) ? EVENTS.getOrDefault(kind, SystemEventType.OTHER)
				: SystemEventType.OTHER;
		Participant subject = null;
		JsonNode members = specific.path("members");
		if (members.isArray() && !members.isEmpty()) {
			String memberId = JsonRecords.text(members.get(0), "id");
			if (memberId != null) {
				String name = JsonRecords.text(members.get(0), "displayName");
				subject = new Participant(memberId, (name != null) ? name : memberId);
			}
		}
		String text = JsonRecords.text(specific, "chatDisplayName", "channelDisplayName", "teamDisplayName",
				"channelDescription", "teamDescription");
		return new SystemEvent(type, subject, (text != null) ? text : (kind != null) ? kind : "systemEventMessage");
	}

}
