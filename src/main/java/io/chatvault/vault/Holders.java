package io.chatvault.vault;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The small ids of custodians ({@code vault_custodian}) and of conversations as a
 * custodian holds them ({@code vault_conversation}), which the per-record index rows
 * refer to. New ids commit in their own transaction, like data keys, so that concurrent
 * chunks never wait on each other's uncommitted rows; an id whose chunk then rolls back
 * is harmless. Ids are cached (bounded).
 */
final class Holders {

	private static final int CACHE_SIZE = 8192;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate newTransaction;

	private final Map<String, Integer> custodians = lru();

	private final Map<HeldConversation, Integer> conversations = lru();

	private final Map<Integer, HeldConversation> byId = lru();

	Holders(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.newTransaction = new TransactionTemplate(transactionManager);
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	private static <K, V> Map<K, V> lru() {
		return new LinkedHashMap<>(256, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
				return size() > CACHE_SIZE;
			}
		};
	}

	/**
	 * The id of a custodian, created if new.
	 * @param name the custodian
	 * @return its id
	 */
	int custodian(String name) {
		synchronized (this) {
			Integer id = this.custodians.get(name);
			if (id != null) {
				return id;
			}
		}
		int id = this.newTransaction.execute((status) -> {
			this.jdbc.update("INSERT INTO vault_custodian (name) VALUES (?) ON CONFLICT (name) DO NOTHING", name);
			return this.jdbc.queryForObject("SELECT id FROM vault_custodian WHERE name = ?", Integer.class, name);
		});
		synchronized (this) {
			this.custodians.put(name, id);
		}
		return id;
	}

	/**
	 * The id of an existing custodian.
	 * @param name the custodian
	 * @return its id, or empty if nothing was ever archived for it
	 */
	Optional<Integer> findCustodian(String name) {
		synchronized (this) {
			Integer id = this.custodians.get(name);
			if (id != null) {
				return Optional.of(id);
			}
		}
		return this.jdbc.queryForList("SELECT id FROM vault_custodian WHERE name = ?", Integer.class, name)
			.stream()
			.findFirst();
	}

	/**
	 * The ids of conversations as custodians hold them, created if new.
	 * @param holders the conversations
	 * @return each one's id
	 */
	Map<HeldConversation, Integer> conversations(Collection<HeldConversation> holders) {
		Map<HeldConversation, Integer> ids = new HashMap<>();
		List<HeldConversation> missing = new ArrayList<>();
		synchronized (this) {
			for (HeldConversation holder : new LinkedHashSet<>(holders)) {
				Integer id = this.conversations.get(holder);
				if (id != null) {
					ids.put(holder, id);
				}
				else {
					missing.add(holder);
				}
			}
		}
		for (HeldConversation holder : missing) {
			int custodian = custodian(holder.custodian());
			int id = this.newTransaction.execute((status) -> {
				this.jdbc.update(
						"INSERT INTO vault_conversation (source, conversation_id, custodian_id) VALUES (?, ?, ?) "
								+ "ON CONFLICT (source, conversation_id, custodian_id) DO NOTHING",
						holder.source(), holder.conversationId(), custodian);
				return this.jdbc.queryForObject(
						"SELECT id FROM vault_conversation WHERE source = ? AND "
								+ "conversation_id = ? AND custodian_id = ?",
						Integer.class, holder.source(), holder.conversationId(), custodian);
			});
			ids.put(holder, id);
			synchronized (this) {
				this.conversations.put(holder, id);
				this.byId.put(id, holder);
			}
		}
		return ids;
	}

	/**
	 * The conversation and custodian of an id.
	 * @param id a {@code vault_conversation} id
	 * @return what it names
	 */
	HeldConversation holder(int id) {
		synchronized (this) {
			HeldConversation known = this.byId.get(id);
			if (known != null) {
				return known;
			}
		}
		HeldConversation holder = this.jdbc.queryForObject(
				"SELECT c.source, c.conversation_id, k.name FROM vault_conversation c "
						+ "JOIN vault_custodian k ON k.id = c.custodian_id WHERE c.id = ?",
				(rs, i) -> new HeldConversation(rs.getString(1), rs.getString(2), rs.getString(3)), id);
		synchronized (this) {
			this.byId.put(id, holder);
		}
		return holder;
	}

}
