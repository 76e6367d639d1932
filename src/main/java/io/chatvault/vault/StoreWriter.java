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

	/** Runs a task on the writer threads (one that writes objects). */
	<T> Future<T> submit(java.util.concurrent.Callable<T> task) {
		return this.executor.submit(task);
	}

	/**
	 * Waits for a task; rethrows its failure.
	 * @param task the task
	 * @param what names the work in messages
	 * @return its result
	 */
	static <T> T await(Future<T> task, String what) {
		try {
			return task.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ObjectStoreException("Interrupted while writing " + what, ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new ObjectStoreException("Cannot write " + what + ": " + ex.getCause(), ex.getCause());
		}
	}

	@Override
	public void close() {
		this.executor.shutdown();
	}

	/** A put under way. */
	record Pending(String key, int length, Future<PutOutcome> outcome) {

		/** Waits for the put; rethrows its failure. */
		PutOutcome await() {
			return StoreWriter.await(this.outcome, this.key);
		}

		/**
		 * Waits for the put and ignores its outcome: on a failure path, so that nothing
		 * is still writing when the caller's transaction rolls back.
		 */
		void awaitQuietly() {
			try {
				this.outcome.get();
			}
			catch (Exception ex) {
				// the caller's failure is the one reported
			}
		}

	}

}
