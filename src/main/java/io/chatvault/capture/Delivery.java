package io.chatvault.capture;

import java.util.List;

import io.chatvault.sync.InboxPlatform;

/**
 * A delivery accepted at the door (signature, timestamp and app checked), on its way into
 * the inbox.
 *
 * @param platform who delivered it
 * @param app the configured app it came for
 * @param dedupeKey what makes a redelivery the same delivery
 * @param routing the account keys the body names ({@code whatsapp-number:1065...}), empty
 * when it names none
 * @param peer the sender's address
 * @param body the raw body, exactly as received
 * @param resources Graph: the decrypted resource data (a JSON array, one value per
 * notification), or null
 */
record Delivery(InboxPlatform platform, String app, String dedupeKey, List<String> routing, String peer, byte[] body,
		byte[] resources) {

}
