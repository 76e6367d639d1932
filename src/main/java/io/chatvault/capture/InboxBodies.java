package io.chatvault.capture;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

import io.chatvault.crypto.BlockCipher;
import io.chatvault.crypto.DataKey;
import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.TamperedCiphertextException;
import io.chatvault.sync.InboxPlatform;

/**
 * Seals and opens the bodies the inbox holds: AES-256-GCM ({@link BlockCipher}, as the
 * vault seals its blocks) under a data key of the day ({@code capture-inbox:2026-11-30}),
 * so that the inbox of a day can be crypto-shredded once drained, and with the delivery's
 * platform, app and dedupe key as associated data, so that a sealed body moved to another
 * row does not open. The database holds only the sealed bytes.
 */
class InboxBodies {

	private static final String SCOPE_PREFIX = "capture-inbox:";

	private final DataKeys keys;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	// One cipher per thread: BlockCipher holds a Cipher and a Mac.
	private final ThreadLocal<BlockCipher> ciphers = ThreadLocal.withInitial(BlockCipher::new);

	InboxBodies(DataKeys keys, Clock clock) {
		this.keys = keys;
		this.clock = clock;
	}

	/**
	 * Seals bytes of a delivery under today's key.
	 * @param platform the platform
	 * @param app the app
	 * @param dedupeKey the delivery's dedupe key
	 * @param plain the bytes
	 * @return the sealed bytes
	 */
	byte[] seal(InboxPlatform platform, String app, String dedupeKey, byte[] plain) {
		DataKey key = this.keys.forScope(SCOPE_PREFIX + LocalDate.now(this.clock.withZone(ZoneOffset.UTC)));
		byte[] seed = new byte[BlockCipher.SEED_LENGTH];
		this.random.nextBytes(seed);
		return this.ciphers.get()
			.seal(key, 0, plain.length, plain, plain.length, seed, context(platform, app, dedupeKey));
	}

	/**
	 * Opens sealed bytes of a delivery.
	 * @param platform the platform
	 * @param app the app
	 * @param dedupeKey the delivery's dedupe key
	 * @param sealed the sealed bytes
	 * @param name names the row in error messages
	 * @return the plain bytes
	 */
	byte[] open(InboxPlatform platform, String app, String dedupeKey, byte[] sealed, String name) {
		try {
			return this.ciphers.get().open(sealed, this.keys::byId, context(platform, app, dedupeKey), name).payload();
		}
		catch (TamperedCiphertextException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] context(InboxPlatform platform, String app, String dedupeKey) {
		return ("capture-inbox\0" + platform.name() + "\0" + app + "\0" + dedupeKey).getBytes(StandardCharsets.UTF_8);
	}

}
