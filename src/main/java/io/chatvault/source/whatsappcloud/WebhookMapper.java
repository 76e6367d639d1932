package io.chatvault.source.whatsappcloud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;

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
 * Maps one WhatsApp Business Cloud API webhook body to records: every message
 * ({@code messages[]}), business-app echo ({@code message_echoes[]}, written by the
 * business number) and delivery status ({@code statuses[]}) of every change of every
 * entry. Media are references by media id (the bytes must be fetched from the Graph API
 * within days); reactions, edits and revocations are records of their own pointing at
 * their target. A conversation is the business number with one customer (or one group).
 */
final class WebhookMapper {

	private static final Set<String> MEDIA = Set.of("image", "video", "audio", "document", "sticker");

	private static final Set<String> MESSAGE_MAPPED = Set.of("id", "timestamp", "from", "to", "type", "text",
			"reaction", "edit", "revoke", "system");

	private static final Set<String> STATUS_MAPPED = Set.of("id", "timestamp", "status", "recipient_id");

	/** The arrays of a webhook body whose elements are read as records. */
	static final Set<String> NESTED_READ = Set.of("entry[].changes[].value.messages",
			"entry[].changes[].value.message_echoes", "entry[].changes[].value.statuses");

	private final JsonRecords json;

	private final Map<String, Conversation> conversations = new HashMap<>();

	private final CustomerLinks links;

	WebhookMapper(JsonRecords json) {
		this(json, CustomerLinks.inMemory());
	}

	WebhookMapper(JsonRecords json, CustomerLinks links) {
		this.json = json;
		this.links = links;
	}

	/**
	 * Whether an object in a webhook body is a message or status: an id and a timestamp.
	 * Contacts, errors and metadata have neither.
	 */
	static boolean messageShaped(JsonNode node) {
		return JsonRecords.text(node, "id") != null && JsonRecords.text(node, "timestamp") != null;
	}

	/**
	 * Maps a webhook body.
	 * @param body the POST body
	 * @param origin where it was read
	 * @param rawSha256 the hash of its raw bytes
	 * @return one result per message, echo and status, in order; a problem when the body
	 * is not a webhook or carries none
	 */
	List<MappedRecord> map(JsonNode body, SourceLocation origin, String rawSha256) {
		List<MappedRecord> results = new ArrayList<>();
		if (!body.isObject() || !body.path("entry").isArray()) {
			return List.of(MappedRecord.problem("not a WhatsApp webhook body (no \"entry\" array)"));
		}
		for (JsonNode entry : body.path("entry")) {
			for (JsonNode change : entry.path("changes")) {
				String field = Optional.ofNullable(JsonRecords.text(change, "field")).orElse("");
				JsonNode value = change.path("value");
				int before = results.size();
				Context context = new Context(value, JsonRecords.text(entry, "id"), origin, rawSha256);
				for (JsonNode message : value.path("messages")) {
					results.add(guard(() -> message(message, context, false)));
				}
				for (JsonNode echo : value.path("message_echoes")) {
					results.add(guard(() -> message(echo, context, true)));
				}
				for (JsonNode status : value.path("statuses")) {
					results.add(guard(() -> status(status, context)));
				}
				if (results.size() == before) {
					results.add(MappedRecord.problem("webhook field '" + field
							+ "' holds no messages, echoes or statuses: kept here, not archived as chat"));
				}
			}
		}
		if (results.isEmpty()) {
			results.add(MappedRecord.problem("a webhook body without changes"));
		}
		return results;
	}

	/**
	 * Maps the changes of a body of incoming text messages read without a tree
	 * ({@link TextWebhookStream}): the same records as {@link #map} gives for the tree of
	 * the same body, the customer links and conversations shared with it.
	 * @param changes the body's changes
	 * @param origin where it was read
	 * @param rawSha256 the hash of its raw bytes
	 * @return one result per message, in order
	 */
	List<MappedRecord> map(List<TextWebhookStream.Change> changes, SourceLocation origin, String rawSha256) {
		List<MappedRecord> results = new ArrayList<>();
		for (TextWebhookStream.Change change : changes) {
			for (TextWebhookStream.Text text : change.texts()) {
				results.add(guard(() -> text(change, text, origin, rawSha256)));
			}
		}
		return results;
	}

	/** As {@link #message} reads a text message that is not an echo. */
	private MappedRecord text(TextWebhookStream.Change change, TextWebhookStream.Text text, SourceLocation origin,
			String rawSha256) {
		String userId = null;
		for (TextWebhookStream.Contact contact : change.contacts()) {
			if (text.from().equals(contact.waId())) {
				userId = contact.userId();
				break;
			}
		}
		CustomerLinks.Resolved customer = this.links.resolve(change.businessId(), text.from(), userId);
		Participant author = customer(change, customer.key());
		String other = (customer.key() != null) ? customer.key() : "unknown";
		Conversation conversation = this.conversations.computeIfAbsent(change.businessId() + ":" + other, (key) -> {
			Participant business = new Participant(change.businessPhone(), "business " + change.businessPhone());
			Participant person = customer(change, other);
			return new Conversation(key, ConversationType.DIRECT, person.displayName(), List.of(business, person));
		});
		ChatRecord.Builder builder = ChatRecord
			.builder(SourcePlatform.WHATSAPP_CLOUD_API, conversation, RecordKind.MESSAGE, text.sentAt(), origin)
			.platformMessageId(text.id())
			.author(author)
			.rawSha256(rawSha256)
			.body(text.body());
		builder.extra("business_phone_number_id", change.businessId());
		if (change.contactsJson() != null) {
			builder.extra("webhook_contacts", change.contactsJson());
		}
		noteMerge(builder, customer);
		return MappedRecord.of(builder.build());
	}

	/** As {@link Context#customer(String, JsonNode)} names a customer by its key. */
	private static Participant customer(TextWebhookStream.Change change, String key) {
		String id = (key != null) ? key : "unknown";
		for (TextWebhookStream.Contact contact : change.contacts()) {
			if (id.equals(contact.waId()) || id.equals(contact.userId())) {
				return new Participant(id, (contact.name() != null) ? contact.name() : id);
			}
		}
		return new Participant(id, id);
	}

	private static MappedRecord guard(java.util.function.Supplier<MappedRecord> mapping) {
		try {
			return mapping.get();
		}
		catch (RuntimeException ex) {
			return MappedRecord.problem("cannot map: " + ex);
		}
	}

	private MappedRecord message(JsonNode message, Context context, boolean echo) {
		String id = JsonRecords.text(message, "id");
		Optional<Instant> at = JsonRecords.epochSeconds(JsonRecords.text(message, "timestamp"));
		if (id == null || at.isEmpty()) {
			return MappedRecord.problem("a " + (echo ? "message echo" : "message") + " without an id or timestamp");
		}
		String type = Optional.ofNullable(JsonRecords.text(message, "type")).orElse("unknown");
		String from = JsonRecords.text(message, "from", "from_user_id");
		CustomerLinks.Resolved customer = echo
				? context.customer(JsonRecords.text(message, "to"), JsonRecords.text(message, "to_user_id"))
				: context.customer(JsonRecords.text(message, "from"), JsonRecords.text(message, "from_user_id"));
		Participant author = echo ? context.business(from) : context.customer(customer.key(), message);
		RecordKind kind = switch (type) {
			case "reaction" -> RecordKind.REACTION;
			case "edit" -> RecordKind.EDIT;
			case "revoke" -> RecordKind.DELETION;
			case "system" -> RecordKind.SYSTEM_EVENT;
			default -> RecordKind.MESSAGE;
		};
		ChatRecord.Builder builder = ChatRecord
			.builder(SourcePlatform.WHATSAPP_CLOUD_API, conversation(context, customer.key(), message), kind, at.get(),
					context.origin)
			.platformMessageId(id)
			.author(author)
			.rawSha256(context.rawSha256);
		String replyTo = JsonRecords.text(message.path("context"), "id");
		if (replyTo != null) {
			builder.replyToId(replyTo);
		}
		switch (kind) {
			case REACTION -> {
				JsonNode reaction = message.path("reaction");
				String emoji = Optional.ofNullable(JsonRecords.text(reaction, "emoji")).orElse("");
				builder.targetMessageId(JsonRecords.text(reaction, "message_id")).body(emoji);
				if (emoji.isEmpty()) {
					builder.extra("reaction_removed", "true");
				}
				else {
					builder.reaction(new Reaction(emoji, author, at.get()));
				}
				builder.extra("reaction", this.json.toJson(reaction));
			}
			case EDIT -> {
				JsonNode edit = message.path("edit");
				JsonNode edited = edit.path("message");
				builder.targetMessageId(JsonRecords.text(edit, "original_message_id"))
					.body(content(edited, builder))
					.edit(new Edit(at.get(), null, author));
				builder.extra("edit", this.json.toJson(edit));
			}
			case DELETION -> {
				JsonNode revoke = message.path("revoke");
				builder.targetMessageId(JsonRecords.text(revoke, "original_message_id"))
					.deletion(new Deletion(at.get(), author, ""));
				builder.extra("revoke", this.json.toJson(revoke));
			}
			case SYSTEM_EVENT -> {
				JsonNode system = message.path("system");
				String systemType = Optional.ofNullable(JsonRecords.text(system, "type")).orElse("");
				SystemEventType eventType = switch (systemType) {
					case "user_changed_number", "customer_changed_number" -> SystemEventType.NUMBER_CHANGED;
					case "customer_identity_changed" -> SystemEventType.IDENTITY_CHANGED;
					default -> SystemEventType.OTHER;
				};
				String text = Optional.ofNullable(JsonRecords.text(system, "body")).orElse(systemType);
				builder.body(text).event(new SystemEvent(eventType, author, text));
				builder.extra("system", this.json.toJson(system));
			}
			default -> builder.body(content(message, builder));
		}
		if (echo) {
			builder.extra("echo", "true");
		}
		context.keep(builder);
		noteMerge(builder, customer);
		this.json.keepUnmapped(message, MESSAGE_MAPPED, builder);
		return MappedRecord.of(builder.build());
	}

	/**
	 * The text of a message of any type, adding its media as attachments. Structured
	 * content (locations, contacts, orders, interactive replies) is kept whole in extra
	 * by the caller; the text here is what a reviewer would read.
	 */
	private String content(JsonNode message, ChatRecord.Builder builder) {
		String type = Optional.ofNullable(JsonRecords.text(message, "type")).orElse("");
		JsonNode payload = message.path(type);
		if (MEDIA.contains(type)) {
			String mediaId = JsonRecords.text(payload, "id");
			String name = Optional.ofNullable(JsonRecords.text(payload, "filename"))
				.orElse(type + "-" + ((mediaId != null) ? mediaId : "unknown"));
			String url = JsonRecords.text(payload, "url");
			String reference = (url != null) ? url : "whatsapp-media:" + mediaId;
			builder.attachment(new Attachment(name, JsonRecords.text(payload, "mime_type"), -1, null,
					AttachmentStatus.REFERENCE, reference, null));
			return Optional.ofNullable(JsonRecords.text(payload, "caption")).orElse("");
		}
		return switch (type) {
			case "text" -> Optional.ofNullable(JsonRecords.text(payload, "body")).orElse("");
			case "button" -> Optional.ofNullable(JsonRecords.text(payload, "text")).orElse("");
			case "interactive" -> {
				JsonNode reply = JsonRecords.child(payload, "button_reply", "list_reply", "nfm_reply").orElse(payload);
				String title = JsonRecords.text(reply, "title", "body");
				String description = JsonRecords.text(reply, "description");
				yield String.join("\n",
						java.util.stream.Stream.of(title, description).filter(java.util.Objects::nonNull).toList());
			}
			case "location" -> String.join("\n", java.util.stream.Stream
				.of(JsonRecords.text(payload, "name"), JsonRecords.text(payload, "address"), coordinates(payload))
				.filter(java.util.Objects::nonNull)
				.toList());
			case "contacts" -> {
				List<String> names = new ArrayList<>();
				for (JsonNode contact : payload) {
					String name = JsonRecords.text(contact.path("name"), "formatted_name", "first_name");
					if (name != null) {
						names.add(name);
					}
				}
				yield String.join(", ", names);
			}
			case "order" -> Optional.ofNullable(JsonRecords.text(payload, "text")).orElse("");
			default -> "";
		};
	}

	private static String coordinates(JsonNode location) {
		String latitude = JsonRecords.text(location, "latitude");
		String longitude = JsonRecords.text(location, "longitude");
		return (latitude != null && longitude != null) ? latitude + "," + longitude : null;
	}

	private MappedRecord status(JsonNode status, Context context) {
		String id = JsonRecords.text(status, "id");
		String name = JsonRecords.text(status, "status");
		Optional<Instant> at = JsonRecords.epochSeconds(JsonRecords.text(status, "timestamp"));
		if (id == null || name == null || at.isEmpty()) {
			return MappedRecord.problem("a status without an id, status or timestamp");
		}
		CustomerLinks.Resolved recipient = context.customer(JsonRecords.text(status, "recipient_id"),
				JsonRecords.text(status, "recipient_user_id"));
		ChatRecord.Builder builder = ChatRecord
			.builder(SourcePlatform.WHATSAPP_CLOUD_API, conversation(context, recipient.key(), status),
					RecordKind.STATUS, at.get(), context.origin)
			.platformMessageId(id)
			.targetMessageId(id)
			.body(name)
			.rawSha256(context.rawSha256);
		context.keep(builder);
		noteMerge(builder, recipient);
		this.json.keepUnmapped(status, STATUS_MAPPED, builder);
		return MappedRecord.of(builder.build());
	}

	/** Says on the record that a delivery linked two keys the customer had apart. */
	private static void noteMerge(ChatRecord.Builder builder, CustomerLinks.Resolved customer) {
		if (customer.merged() != null) {
			builder.extra("customerMerged", customer.merged() + " is the same customer as " + customer.key()
					+ ": earlier records stay in its conversation, later ones come here");
		}
	}

	private Conversation conversation(Context context, String customer, JsonNode item) {
		String group = JsonRecords.text(item, "group_id");
		boolean isGroup = group != null || "group".equals(JsonRecords.text(item, "recipient_type"));
		String other = (group != null) ? group : (customer != null) ? customer : "unknown";
		String id = context.businessId + ":" + other;
		return this.conversations.computeIfAbsent(id, (key) -> {
			Participant business = context.business(context.businessPhone);
			if (isGroup) {
				return new Conversation(key, ConversationType.GROUP, other, List.of(business));
			}
			Participant person = context.customer(other, item);
			return new Conversation(key, ConversationType.DIRECT, person.displayName(), List.of(business, person));
		});
	}

	/** What one change's value says about everything in it. */
	private final class Context {

		private final JsonNode value;

		private final String businessId;

		private final String businessPhone;

		private final SourceLocation origin;

		private final String rawSha256;

		Context(JsonNode value, String accountId, SourceLocation origin, String rawSha256) {
			this.value = value;
			JsonNode metadata = value.path("metadata");
			String phoneId = JsonRecords.text(metadata, "phone_number_id");
			this.businessId = (phoneId != null) ? phoneId : (accountId != null) ? accountId : "unknown";
			String display = JsonRecords.text(metadata, "display_phone_number");
			this.businessPhone = (display != null) ? display : this.businessId;
			this.origin = origin;
			this.rawSha256 = rawSha256;
		}

		Participant business(String number) {
			String id = (number != null) ? number : this.businessPhone;
			return new Participant(id, id.equals(this.businessPhone) ? "business " + id : id);
		}

		/**
		 * A customer by phone number or business-scoped user id, named by the contacts.
		 */
		Participant customer(String from, JsonNode item) {
			String id = (from != null) ? from
					: Optional.ofNullable(JsonRecords.text(item, "from_user_id")).orElse("unknown");
			for (JsonNode contact : this.value.path("contacts")) {
				if (id.equals(JsonRecords.text(contact, "wa_id")) || id.equals(JsonRecords.text(contact, "user_id"))) {
					String name = JsonRecords.text(contact.path("profile"), "name");
					return new Participant(id, (name != null) ? name : id);
				}
			}
			return new Participant(id, id);
		}

		/**
		 * The customer's key from the identifiers an item carries, completed from the
		 * change's contacts (a contact names the phone as {@code wa_id} and the
		 * business-scoped id as {@code user_id}); links the two where both are known.
		 */
		CustomerLinks.Resolved customer(String phone, String userId) {
			for (JsonNode contact : this.value.path("contacts")) {
				String waId = JsonRecords.text(contact, "wa_id");
				String contactUserId = JsonRecords.text(contact, "user_id");
				boolean same = (phone != null && phone.equals(waId))
						|| (userId != null && userId.equals(contactUserId));
				if (same) {
					phone = (phone != null) ? phone : waId;
					userId = (userId != null) ? userId : contactUserId;
					break;
				}
			}
			return WebhookMapper.this.links.resolve(this.businessId, phone, userId);
		}

		/** Value-level data that belongs with every record of the change. */
		void keep(ChatRecord.Builder builder) {
			builder.extra("business_phone_number_id", this.businessId);
			JsonRecords.child(this.value, "contacts")
				.ifPresent((contacts) -> builder.extra("webhook_contacts", WebhookMapper.this.json.toJson(contacts)));
			JsonRecords.child(this.value, "errors")
				.ifPresent((errors) -> builder.extra("webhook_errors", WebhookMapper.this.json.toJson(errors)));
		}

	}

}
