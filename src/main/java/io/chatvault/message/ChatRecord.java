package io.chatvault.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The normalized record: one model for every source, with nothing in the source dropped.
 * What the model cannot express is kept in {@link #extra()}.
 *
 * <p>
 * Nullable components are documented; their {@code Optional} accessors ({@code author()}
 * aside) are preferred by readers.
 *
 * @param source the platform and channel it came from
 * @param conversation the conversation it belongs to
 * @param platformMessageId the source's own id (Slack ts, Graph id, wamid), or
 * {@code null} where the source has none (WhatsApp text exports)
 * @param kind what the record is
 * @param author who wrote it, or {@code null} for system events without an author
 * @param sentAt when it was sent
 * @param zone the IANA zone used to read a zone-less timestamp (WhatsApp exports), or
 * {@code null} when the source carries an offset
 * @param body the text (HTML reduced to text for Teams), or an empty string
 * @param formattedBody the source's rich body (Teams HTML, Slack blocks JSON), or
 * {@code null}
 * @param edits known earlier states, oldest first
 * @param edited whether the source marks the message as edited, even without earlier
 * states
 * @param deletion the deletion, or {@code null}
 * @param reactions reactions on the message
 * @param replyToId the platform id of the message this replies to, or {@code null}
 * @param threadId the platform id of the thread root, or {@code null}
 * @param targetMessageId for {@link RecordKind#EDIT}, {@link RecordKind#DELETION},
 * {@link RecordKind#REACTION} and {@link RecordKind#STATUS}: the platform id of the
 * target
 * @param attachments attached files
 * @param event the system event, for {@link RecordKind#SYSTEM_EVENT}, else {@code null}
 * @param origin where it was read
 * @param rawSha256 the hex SHA-256 of the raw source fragment (the line(s) or the JSON
 * object)
 * @param occurrence among records of the same conversation with the same time, author and
 * body in this input, the 0-based position of this one: what tells apart two identical
 * messages in a source without ids
 * @param extra source data the model has no place for, as key to JSON or text
 */
public record ChatRecord(SourcePlatform source, Conversation conversation, String platformMessageId, RecordKind kind,
		Participant author, Instant sentAt, String zone, String body, String formattedBody, List<Edit> edits,
		boolean edited, Deletion deletion, List<Reaction> reactions, String replyToId, String threadId,
		String targetMessageId, List<Attachment> attachments, SystemEvent event, SourceLocation origin,
		String rawSha256, int occurrence, Map<String, String> extra) implements SourceRecord {

	public ChatRecord {
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(conversation, "conversation");
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(sentAt, "sentAt");
		Objects.requireNonNull(origin, "origin");
		body = (body != null) ? body : "";
		edits = (edits != null) ? List.copyOf(edits) : List.of();
		reactions = (reactions != null) ? List.copyOf(reactions) : List.of();
		attachments = (attachments != null) ? List.copyOf(attachments) : List.of();
		extra = (extra != null) ? Map.copyOf(extra) : Map.of();
		rawSha256 = (rawSha256 != null) ? rawSha256 : "";
	}

	public Optional<Participant> optionalAuthor() {
		return Optional.ofNullable(this.author);
	}

	public Optional<String> optionalPlatformMessageId() {
		return Optional.ofNullable(this.platformMessageId);
	}

	public boolean deleted() {
		return this.deletion != null;
	}

	public static Builder builder(SourcePlatform source, Conversation conversation, RecordKind kind, Instant sentAt,
			SourceLocation origin) {
		return new Builder(source, conversation, kind, sentAt, origin);
	}

	public Builder toBuilder() {
		Builder b = new Builder(this.source, this.conversation, this.kind, this.sentAt, this.origin);
		b.platformMessageId = this.platformMessageId;
		b.author = this.author;
		b.zone = this.zone;
		b.body = this.body;
		b.formattedBody = this.formattedBody;
		b.edits.addAll(this.edits);
		b.edited = this.edited;
		b.deletion = this.deletion;
		b.reactions.addAll(this.reactions);
		b.replyToId = this.replyToId;
		b.threadId = this.threadId;
		b.targetMessageId = this.targetMessageId;
		b.attachments.addAll(this.attachments);
		b.event = this.event;
		b.rawSha256 = this.rawSha256;
		b.occurrence = this.occurrence;
		b.extra.putAll(this.extra);
		return b;
	}

	/** Builds a {@link ChatRecord}; parsers fill what their source offers. */
	public static final class Builder {

		private SourcePlatform source;

		private Conversation conversation;

		private RecordKind kind;

		private Instant sentAt;

		private SourceLocation origin;

		private String platformMessageId;

		private Participant author;

		private String zone;

		private String body = "";

		private String formattedBody;

		private final List<Edit> edits = new ArrayList<>();

		private boolean edited;

		private Deletion deletion;

		private final List<Reaction> reactions = new ArrayList<>();

		private String replyToId;

		private String threadId;

		private String targetMessageId;

		private final List<Attachment> attachments = new ArrayList<>();

		private SystemEvent event;

		private String rawSha256 = "";

		private int occurrence;

		private final Map<String, String> extra = new LinkedHashMap<>();

		private Builder(SourcePlatform source, Conversation conversation, RecordKind kind, Instant sentAt,
				SourceLocation origin) {
			this.source = source;
			this.conversation = conversation;
			this.kind = kind;
			this.sentAt = sentAt;
			this.origin = origin;
		}

		public Builder source(SourcePlatform source) {
			this.source = source;
			return this;
		}

		public Builder conversation(Conversation conversation) {
			this.conversation = conversation;
			return this;
		}

		public Builder kind(RecordKind kind) {
			this.kind = kind;
			return this;
		}

		public Builder sentAt(Instant sentAt) {
			this.sentAt = sentAt;
			return this;
		}

		public Builder origin(SourceLocation origin) {
			this.origin = origin;
			return this;
		}

		public Builder platformMessageId(String platformMessageId) {
			this.platformMessageId = platformMessageId;
			return this;
		}

		public Builder author(Participant author) {
			this.author = author;
			return this;
		}

		public Builder zone(String zone) {
			this.zone = zone;
			return this;
		}

		public Builder body(String body) {
			this.body = body;
			return this;
		}

		public Builder formattedBody(String formattedBody) {
			this.formattedBody = formattedBody;
			return this;
		}

		public Builder edit(Edit edit) {
			this.edits.add(edit);
			this.edited = true;
			return this;
		}

		public Builder edited(boolean edited) {
			this.edited = edited;
			return this;
		}

		public Builder deletion(Deletion deletion) {
			this.deletion = deletion;
			return this;
		}

		public Builder reaction(Reaction reaction) {
			this.reactions.add(reaction);
			return this;
		}

		public Builder replyToId(String replyToId) {
			this.replyToId = replyToId;
			return this;
		}

		public Builder threadId(String threadId) {
			this.threadId = threadId;
			return this;
		}

		public Builder targetMessageId(String targetMessageId) {
			this.targetMessageId = targetMessageId;
			return this;
		}

		public Builder attachment(Attachment attachment) {
			this.attachments.add(attachment);
			return this;
		}

		public Builder event(SystemEvent event) {
			this.event = event;
			return this;
		}

		public Builder rawSha256(String rawSha256) {
			this.rawSha256 = rawSha256;
			return this;
		}

		public Builder occurrence(int occurrence) {
			this.occurrence = occurrence;
			return this;
		}

		public Builder extra(String key, String value) {
			this.extra.put(key, value);
			return this;
		}

		public ChatRecord build() {
			return new ChatRecord(this.source, this.conversation, this.platformMessageId, this.kind, this.author,
					this.sentAt, this.zone, this.body, this.formattedBody, this.edits, this.edited, this.deletion,
					this.reactions, this.replyToId, this.threadId, this.targetMessageId, this.attachments, this.event,
					this.origin, this.rawSha256, this.occurrence, this.extra);
		}

	}

}
