package io.chatvault.sync;

/**
 * Where a sync run takes records from; the reconciliation adds the polls up as "polled".
 */
enum SyncSource {

	/** The capture inbox (webhook deliveries). */
	INBOX,

	/** Slack Web API polls. */
	SLACK,

	/** Microsoft Graph polls. */
	TEAMS,

	/** Exports in the drop folder. */
	DROP;

	String key() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	boolean polled() {
		return this == SLACK || this == TEAMS;
	}

}
