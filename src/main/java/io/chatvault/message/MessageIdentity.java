package io.chatvault.message;

import java.security.MessageDigest;

/**
 * The deterministic identity of a record: re-importing an export, or importing a later
 * export of the same chat that overlaps it, yields the same ids, so only what is new is
 * added.
 *
 * <p>
 * Where the source has ids, the id derives from the platform, the conversation, the kind
 * and the platform id (plus the target for events about another message). Where it has
 * none (WhatsApp text exports), it derives from the conversation, the instant, the
 * author, the body and the occurrence among identical records.
 */
public final class MessageIdentity {

	private MessageIdentity() {
	}

	/**
	 * The id of a record: 64 lowercase hex characters.
	 * @param record the record
	 * @return its deterministic id
	 */
	public static String of(ChatRecord record) {
		MessageDigest digest = Sha256.threadDigest();
		field(digest, record.source().name());
		field(digest, record.conversation().id());
		field(digest, record.kind().name());
		if (record.platformMessageId() != null) {
			field(digest, "id");
			field(digest, record.platformMessageId());
			field(digest, nullToEmpty(record.targetMessageId()));
			if (record.kind() != RecordKind.MESSAGE && record.kind() != RecordKind.SYSTEM_EVENT) {
				// Status and reaction events reuse the target's id: the instant and
				// the body (status name, emoji) tell them apart.
				field(digest, IsoInstant.format(record.sentAt()));
				field(digest, record.body());
			}
		}
		else {
			field(digest, "content");
			field(digest, IsoInstant.format(record.sentAt()));
			field(digest, record.optionalAuthor().map(Participant::id).orElse(""));
			field(digest, record.body());
			field(digest, nullToEmpty(record.targetMessageId()));
			field(digest, Integer.toString(record.occurrence()));
		}
		return Sha256.hexOf(digest);
	}

	private static void field(MessageDigest digest, String value) {
		Sha256.updateField(digest, value);
	}

	private static String nullToEmpty(String value) {
		return (value != null) ? value : "";
	}

}
