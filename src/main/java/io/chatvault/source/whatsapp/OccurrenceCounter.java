package io.chatvault.source.whatsapp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chatvault.source.RawDigest;

/**
 * Numbers records that share time, author and body (two "ok" in the same minute), which
 * is what tells them apart in {@link io.chatvault.message.MessageIdentity}. An export is
 * in time order, so only the most recent {@link #WINDOW} distinct times are remembered:
 * memory stays flat on a 2 GB export. A time that comes back after more than that many
 * others (a clock set back) restarts its count, which can only merge records that are
 * identical in time, author and body.
 */
final class OccurrenceCounter {

	static final int WINDOW = 256;

	private static final int MAX_KEY_BODY = 256;

	private final Map<Instant, Map<Key, Integer>> recent = new LinkedHashMap<>(WINDOW * 2, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<Instant, Map<Key, Integer>> eldest) {
			return size() > WINDOW;
		}
	};

	private Instant lastTime;

	private Map<Key, Integer> lastCounts;

	/** The 0-based occurrence of this (time, author, body) so far. */
	int next(Instant sentAt, String author, String body) {
		Map<Key, Integer> counts;
		if (sentAt.equals(this.lastTime)) {
			counts = this.lastCounts;
		}
		else {
			counts = this.recent.computeIfAbsent(sentAt, (time) -> new HashMap<>(4));
			this.lastTime = sentAt;
			this.lastCounts = counts;
		}
		Key key = new Key(author, (body.length() <= MAX_KEY_BODY) ? body : digest(body));
		Integer previous = counts.put(key, (counts.getOrDefault(key, 0) + 1));
		return (previous != null) ? previous : 0;
	}

	private record Key(String author, String body) {
	}

	private static String digest(String body) {
		return RawDigest.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
	}

}
