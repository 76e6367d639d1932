package io.chatvault.sync;

/** The platforms whose webhook deliveries the inbox holds. */
public enum InboxPlatform {

	/** WhatsApp Business Cloud API webhooks. */
	WHATSAPP,

	/** Slack Events API deliveries. */
	SLACK,

	/** Microsoft Graph change notifications. */
	TEAMS

}
