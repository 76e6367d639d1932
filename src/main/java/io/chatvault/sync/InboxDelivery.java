package io.chatvault.sync;

import java.time.Instant;

import io.chatvault.custodian.PlatformAccount;

/**
 * One captured delivery, its body unsealed.
 *
 * @param id the inbox id
 * @param platform who delivered it
 * @param account the group account it was matched to
 * @param capturedAt when the capture server committed it
 * @param body the raw body, exactly as delivered
 */
public record InboxDelivery(long id, InboxPlatform platform, PlatformAccount account, Instant capturedAt, byte[] body) {
}
