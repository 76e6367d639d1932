package io.chatvault.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Group commit into {@code capture_inbox}: the request threads hand their sealed rows to
 * one writer thread, which inserts everything that is waiting in one multi-row
 * {@code INSERT .. ON CONFLICT} (auto-commit: one transaction, one commit, one WAL
 * flush), and only then releases the requests, each told whether its row was new. While
 * one commit is under way the next rows gather, so the batch grows with the load and a
 * lone delivery is written at once (no timer). A request is never answered before its
 * row's commit, so the durability of a 2xx is the same as one auto-commit insert per
 * delivery, for a fraction of the commits.
 *
 * <p>
 * A batch holds each (platform, app, dedupe key) once, in that order (concurrent
 * {@code serve} replicas take the unique index's locks in the same order): the same
 * delivery twice in one batch is one row whose {@code redeliveries} counts the rest. A
 * batch that fails for its data ({@link DataIntegrityViolationException}) is written
 * again row by row, so that one bad row is refused alone; any other failure (the database
 * down) fails every request of the batch, which are answered 503.
 */
final class InboxWriter implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(InboxWriter.class);

	/** Rows at most in one statement (10 parameters each, far below the 32,767 limit). */
	static final int MAX_BATCH = 500;

	/** New rows are listed as waiting for the sync job in the same statement (V51). */
	private static final String INSERT = """
			WITH stored AS (
				INSERT INTO capture_inbox (platform, app, dedupe_key, routing, received_at, peer, body_size, body,
					resources, redeliveries)
				VALUES %s
				ON CONFLICT (platform, app, dedupe_key)
				DO UPDATE SET redeliveries = capture_inbox.redeliveries + EXCLUDED.redeliveries + 1
				RETURNING id, platform, app, dedupe_key, received_at, routing, (xmax = 0) AS inserted),
			waiting AS (
				INSERT INTO capture_inbox_waiting (id, received_at, routing)
				SELECT id, received_at, routing FROM stored WHERE inserted)
			SELECT platform, app, dedupe_key, inserted FROM stored
			""";

	private static final String VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final Duration patience;

	private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

	private final Object lock = new Object();

	private Thread thread;

	private volatile boolean closed;

	/**
	 * A writer for the inbox.
	 * @param jdbc the database
	 * @param clock stamps {@code received_at} (the batch's commit time)
	 * @param patience how long a request waits for its commit before it gives up (and is
	 * answered 503: the platform delivers again, and a row committed late is a redelivery
	 * then)
	 */
	InboxWriter(JdbcTemplate jdbc, Clock clock, Duration patience) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.patience = patience;
	}

	/**
	 * Writes a row and waits for its commit.
	 * @param row the row
	 * @return true when the row is new, false when it was there (a redelivery)
	 * @throws DataAccessException when it is not committed (database unavailable, a
	 * refused row, no commit within the patience, the writer closed)
	 */
	boolean write(Row row) {
		Pending pending = new Pending(row, new CompletableFuture<>());
		synchronized (this.lock) {
			if (this.closed) {
				throw new DataAccessResourceFailureException("the capture inbox is closed (serve is stopping)");
			}
			if (this.thread == null) {
				this.thread = new Thread(this::run, "capture-inbox-writer");
				this.thread.setDaemon(true);
				this.thread.start();
			}
			this.queue.add(pending);
		}
		try {
			return pending.inserted.get(this.patience.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof DataAccessException failure) {
				throw failure;
			}
			throw new DataAccessResourceFailureException("the capture inbox writer failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new QueryTimeoutException(
					"no commit of the capture inbox within " + this.patience.toSeconds() + " s");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DataAccessResourceFailureException("interrupted while waiting for the capture inbox", ex);
		}
	}

	/** Rows handed over and not yet taken into a statement. */
	int waiting() {
		return this.queue.size();
	}

	/**
	 * Writes what is waiting, then stops the writer: later rows are refused.
	 */
	@Override
	public void close() {
		Thread writer;
		synchronized (this.lock) {
			this.closed = true;
			writer = this.thread;
		}
		if (writer != null) {
			try {
				writer.join(this.patience.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void run() {
		List<Pending> batch = new ArrayList<>(MAX_BATCH);
		while (true) {
			Pending first;
			try {
				first = this.queue.poll(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				first = null;
			}
			if (first == null) {
				if (this.closed && this.queue.isEmpty()) {
					return;
				}
				continue;
			}
			batch.add(first);
			this.queue.drainTo(batch, MAX_BATCH - 1);
			write(batch);
			batch.clear();
		}
	}

	/** Writes a batch and completes its requests; never throws. */
	private void write(List<Pending> batch) {
		// One row per delivery, in key order.
		Map<String, List<Pending>> byKey = new TreeMap<>();
		for (Pending pending : batch) {
			byKey.computeIfAbsent(pending.row.key(), (key) -> new ArrayList<>(1)).add(pending);
		}
		try {
			try {
				complete(byKey, insert(byKey));
			}
			catch (DataIntegrityViolationException ex) {
				if (byKey.size() == 1) {
					throw ex;
				}
				logger.warn("A batch of " + byKey.size() + " capture inbox rows was refused; writing them one by one: "
						+ ex.getMessage());
				for (Map.Entry<String, List<Pending>> one : byKey.entrySet()) {
					Map<String, List<Pending>> alone = Map.of(one.getKey(), one.getValue());
					try {
						complete(alone, insert(alone));
					}
					catch (RuntimeException failure) {
						fail(one.getValue(), failure);
					}
				}
			}
		}
		catch (RuntimeException | Error ex) {
			for (List<Pending> pendings : byKey.values()) {
				fail(pendings, ex);
			}
		}
	}

	/** Inserts one row per key in one statement; the keys of the new rows. */
	private Map<String, Boolean> insert(Map<String, List<Pending>> byKey) {
		Timestamp now = Timestamp.from(this.clock.instant());
		String sql = INSERT.formatted(String.join(", ", Collections.nCopies(byKey.size(), VALUES)));
		Map<String, Boolean> inserted = new HashMap<>();
		this.jdbc.query((Connection connection) -> {
			PreparedStatement statement = connection.prepareStatement(sql);
			int i = 0;
			for (List<Pending> same : byKey.values()) {
				Row row = same.get(0).row;
				statement.setString(++i, row.platform());
				statement.setString(++i, row.app());
				statement.setString(++i, row.dedupeKey());
				statement.setArray(++i, connection.createArrayOf("text", row.routing().toArray()));
				statement.setTimestamp(++i, now);
				statement.setString(++i, row.peer());
				statement.setInt(++i, row.bodySize());
				statement.setBytes(++i, row.body());
				statement.setBytes(++i, row.resources());
				statement.setInt(++i, same.size() - 1);
			}
			return statement;
		}, (rs) -> {
			while (rs.next()) {
				inserted.put(Row.key(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getBoolean(4));
			}
			return null;
		});
		return inserted;
	}

	private static void complete(Map<String, List<Pending>> byKey, Map<String, Boolean> inserted) {
		for (Map.Entry<String, List<Pending>> same : byKey.entrySet()) {
			Boolean isNew = inserted.get(same.getKey());
			if (isNew == null) {
				fail(same.getValue(), new DataAccessResourceFailureException(
						"the capture inbox did not return the row of " + same.getValue().get(0).row.dedupeKey()));
				continue;
			}
			boolean first = isNew;
			for (Pending pending : same.getValue()) {
				pending.inserted.complete(first);
				first = false;
			}
		}
	}

	private static void fail(List<Pending> pendings, Throwable ex) {
		for (Pending pending : pendings) {
			pending.inserted.completeExceptionally(ex);
		}
	}

	/**
	 * A row of {@code capture_inbox}, its bodies sealed.
	 *
	 * @param platform the platform's name
	 * @param app the app
	 * @param dedupeKey the dedupe key
	 * @param routing the account keys the body names
	 * @param peer the sender's address
	 * @param bodySize bytes of the raw body
	 * @param body the sealed body
	 * @param resources the sealed resources, or null
	 */
	record Row(String platform, String app, String dedupeKey, List<String> routing, String peer, int bodySize,
			byte[] body, byte[] resources) {

		String key() {
			return key(this.platform, this.app, this.dedupeKey);
		}

		static String key(String platform, String app, String dedupeKey) {
			return platform + '\0' + app + '\0' + dedupeKey;
		}

	}

	private record Pending(Row row, CompletableFuture<Boolean> inserted) {
	}

}
