package io.chatvault.integrity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.PriorityQueue;

import io.chatvault.message.Sha256;
import io.chatvault.vault.VaultCatalog.ItemKind;

/**
 * The seeded draw of a day's checksum sample, so that an auditor can draw it again from
 * the index alone. Every item of a kind gets a sample key:
 *
 * <pre>
 * key(day, kind, id) = the first 16 hex digits of
 *     SHA-256(UTF-8 "chatvault-sample-v1|" + day + "|" + kind + "|" + id)
 * </pre>
 *
 * ({@code day} as {@code YYYY-MM-DD}, {@code kind} the {@link ItemKind} name, {@code id}
 * the item's id in the index, in decimal). The sample of a kind is the items with the
 * smallest keys, taken in key order until they reach the kind's {@link #target target}
 * (for records blocks: until the records they hold reach it). The run stores the key of
 * the last item taken (the threshold) and the largest id it saw, so the sample is exactly
 * the items with {@code id <= max id} and {@code key <= threshold}; in SQL:
 *
 * <pre>
 * substr(encode(sha256(convert_to('chatvault-sample-v1|' || day || '|' || kind || '|' || id,
 *     'UTF8')), 'hex'), 1, 16) &lt;= threshold
 * </pre>
 */
final class SampleDraw {

	/** The threshold that takes every item (a full pass). */
	static final String ALL = "ffffffffffffffff";

	/** The threshold that takes nothing (an empty kind). */
	static final String NONE = "";

	private static final HexFormat HEX = HexFormat.of();

	private final String prefix;

	private final MessageDigest digest = Sha256.digest();

	/**
	 * The draw of a day.
	 * @param day the day sampled
	 */
	SampleDraw(LocalDate day) {
		this.prefix = "chatvault-sample-v1|" + day + "|";
	}

	/**
	 * An item's sample key as an unsigned number.
	 * @param kind its kind
	 * @param id its id
	 * @return the first 8 bytes of the hash, big-endian
	 */
	long key(ItemKind kind, long id) {
		byte[] hash = this.digest.digest((this.prefix + kind.name() + "|" + id).getBytes(StandardCharsets.UTF_8));
		long key = 0;
		for (int i = 0; i < 8; i++) {
			key = (key << 8) | (hash[i] & 0xff);
		}
		return key;
	}

	/**
	 * Whether an item is in the sample.
	 * @param kind its kind
	 * @param id its id
	 * @param threshold the kind's threshold ({@link #ALL}, {@link #NONE} or 16 hex
	 * digits)
	 * @return whether it is drawn
	 */
	boolean drawn(ItemKind kind, long id, String threshold) {
		if (threshold.equals(ALL)) {
			return true;
		}
		if (threshold.isEmpty()) {
			return false;
		}
		return Long.compareUnsigned(key(kind, id), HexFormat.fromHexDigitsToLong(threshold)) <= 0;
	}

	/**
	 * The sample-size rule: at least {@code fraction} of the population and at least
	 * {@code minimum}, all of it when it is smaller.
	 * @param population items (records, for records blocks) in the archive
	 * @param fraction the smallest share
	 * @param minimum the smallest number
	 * @return how many to sample
	 */
	static long target(long population, double fraction, long minimum) {
		long share = (long) Math.ceil(population * fraction);
		return Math.min(population, Math.max(share, minimum));
	}

	static String hex(long key) {
		return HEX.toHexDigits(key);
	}

	/**
	 * Draws one kind: fed every item of the kind (in any order), it keeps the items of
	 * smallest key whose weights reach the target, and no more.
	 */
	final class Drawing {

		private final ItemKind kind;

		private final long target;

		/** Largest key first, so the one to drop is at hand. */
		private final PriorityQueue<long[]> taken = new PriorityQueue<>((a, b) -> Long.compareUnsigned(b[0], a[0]));

		private long weight;

		private long population;

		private long populationWeight;

		private long maxId;

		Drawing(ItemKind kind, long target) {
			this.kind = kind;
			this.target = target;
		}

		/**
		 * Offers an item.
		 * @param id its id
		 * @param itemWeight records it holds (records blocks), else 1
		 */
		void offer(long id, long itemWeight) {
			this.population++;
			this.populationWeight += itemWeight;
			this.maxId = Math.max(this.maxId, id);
			if (this.target <= 0) {
				return;
			}
			long key = key(this.kind, id);
			if (this.weight < this.target || Long.compareUnsigned(key, this.taken.peek()[0]) < 0) {
				this.taken.add(new long[] { key, itemWeight, id });
				this.weight += itemWeight;
				while (!this.taken.isEmpty() && this.weight - this.taken.peek()[1] >= this.target) {
					this.weight -= this.taken.poll()[1];
				}
			}
		}

		/** The threshold: the key of the last item taken. */
		String threshold() {
			return this.taken.isEmpty() ? NONE : hex(this.taken.peek()[0]);
		}

		/** Items taken. */
		int items() {
			return this.taken.size();
		}

		/** Their weight (records, for records blocks). */
		long weight() {
			return this.weight;
		}

		long population() {
			return this.population;
		}

		long populationWeight() {
			return this.populationWeight;
		}

		long maxId() {
			return this.maxId;
		}

		/** The ids taken, in no order. */
		long[] ids() {
			return this.taken.stream().mapToLong((entry) -> entry[2]).toArray();
		}

	}

}
