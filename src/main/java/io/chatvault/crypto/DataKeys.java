package io.chatvault.crypto;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The data keys, one live AES-256 key per erasure scope, stored wrapped in PostgreSQL
 * ({@code vault_data_key}) with the version of the key-encryption key that wrapped them.
 *
 * <p>
 * A new key is committed in its own transaction before anything is encrypted with it: a
 * chunk that rolls back after its objects reached the write-once store must find the same
 * key when it is replayed, or those objects would be unreadable. Unwrapped keys are
 * cached in memory (bounded); a destroyed key stays readable only to a process that
 * already had it cached, until it ends.
 */
public class DataKeys {

	private static final int CACHE_SIZE = 4096;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate newTransaction;

	private final KeyEncryptionKeys keks;

	private final SecureRandom random = new SecureRandom();

	private final Map<Long, DataKey> byId = new LinkedHashMap<>(256, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<Long, DataKey> eldest) {
			return size() > CACHE_SIZE;
		}
	};

	private final Map<String, DataKey> liveByScope = new LinkedHashMap<>(256, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, DataKey> eldest) {
			return size() > CACHE_SIZE;
		}
	};

	public DataKeys(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, KeyEncryptionKeys keks) {
		this.jdbc = jdbc;
		this.newTransaction = new TransactionTemplate(transactionManager);
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.keks = keks;
	}

	public KeyEncryptionKeys keyEncryptionKeys() {
		return this.keks;
	}

	/**
	 * The live key of a scope, created (and committed) if the scope has none.
	 * @param scope the erasure scope
	 * @return its key
	 */
	public DataKey forScope(String scope) {
		return forScopes(List.of(scope)).get(scope);
	}

	/**
	 * The live keys of several scopes, creating those that are missing in one committed
	 * transaction.
	 * @param scopes the erasure scopes
	 * @return scope to key
	 */
	public Map<String, DataKey> forScopes(Collection<String> scopes) {
		Map<String, KeyScope> named = new LinkedHashMap<>();
		for (String scope : scopes) {
			named.put(scope, KeyScope.named(scope));
		}
		return forKeyScopes(named.values());
	}

	/**
	 * The live keys of several scopes, creating those that are missing in one committed
	 * transaction; a new key's row records the custodian, source and conversation of its
	 * scope, so that erasure can find the keys of a custodian or a conversation.
	 * @param scopes the erasure scopes
	 * @return scope name to key
	 */
	public Map<String, DataKey> forKeyScopes(Collection<KeyScope> scopes) {
		Map<String, DataKey> keys = new HashMap<>();
		List<KeyScope> missing = new ArrayList<>();
		synchronized (this) {
			for (KeyScope scope : new LinkedHashSet<>(scopes)) {
				DataKey key = this.liveByScope.get(scope.name());
				if (key != null) {
					keys.put(scope.name(), key);
				}
				else {
					missing.add(scope);
				}
			}
		}
		if (!missing.isEmpty()) {
			Map<String, DataKey> loaded = this.newTransaction.execute((status) -> loadOrCreate(missing));
			synchronized (this) {
				loaded.forEach((scope, key) -> {
					this.liveByScope.put(scope, key);
					this.byId.put(key.id(), key);
				});
			}
			keys.putAll(loaded);
		}
		return keys;
	}

	private Map<String, DataKey> loadOrCreate(List<KeyScope> scopes) {
		String[] array = scopes.stream().map(KeyScope::name).toArray(String[]::new);
		Map<String, DataKey> keys = loadLive(array);
		List<Object[]> inserts = new ArrayList<>();
		for (KeyScope scope : scopes) {
			if (!keys.containsKey(scope.name())) {
				byte[] material = new byte[32];
				this.random.nextBytes(material);
				WrappedKey wrapped = this.keks.wrap(material);
				inserts.add(new Object[] { scope.name(), wrapped.kekVersion(), wrapped.bytes(), scope.custodian(),
						scope.source(), scope.conversationId() });
			}
		}
		if (!inserts.isEmpty()) {
			// A concurrent writer may create the same scope's key first: its key wins.
			this.jdbc.batchUpdate("INSERT INTO vault_data_key (scope, kek_version, wrapped_key, custodian, source, "
					+ "conversation_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope) WHERE destroyed_at IS NULL "
					+ "DO NOTHING", inserts);
			keys = loadLive(array);
		}
		return keys;
	}

	private Map<String, DataKey> loadLive(String[] scopes) {
		Map<String, DataKey> keys = new HashMap<>();
		this.jdbc.query("SELECT id, scope, kek_version, wrapped_key FROM vault_data_key "
				+ "WHERE scope = ANY (?) AND destroyed_at IS NULL", (rs) -> {
					DataKey key = unwrap(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getBytes(4));
					keys.put(key.scope(), key);
				}, (Object) scopes);
		return keys;
	}

	/**
	 * A key by its id, for reading.
	 * @param id the key id from a ciphertext header or index row
	 * @return the key
	 * @throws KeyUnavailableException if there is no such key or it was destroyed
	 */
	public DataKey byId(long id) {
		synchronized (this) {
			DataKey cached = this.byId.get(id);
			if (cached != null) {
				return cached;
			}
		}
		List<DataKey> found = this.jdbc.query(
				"SELECT id, scope, kek_version, wrapped_key, destroyed_at, destroy_reason FROM vault_data_key WHERE id = ?",
				(rs, row) -> {
					Timestamp destroyed = rs.getTimestamp(5);
					if (destroyed != null) {
						throw new ErasedException(id, rs.getString(2), destroyed.toInstant(), rs.getString(6));
					}
					return unwrap(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getBytes(4));
				}, id);
		if (found.isEmpty()) {
			throw new KeyUnavailableException("No data key " + id);
		}
		DataKey key = found.get(0);
		synchronized (this) {
			this.byId.put(id, key);
		}
		return key;
	}

	/**
	 * Loads into the cache, in one query, those of some keys that are not cached yet, so
	 * that a reader about to open many blocks under many keys (the checksum pass: a key
	 * per media file) asks the database once rather than once per key. Destroyed and
	 * unknown keys are left out: {@link #byId} still answers for them as always.
	 * @param ids key ids (at most a few thousand: the cache holds {@value #CACHE_SIZE})
	 */
	public void preload(java.util.Collection<Long> ids) {
		List<Long> missing = new java.util.ArrayList<>();
		synchronized (this) {
			for (Long id : ids) {
				if (!this.byId.containsKey(id)) {
					missing.add(id);
				}
			}
		}
		if (missing.isEmpty()) {
			return;
		}
		List<DataKey> found = this.jdbc.query(
				"SELECT id, scope, kek_version, wrapped_key FROM vault_data_key "
						+ "WHERE id = ANY (?) AND destroyed_at IS NULL AND wrapped_key IS NOT NULL",
				(rs, row) -> unwrap(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getBytes(4)),
				(Object) missing.toArray(Long[]::new));
		synchronized (this) {
			for (DataKey key : found) {
				this.byId.put(key.id(), key);
			}
		}
	}

	private DataKey unwrap(long id, String scope, int kekVersion, byte[] wrapped) {
		return new DataKey(id, scope, new SecretKeySpec(this.keks.unwrap(new WrappedKey(kekVersion, wrapped)), "AES"));
	}

	/**
	 * Destroys the live key of a scope (crypto-shredding): everything encrypted under it
	 * becomes unreadable. A later write to the scope gets a new key.
	 * @param scope the erasure scope
	 * @param reason why, kept with the key's row (a ticket, an erasure request)
	 * @return the id of the destroyed key, or empty if the scope had none
	 */
	public Optional<Long> destroy(String scope, String reason) {
		List<Long> ids = this.jdbc.queryForList(
				"UPDATE vault_data_key SET wrapped_key = NULL, destroyed_at = now(), "
						+ "destroy_reason = ? WHERE scope = ? AND destroyed_at IS NULL RETURNING id",
				Long.class, reason, scope);
		synchronized (this) {
			this.liveByScope.remove(scope);
			ids.forEach(this.byId::remove);
		}
		return ids.stream().findFirst();
	}

	/**
	 * Re-wraps every live data key that is not wrapped with the current key-encryption
	 * key version. The data keys themselves do not change, so no ciphertext is rewritten.
	 * @return how many keys were re-wrapped
	 */
	public int rewrapToCurrentVersion() {
		int current = this.keks.currentVersion();
		int total = 0;
		while (true) {
			int done = this.newTransaction.execute((status) -> {
				List<Object[]> updates = new ArrayList<>();
				this.jdbc.query("SELECT id, kek_version, wrapped_key FROM vault_data_key WHERE destroyed_at IS NULL "
						+ "AND kek_version < ? ORDER BY id LIMIT 1000 FOR UPDATE", (rs) -> {
							byte[] material = this.keks.unwrap(new WrappedKey(rs.getInt(2), rs.getBytes(3)));
							WrappedKey rewrapped = this.keks.wrap(material);
							updates.add(new Object[] { rewrapped.kekVersion(), rewrapped.bytes(), rs.getLong(1) });
						}, current);
				this.jdbc.batchUpdate(
						"UPDATE vault_data_key SET kek_version = ?, wrapped_key = ?, rewrapped_at = now() WHERE id = ?",
						updates);
				return updates.size();
			});
			total += done;
			if (done == 0) {
				return total;
			}
		}
	}

	/**
	 * How many live data keys each key-encryption key version wraps.
	 * @return version to count
	 */
	public Map<Integer, Long> liveKeysByKekVersion() {
		Map<Integer, Long> counts = new LinkedHashMap<>();
		this.jdbc.query("SELECT kek_version, count(*) FROM vault_data_key WHERE destroyed_at IS NULL "
				+ "GROUP BY kek_version ORDER BY kek_version", (rs) -> {
					counts.put(rs.getInt(1), rs.getLong(2));
				});
		return counts;
	}

}
