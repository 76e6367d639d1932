package io.chatvault.restore;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.Edit;
import io.chatvault.message.Participant;
import io.chatvault.message.Reaction;

/**
 * A conversation as a person reads it: one line per record in the conversation's zone
 * (the zone its export was read in; UTC for sources with offsets), continuation lines
 * indented, and what a chat app shows around a message written out: earlier versions,
 * deletions, reactions, attachments with the restored file they are in.
 */
final class Transcript {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

	private final Writer out;

	private final ZoneId zone;

	Transcript(Writer out, ZoneId zone) {
		this.out = out;
		this.zone = zone;
	}

	void header(Conversation conversation, String source, String custodian) throws IOException {
		this.out
			.write("Conversation: " + (conversation.name().isEmpty() ? conversation.id() : conversation.name()) + "\n");
		this.out.write("Source: " + source + ", " + conversation.type() + ", id " + conversation.id() + "\n");
		if (!conversation.participants().isEmpty()) {
			this.out.write("Participants: "
					+ conversation.participants().stream().map(Transcript::name).collect(Collectors.joining(", "))
					+ "\n");
		}
		this.out.write("Custodian: " + custodian + "\n");
		this.out.write("Times: " + this.zone.getId() + "\n\n");
	}

	/**
	 * Writes a record.
	 * @param record the record
	 * @param messageId its id
	 * @param media where each present attachment was restored, by SHA-256
	 */
	void record(ChatRecord record, String messageId, java.util.function.Function<String, String> media)
			throws IOException {
		StringBuilder line = new StringBuilder(256);
		line.append('[').append(time(record.sentAt())).append("] ");
		String author = (record.author() != null) ? name(record.author()) : "";
		switch (record.kind()) {
			case MESSAGE -> line.append(author).append(": ").append(indent(record.body()));
			case SYSTEM_EVENT -> {
				line.append("* ");
				if (record.event() != null) {
					line.append(record.event().type().name().toLowerCase(Locale.ROOT).replace('_', ' '));
					if (record.event().subject() != null) {
						line.append(' ').append(name(record.event().subject()));
					}
					if (record.event().detail() != null && !record.event().detail().isEmpty()) {
						line.append(": ").append(indent(record.event().detail()));
					}
				}
				if (!record.body().isEmpty()) {
					line.append((record.event() != null) ? " | " : "").append(indent(record.body()));
				}
			}
			case EDIT -> line.append(author)
				.append(" edited message ")
				.append(target(record))
				.append(" to: ")
				.append(indent(record.body()));
			case DELETION -> line.append(author).append(" deleted message ").append(target(record));
			case REACTION -> line.append(author)
				.append(" reacted ")
				.append(record.body())
				.append(" to message ")
				.append(target(record));
			case STATUS -> line.append("status ")
				.append(record.body())
				.append(" of message ")
				.append(target(record))
				.append(author.isEmpty() ? "" : " for " + author);
		}
		line.append('\n');
		if (record.edited() || !record.edits().isEmpty()) {
			line.append("    (edited");
			for (Edit edit : record.edits()) {
				line.append("; before");
				if (edit.editedAt() != null) {
					line.append(' ').append(time(edit.editedAt()));
				}
				if (edit.previousBody() != null) {
					line.append(": \"").append(indent(edit.previousBody())).append('"');
				}
			}
			line.append(")\n");
		}
		if (record.deletion() != null) {
			line.append("    (deleted");
			if (record.deletion().deletedAt() != null) {
				line.append(' ').append(time(record.deletion().deletedAt()));
			}
			if (record.deletion().deletedBy() != null) {
				line.append(" by ").append(name(record.deletion().deletedBy()));
			}
			if (record.deletion().notice() != null && !record.deletion().notice().isEmpty()) {
				line.append(": ").append(record.deletion().notice());
			}
			line.append(")\n");
		}
		for (Reaction reaction : record.reactions()) {
			line.append("    (reaction ").append(reaction.emoji());
			if (reaction.by() != null) {
				line.append(" by ").append(name(reaction.by()));
			}
			if (reaction.at() != null) {
				line.append(' ').append(time(reaction.at()));
			}
			line.append(")\n");
		}
		for (Attachment attachment : record.attachments()) {
			line.append("    [attachment ").append(attachment.name());
			if (!"application/octet-stream".equals(attachment.mediaType())) {
				line.append(", ").append(attachment.mediaType());
			}
			if (attachment.size() >= 0) {
				line.append(", ").append(attachment.size()).append(" bytes");
			}
			String restored = (attachment.sha256() != null) ? media.apply(attachment.sha256()) : null;
			if (restored != null) {
				line.append(" -> ").append(restored);
			}
			else if (attachment.status() == AttachmentStatus.OMITTED) {
				line.append(": omitted by the export");
			}
			else if (attachment.reference() != null) {
				line.append(": not in the archive, see ").append(attachment.reference());
			}
			else {
				line.append(": not in the archive");
			}
			line.append("]\n");
		}
		if (record.replyToId() != null) {
			line.append("    (reply to ").append(record.replyToId()).append(")\n");
		}
		line.append("    id ").append(messageId).append('\n');
		this.out.write(line.toString());
	}

	private String time(Instant instant) {
		return TIME.format(instant.atZone(this.zone));
	}

	private static String target(ChatRecord record) {
		return (record.targetMessageId() != null) ? record.targetMessageId() : "?";
	}

	private static String indent(String text) {
		return text.replace("\r\n", "\n").replace("\n", "\n    ");
	}

	private static String name(Participant participant) {
		return (participant.displayName() != null && !participant.displayName().isEmpty()
				&& !participant.displayName().equals(participant.id()))
						? participant.displayName() + " <" + participant.id() + ">" : participant.id();
	}

}
