package io.chatvault.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import io.chatvault.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Group commit into the inbox on PostgreSQL: rows handed over while a commit is under way
 * are written together in the next one; the same delivery twice in a batch is one row
 * counting the other; a row the database refuses fails alone; a closed writer takes no
 * more rows.
 */
class InboxWriterTests {

	static HikariDataSource dataSource;

	final JdbcTemplate jdbc = new JdbcTemplate(dataSource);

	@BeforeAll
	static void database() {
		TestDatabase.Coordinates database = TestDatabase.freshDatabase();
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(database.jdbcUrl());
		dataSource.setUsername(database.user());
		dataSource.setPassword(database.password());
		dataSource.setMaximumPoolSize(3);
		Flyway.configure().dataSource(dataSource).load().migrate();
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@BeforeEach
	void empty() {
		this.jdbc.update("DELETE FROM capture_inbox");
		this.jdbc.update("DELETE FROM capture_inbox_waiting");
	}

	@Test
	void rowsHandedOverDuringACommitAreWrittenTogetherInTheNextOneEachKeyOnce() throws Exception {
		// given a row stored before, and a writer whose insert waits behind another
		// transaction's uncommitted row of the same key
		InboxWriter writer = new InboxWriter(this.jdbc, Clock.systemUTC(), Duration.ofSeconds(30));
		writer.write(row("stored-before"));
		ExecutorService requests = Executors.newFixedThreadPool(8);
		try {
			Future<Boolean> first;
			List<Future<Boolean>> batch = new ArrayList<>();
			try (Connection blocker = uncommitted("first")) {
				first = requests.submit(() -> writer.write(row("first")));
				awaitBlocked(writer);

				// when, meanwhile, three new rows come, one of them three times, and
				// the row stored before
				for (String key : List.of("a", "b", "c", "c", "c", "stored-before")) {
					batch.add(requests.submit(() -> writer.write(row(key))));
				}
				awaitWaiting(writer, 6);
				blocker.rollback();
			}

			// then the first is new, and the next commit stores each key once
			assertThat(first.get()).isTrue();
			List<Boolean> inserted = new ArrayList<>();
			for (Future<Boolean> answer : batch) {
				inserted.add(answer.get());
			}
			assertThat(inserted.subList(0, 2)).containsOnly(true);
			assertThat(inserted.subList(2, 5)).containsExactlyInAnyOrder(true, false, false);
			assertThat(inserted.get(5)).isFalse();
		}
		finally {
			requests.shutdown();
			writer.close();
		}
		assertThat(this.jdbc.queryForList("SELECT dedupe_key || '=' || redeliveries FROM capture_inbox ORDER BY 1",
				String.class))
			.containsExactly("a=0", "b=0", "c=2", "first=0", "stored-before=1");
		// every row waits for the sync job once, whatever its redeliveries
		assertThat(this.jdbc.queryForList("""
				SELECT i.dedupe_key FROM capture_inbox_waiting w JOIN capture_inbox i ON i.id = w.id
				WHERE w.received_at = i.received_at AND w.routing = i.routing ORDER BY 1
				""", String.class)).containsExactly("a", "b", "c", "first", "stored-before");
		// one statement, one commit time
		assertThat(this.jdbc.queryForObject(
				"SELECT count(DISTINCT received_at) FROM capture_inbox WHERE dedupe_key IN ('a', 'b', 'c')",
				Integer.class))
			.isEqualTo(1);
	}

	@Test
	void aRowTheDatabaseRefusesFailsAloneAndAClosedWriterTakesNoMore() throws Exception {
		// given a writer whose insert waits behind another transaction
		InboxWriter writer = new InboxWriter(this.jdbc, Clock.systemUTC(), Duration.ofSeconds(30));
		ExecutorService requests = Executors.newFixedThreadPool(4);
		try {
			Future<Boolean> good;
			Future<Boolean> refused;
			try (Connection blocker = uncommitted("first")) {
				requests.submit(() -> writer.write(row("first")));
				awaitBlocked(writer);

				// when a good row and one the database refuses (a dedupe key over 200
				// characters) come in one batch
				good = requests.submit(() -> writer.write(row("good")));
				refused = requests.submit(() -> writer.write(row("x".repeat(201))));
				awaitWaiting(writer, 2);
				blocker.rollback();
			}

			// then the good row is stored, and only the bad one fails
			assertThat(good.get()).isTrue();
			assertThat(refused).failsWithin(Duration.ofSeconds(30))
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(DataIntegrityViolationException.class);
			assertThat(this.jdbc.queryForList("SELECT dedupe_key FROM capture_inbox ORDER BY 1", String.class))
				.containsExactly("first", "good");
		}
		finally {
			requests.shutdown();
		}

		// and when it is closed, it takes no more
		writer.close();
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> writer.write(row("late")));
	}

	/** A connection in a transaction that inserted the row of a key and holds it. */
	private static Connection uncommitted(String key) throws SQLException {
		Connection connection = dataSource.getConnection();
		connection.setAutoCommit(false);
		try (PreparedStatement insert = connection.prepareStatement("""
				INSERT INTO capture_inbox (platform, app, dedupe_key, routing, received_at, body_size, body)
				VALUES ('WHATSAPP', 'main', ?, '{}', now(), 1, '\\x00')
				""")) {
			insert.setString(1, key);
			insert.executeUpdate();
		}
		return connection;
	}

	/** Waits until the writer's statement waits for a lock. */
	private void awaitBlocked(InboxWriter writer) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (this.jdbc.queryForObject(
				"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
						+ "AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO capture_inbox (%'",
				Integer.class) == 0) {
			assertThat(System.nanoTime()).as("the writer waiting for the lock").isLessThan(deadline);
			Thread.sleep(10);
		}
		assertThat(writer.waiting()).isZero();
	}

	/** Waits until that many rows wait in the writer's queue. */
	private static void awaitWaiting(InboxWriter writer, int rows) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (writer.waiting() != rows) {
			assertThat(System.nanoTime()).as("rows waiting in the writer").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	private static InboxWriter.Row row(String key) {
		return new InboxWriter.Row("WHATSAPP", "main", key, List.of("whatsapp-number:1"), "127.0.0.1", 3,
				new byte[] { 1, 2, 3 }, null);
	}

}
