package io.chatvault.source.whatsappcloud;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One conversation per Cloud API customer, whichever identifier a delivery carries: the
 * phone number ({@code from}, {@code wa_id}, {@code to}, {@code recipient_id}) or the
 * business-scoped user id ({@code from_user_id}, {@code user_id}, {@code to_user_id},
 * {@code recipient_user_id}). Where a delivery names both, they are linked, and every
 * later delivery naming either lands in the same conversation.
 *
 * <p>
 * The customer's key is the identifier first seen: the phone number when a delivery names
 * both and neither was known. When both were known apart (two conversations already
 * exist), the phone's key wins from then on and the link says so.
 */
public interface CustomerLinks {

	/**
	 * The customer's key for a business number.
	 * @param business the business phone number id
	 * @param phone the customer's phone number, or null
	 * @param userId the customer's business-scoped user id, or null
	 * @return the key, or null when the delivery names neither
	 */
	Resolved resolve(String business, String phone, String userId);

	/**
	 * A resolved customer.
	 *
	 * @param key the customer's key (the conversation is the business number and this)
	 * @param merged a key the customer had before this delivery linked it, now replaced
	 * by {@link #key}; null when nothing was merged
	 */
	record Resolved(String key, String merged) {

	}

	/** Links kept in memory for one read (files, inspect, tests). */
	static CustomerLinks inMemory() {
		return new Memory();
	}

	/** The decision shared by the stores: what a delivery's identifiers resolve to. */
	static Resolved decide(String phone, String userId, String phoneKey, String userKey) {
		if (phone == null && userId == null) {
			return new Resolved(null, null);
		}
		if (phone == null) {
			return new Resolved((userKey != null) ? userKey : userId, null);
		}
		if (userId == null) {
			return new Resolved((phoneKey != null) ? phoneKey : phone, null);
		}
		if (phoneKey != null && userKey != null) {
			return new Resolved(phoneKey, phoneKey.equals(userKey) ? null : userKey);
		}
		if (phoneKey != null) {
			return new Resolved(phoneKey, null);
		}
		if (userKey != null) {
			return new Resolved(userKey, null);
		}
		return new Resolved(phone, null);
	}

	/** In memory, for one read. */
	final class Memory implements CustomerLinks {

		private final Map<String, String> keys = new ConcurrentHashMap<>();

		@Override
		public Resolved resolve(String business, String phone, String userId) {
			String phoneKey = (phone != null) ? this.keys.get(business + "\u0000" + phone) : null;
			String userKey = (userId != null) ? this.keys.get(business + "\u0000" + userId) : null;
			Resolved resolved = decide(phone, userId, phoneKey, userKey);
			if (resolved.merged() != null) {
				this.keys.replaceAll((identifier, key) -> key.equals(resolved.merged()) ? resolved.key() : key);
			}
			if (phone != null) {
				this.keys.put(business + "\u0000" + phone, resolved.key());
			}
			if (userId != null) {
				this.keys.put(business + "\u0000" + userId, resolved.key());
			}
			return resolved;
		}

	}

}
