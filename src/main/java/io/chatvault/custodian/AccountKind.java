package io.chatvault.custodian;

/**
 * The kinds of platform account a custodian can hold, each with the form of its id.
 */
public enum AccountKind {

	/**
	 * A WhatsApp Business number: the digits of the display number, or the Cloud API's
	 * {@code phone_number_id}.
	 */
	WHATSAPP_NUMBER,

	/** A Slack user id ({@code U0123ABCD}): their conversations are polled. */
	SLACK_USER,

	/** A Slack conversation id ({@code C...}, {@code G...}, {@code D...}). */
	SLACK_CHANNEL,

	/** A Microsoft Entra user id: all chats they take part in. */
	TEAMS_USER,

	/** A Teams chat id ({@code 19:...@thread.v2}, {@code 19:..._...@unq.gbl.spaces}). */
	TEAMS_CHAT,

	/** A Teams channel, as {@code <team id>/<channel id>}. */
	TEAMS_CHANNEL;

	private final String key = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

	/** The kind as a word: {@code whatsapp-number}, {@code slack-user}, ... */
	public String key() {
		return this.key;
	}

}
