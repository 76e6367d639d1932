package io.chatvault.source.whatsappcloud;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link CustomerLinks} kept in PostgreSQL ({@code whatsapp_customer_links}), so that a
 * link made by one sync run holds for every later run and process. Every identifier seen
 * is stored once with its customer's key; keys are cached once read (they change only
 * when two keys known apart are merged, which this process then writes itself).
 * Identifiers not yet stored are looked up again each time.
 */
@Component
public class JdbcCustomerLinks implements CustomerLinks {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Map<String, String> linked = new ConcurrentHashMap<>();

	public JdbcCustomerLinks(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	@Override
	public Resolved resolve(String business, String phone, String userId) {
		String phoneKey = (phone != null) ? key(business, phone) : null;
		String userKey = (userId != null) ? key(business, userId) : null;
		Resolved resolved = CustomerLinks.decide(phone, userId, phoneKey, userKey);
		if (resolved.key() == null) {
			return resolved;
		}
		String newPhone = (phone != null && !resolved.key().equals(phoneKey)) ? phone : null;
		String newUser = (userId != null && !resolved.key().equals(userKey)) ? userId : null;
		if (newPhone == null && newUser == null) {
			return resolved;
		}
		this.transactions.executeWithoutResult((status) -> {
			if (resolved.merged() != null) {
				this.jdbc.update(
						"UPDATE whatsapp_customer_links SET customer_key = ?, linked_at = now() "
								+ "WHERE business_id = ? AND customer_key = ?",
						resolved.key(), business, resolved.merged());
			}
			for (String identifier : new String[] { newPhone, newUser }) {
				if (identifier != null) {
					this.jdbc.update("""
							INSERT INTO whatsapp_customer_links (business_id, identifier, customer_key)
							VALUES (?, ?, ?)
							ON CONFLICT (business_id, identifier) DO UPDATE SET customer_key = EXCLUDED.customer_key,
							    linked_at = now()
							""", business, identifier, resolved.key());
				}
			}
		});
		if (resolved.merged() != null) {
			this.linked.replaceAll((identifier, key) -> key.equals(resolved.merged()) ? resolved.key() : key);
		}
		if (phone != null) {
			this.linked.put(business + "\u0000" + phone, resolved.key());
		}
		if (userId != null) {
			this.linked.put(business + "\u0000" + userId, resolved.key());
		}
		return resolved;
	}

	private String key(String business, String identifier) {
		String cacheKey = business + "\u0000" + identifier;
		String cached = this.linked.get(cacheKey);
		if (cached != null) {
			return cached;
		}
		List<String> keys = this.jdbc.queryForList(
				"SELECT customer_key FROM whatsapp_customer_links WHERE business_id = ? AND identifier = ?",
				String.class, business, identifier);
		if (keys.isEmpty()) {
			return null;
		}
		this.linked.put(cacheKey, keys.get(0));
		return keys.get(0);
	}

}
