package io.chatvault.search;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.chatvault.crypto.DataKeys;

/**
 * The search key: a 256-bit key held like every data key (random, wrapped by the
 * key-encryption key in {@code vault_data_key}, scope {@value #SCOPE}, re-wrapped on
 * rotation), under which every term becomes a keyed token: the first 8 bytes of
 * HMAC-SHA256 over a domain letter and the folded term. Without the key a token says
 * nothing of its term; a guessed term cannot be confirmed. The key is fetched once per
 * process and cached by {@link DataKeys}.
 */
public class SearchKey {

	/** The key's scope in {@code vault_data_key}: no custodian, never erased by one. */
	public static final String SCOPE = "search";

	private final DataKeys dataKeys;

	private volatile SecretKeySpec key;

	/** Distinct terms a thread remembers the tokens of before it starts over. */
	static final int CACHED_TERMS = 16_384;

	private final ThreadLocal<Mac> macs = new ThreadLocal<>();

	/**
	 * Per thread, the tokens of terms met recently, one map per domain: chat text repeats
	 * its words so often that most tokens are found here instead of computed (an HMAC is
	 * four SHA-256 compressions). Bounded: a full map is cleared.
	 */
	private final ThreadLocal<Map<String, Long>[]> cache = new ThreadLocal<>();

	public SearchKey(DataKeys dataKeys) {
		this.dataKeys = dataKeys;
	}

	/**
	 * The token of a term in a domain.
	 * @param domain {@code w} word, {@code p} word prefix, {@code c} characters of a
	 * script without spaces, {@code q} a query as the audit log names it
	 * @param text the folded text
	 * @return the first 8 bytes of the HMAC, big-endian
	 */
	public long token(char domain, String text) {
		int slot = switch (domain) {
			case 'w' -> 0;
			case 'p' -> 1;
			case 'c' -> 2;
			default -> -1;
		};
		if (slot < 0) {
			return hmac(domain, text);
		}
		Map<String, Long>[] maps = this.cache.get();
		if (maps == null) {
			@SuppressWarnings("unchecked")
			Map<String, Long>[] created = new Map[3];
			for (int i = 0; i < created.length; i++) {
				created[i] = new HashMap<>();
			}
			maps = created;
			this.cache.set(maps);
		}
		Map<String, Long> map = maps[slot];
		Long cached = map.get(text);
		if (cached != null) {
			return cached;
		}
		long token = hmac(domain, text);
		if (map.size() >= CACHED_TERMS) {
			map.clear();
		}
		map.put(text, token);
		return token;
	}

	private long hmac(char domain, String text) {
		Mac mac = mac();
		mac.update((byte) domain);
		mac.update((byte) 0);
		byte[] digest = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
		long token = 0;
		for (int i = 0; i < 8; i++) {
			token = (token << 8) | (digest[i] & 0xff);
		}
		return token;
	}

	private Mac mac() {
		Mac mac = this.macs.get();
		if (mac == null) {
			try {
				mac = Mac.getInstance("HmacSHA256");
				mac.init(key());
			}
			catch (NoSuchAlgorithmException | InvalidKeyException ex) {
				throw new IllegalStateException("HMAC-SHA256 is not available: " + ex.getMessage(), ex);
			}
			this.macs.set(mac);
		}
		return mac;
	}

	private SecretKeySpec key() {
		SecretKeySpec cached = this.key;
		if (cached == null) {
			byte[] material = this.dataKeys.forScope(SCOPE).aesKey().getEncoded();
			cached = new SecretKeySpec(material, "HmacSHA256");
			this.key = cached;
		}
		return cached;
	}

}
