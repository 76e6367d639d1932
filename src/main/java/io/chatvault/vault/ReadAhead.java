package io.chatvault.vault;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few threads that read what a reader will want next (the blocks of a page of records,
 * the next page's index rows, the next chunks of a file), so that the object store's
 * latency and the opening of blocks (authentication, decompression) overlap the reader's
 * own work. Tasks only read and never wait for each other. What a task fails with is not
 * reported from here: the reader reads the same thing again on its own thread and fails
 * there, with its own message. Daemon threads that end when idle, so nothing needs
 * closing.
 */
final class ReadAhead {

	private final ThreadPoolExecutor executor;

	ReadAhead(int threads, String name) {
		AtomicInteger count = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.executor.allowCoreThreadTimeOut(true);
	}

	<T> Future<T> submit(Callable<T> task) {
		return this.executor.submit(task);
	}

	/**
	 * What a task read, if it read it.
	 * @param task the task, or {@code null}
	 * @return its result, or {@code null} if there was no task or it failed (the caller
	 * reads on its own thread instead)
	 */
	static <T> T resultOrNull(Future<T> task) {
		if (task == null) {
			return null;
		}
		try {
			return task.get();
		}
		catch (ExecutionException | java.util.concurrent.CancellationException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

}
