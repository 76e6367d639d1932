package io.chatvault.sync;

import java.util.Iterator;

/**
 * One polled source of a group (a Slack conversation, a Teams user's chats, a Teams
 * channel): its pages as units, read lazily, the last carrying the new watermark.
 */
interface Poll {

	/** The watermark key: {@code slack:C0123}, {@code teams-user:<id>}, ... */
	String source();

	/** The units, fetched as they are consumed. */
	Iterator<SyncUnit> units();

}
