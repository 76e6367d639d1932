package io.chatvault.vault;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.ObjectStoreException;
import io.chatvault.storage.PutOutcome;
import io.chatvault.storage.WriteOptions;

/**
 * Writes objects on a few background threads, so that a put (which waits for the disk or
 * the network, twice with the replica) overlaps the next chunk's hashing and encryption,
 * or the index rows of the same pack. Callers wait for every put they started before
 * their transaction commits, so nothing is indexed that is not stored.
 */
final class StoreWriter implements AutoCloseable {

	private final ObjectStore store;

	private final ExecutorService executor;

	StoreWriter(ObjectStore store, int threads, String name) {
		this.store = store;
		AtomicInteger count = new AtomicInteger();
		ThreadFactory factory = (runnable) -> {
			Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		this.executor = Executors.newFixedThreadPool(threads, factory);
	}

	ObjectStore store() {
		return this.store;
	}

	/** Starts a put. */
	Pending put(String key, byte[] content, WriteOptions options) {
		return new Pending(key, content.length, this.executor.submit(() -> this.store.put(key, content, options)));
	}

	@Override
	public void close() {
		this.executor.shutdown();
	}

	/** A put under way. */
	record Pending(String key, int length, Future<PutOutcome> outcome) {

		/** Waits for the put; rethrows its failure. */
		PutOutcome await() {
			try {
				return this.outcome.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ObjectStoreException("Interrupted while writing " + this.key, ex);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof RuntimeException runtime) {
					throw runtime;
				}
				throw new ObjectStoreException("Cannot write " + this.key + ": " + ex.getCause(), ex.getCause());
			}
		}

	}

}
