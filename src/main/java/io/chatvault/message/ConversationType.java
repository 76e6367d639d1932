package io.chatvault.message;

/** The shape of a conversation, as far as the source tells it. */
public enum ConversationType {

	/** Two people. */
	DIRECT,

	/**
	 * A multi-person chat without a channel structure (WhatsApp group, Slack mpim, Teams
	 * group chat).
	 */
	GROUP,

	/** A public channel. */
	CHANNEL,

	/** A private channel or private group. */
	PRIVATE_CHANNEL,

	/** The source does not say. */
	UNKNOWN

}
