package io.chatvault.sync;

import java.time.Instant;

import io.chatvault.custodian.PlatformAccount;

/**
 * One captured delivery, its body unsealed.
 *
 * @param id the inbox id
 * @param platform who delivered it
 * @param account the group account it was matched to, or null for a delivery no group's
 * account routes (a body that is not JSON)
 * @param capturedAt when the capture server committed it
 * @param body the raw body, exactly as delivered
 * @param resources Teams: the decrypted resource data of its notifications (a JSON array,
 * one value per notification), or null
 */
public record InboxDelivery(long id, InboxPlatform platform, PlatformAccount account, Instant capturedAt, byte[] body,
		byte[] resources) {

	public InboxDelivery(long id, InboxPlatform platform, PlatformAccount account, Instant capturedAt, byte[] body) {
		this(id, platform, account, capturedAt, body, null);
	}

}
