package io.chatvault.storage;

import java.io.InputStream;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The object store the rest of ChatVault uses: a primary and a replica (another directory
 * or bucket). Every write goes to both, the primary first; a put that finds the object
 * already in the primary still writes the replica, so that retrying a put whose replica
 * write failed completes the copy. Reads go to the primary and fall back to the replica
 * when the primary lacks the object; repairs read the replica explicitly
 * ({@link #getFromReplica}, {@link #readFromReplica}).
 */
public final class ReplicatedObjectStore implements ObjectStore, AutoCloseable {

	private static final Log logger = LogFactory.getLog(ReplicatedObjectStore.class);

	private final ObjectStore primary;

	private final ObjectStore replica;

	/**
	 * Pairs two stores.
	 * @param primary the store read first
	 * @param replica the copy
	 */
	public ReplicatedObjectStore(ObjectStore primary, ObjectStore replica) {
		this.primary = primary;
		this.replica = replica;
	}

	/** The primary store. */
	public ObjectStore primary() {
		return this.primary;
	}

	/** The replica store. */
	public ObjectStore replica() {
		return this.replica;
	}

	@Override
	public String name() {
		return this.primary.name() + " (replica " + this.replica.name() + ")";
	}

	/**
	 * Writes the primary, then the replica.
	 * @return the primary's outcome
	 * @throws ObjectStoreException if either write fails; the put is safe to retry
	 */
	@Override
	public PutOutcome put(String key, byte[] content, WriteOptions options) {
		PutOutcome outcome = this.primary.put(key, content, options);
		PutOutcome replicaOutcome = this.replica.put(key, content, options);
		if (outcome == PutOutcome.ALREADY_PRESENT && replicaOutcome == PutOutcome.CREATED) {
			logger.info("Completed the replica copy of " + key + " in " + this.replica.name());
		}
		return outcome;
	}

	@Override
	public Optional<InputStream> get(String key) {
		Optional<InputStream> content = this.primary.get(key);
		if (content.isPresent()) {
			return content;
		}
		Optional<InputStream> fromReplica = this.replica.get(key);
		if (fromReplica.isPresent()) {
			logger.warn("Object " + key + " is missing from " + this.primary.name() + "; served from the replica "
					+ this.replica.name());
		}
		return fromReplica;
	}

	@Override
	public byte[] read(String key, long offset, int length) {
		try {
			return this.primary.read(key, offset, length);
		}
		catch (ObjectStoreException ex) {
			if (this.primary.head(key).isPresent()) {
				throw ex;
			}
			logger.warn("Object " + key + " is missing from " + this.primary.name() + "; reading the replica "
					+ this.replica.name());
			return this.replica.read(key, offset, length);
		}
	}

	@Override
	public Optional<StoredObject> head(String key) {
		Optional<StoredObject> object = this.primary.head(key);
		return object.isPresent() ? object : this.replica.head(key);
	}

	/**
	 * Deletes from the primary, then the replica; a retention refusal of the primary
	 * leaves both untouched.
	 */
	@Override
	public void delete(String key) {
		this.primary.delete(key);
		this.replica.delete(key);
	}

	@Override
	public void setLegalHold(String key, boolean on) {
		this.primary.setLegalHold(key, on);
		this.replica.setLegalHold(key, on);
	}

	/**
	 * Reads a whole object from the replica only, for repairs.
	 * @param key the key
	 * @return the content, or empty if the replica lacks it
	 */
	public Optional<InputStream> getFromReplica(String key) {
		return this.replica.get(key);
	}

	/**
	 * Reads part of an object from the replica only, for repairs.
	 * @param key the key
	 * @param offset the first byte
	 * @param length how many bytes
	 * @return the bytes
	 */
	public byte[] readFromReplica(String key, long offset, int length) {
		return this.replica.read(key, offset, length);
	}

	/**
	 * Copies an object the primary has lost back from the replica, with the replica's
	 * retain-until date and legal hold (in COMPLIANCE mode, since the original mode is
	 * not recorded by every store). An object the primary still has is left untouched: a
	 * write-once store cannot repair a damaged object in place.
	 * @param key the key
	 * @return what the write to the primary did, or empty if the replica lacks the object
	 * too
	 */
	public Optional<PutOutcome> restoreFromReplica(String key) {
		Optional<StoredObject> copy = this.replica.head(key);
		if (copy.isEmpty()) {
			return Optional.empty();
		}
		if (copy.get().retainUntil() == null) {
			throw new ObjectStoreException("The replica " + this.replica.name() + " reports no retention for " + key
					+ "; not restoring it without one");
		}
		if (copy.get().size() > Integer.MAX_VALUE - 8) {
			throw new ObjectStoreException("Object " + key + " is too large to restore in one piece");
		}
		byte[] content = this.replica.read(key, 0, (int) copy.get().size());
		WriteOptions options = new WriteOptions(copy.get().retainUntil(), WriteOptions.LockMode.COMPLIANCE,
				copy.get().legalHold());
		PutOutcome outcome = this.primary.put(key, content, options);
		if (outcome == PutOutcome.CREATED) {
			logger.warn("Restored " + key + " to " + this.primary.name() + " from the replica " + this.replica.name());
		}
		return Optional.of(outcome);
	}

	@Override
	public void close() throws Exception {
		try {
			if (this.primary instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}
		finally {
			if (this.replica instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}
	}

}
