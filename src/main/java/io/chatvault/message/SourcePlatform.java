package io.chatvault.message;

/**
 * The platform and capture channel a record came from. Part of every record's identity,
 * so the same platform id seen through two channels is never confused.
 */
public enum SourcePlatform {

	/** A WhatsApp "Export chat" file (.txt, or .zip with media). */
	WHATSAPP_EXPORT,

	/** A WhatsApp Business Cloud API webhook payload. */
	WHATSAPP_CLOUD_API,

	/** A Slack workspace export (standard or Enterprise Grid). */
	SLACK_EXPORT,

	/** Microsoft Teams chatMessage resources from Microsoft Graph. */
	TEAMS_GRAPH

}
