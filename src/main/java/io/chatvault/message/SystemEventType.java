package io.chatvault.message;

/**
 * Kinds of system events the sources report. {@link #OTHER} keeps the rest, with its
 * wording.
 */
public enum SystemEventType {

	CREATED, JOINED, LEFT, ADDED, REMOVED, RENAMED, TOPIC_CHANGED, PURPOSE_CHANGED, ICON_CHANGED, ENCRYPTION_NOTICE,
	NUMBER_CHANGED, IDENTITY_CHANGED, SECURITY_CODE_CHANGED, ADMIN_CHANGED, SETTINGS_CHANGED, CALL, PINNED, BOT_ADDED,
	OTHER

}
