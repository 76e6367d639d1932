package io.chatvault.message;

/**
 * What a record is. Edits, deletions and reactions that a source reports as separate
 * events (Slack {@code message_changed}, WhatsApp webhook {@code edit}/{@code revoke})
 * are records of their own that point at their target, so nothing is lost by folding.
 */
public enum RecordKind {

	/** An authored message (deleted ones included: see {@link ChatRecord#deletion()}). */
	MESSAGE,

	/** A system line or membership event: joins, leaves, renames, encryption notices. */
	SYSTEM_EVENT,

	/** An edit of another message, reported as its own event. */
	EDIT,

	/** A deletion of another message, reported as its own event. */
	DELETION,

	/** A reaction added or removed, reported as its own event. */
	REACTION,

	/** A delivery status (sent, delivered, read, failed) of another message. */
	STATUS;

	/**
	 * The code of this kind in the index ({@code vault_message.kind}, the search filter,
	 * the counts): fixed, whatever the order of the constants.
	 * @return the code
	 */
	public short code() {
		return switch (this) {
			case MESSAGE -> 0;
			case SYSTEM_EVENT -> 1;
			case EDIT -> 2;
			case DELETION -> 3;
			case REACTION -> 4;
			case STATUS -> 5;
		};
	}

}
