package io.chatvault.sync;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import javax.sql.DataSource;

import io.chatvault.capture.CapturedDeliveries;
import io.chatvault.crypto.DataKeys;
import io.chatvault.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.PGStatement;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbox drain's read side alone: fills the capture inbox as InboxDrainBenchmark does
 * ({@code bench.messages} sealed WhatsApp deliveries), then reads every waiting row with
 * the sync's chunk query ({@code CaptureInbox.waiting}'s SQL, keyset pages of 10,000, the
 * same columns read the same way, bodies not unsealed) in rounds alternating the result
 * format: text (PostgreSQL writes each sealed body as hex, the driver decodes it) and
 * binary (what {@code CaptureInbox} asks for). Prints the JVM thread's and the
 * PostgreSQL backend's CPU per row, best of the rounds, and the load average. Run:
 *
 * <pre>
 * CHATVAULT_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/test ./mvnw -B -o -Pbench test \
 *   -Dtest=InboxReadBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DargLine=-Xmx1g [-Dbench.messages=200000]
 * </pre>
 */
@SpringBootTest
class InboxReadBenchmark {

	static final int MESSAGES = Integer.getInteger("bench.messages", 200_000);

	static final int PAGE = 10_000;

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	static final Path HOME = Path.of(System.getProperty("bench.home", "target/bench/inbox-read")).toAbsolutePath();

	static final Instant WINDOW_END = Instant.parse("2024-03-12T12:00:00Z");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		InboxDrainBenchmark.benchGroup(registry, HOME, DATABASE);
	}

	@Autowired
	DataKeys keys;

	@Autowired
	Clock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Test
	void readTheInboxInTextAndInBinary() throws Exception {
		// given
		try (CapturedDeliveries inbox = new CapturedDeliveries(this.keys, this.clock, this.dataSource)) {
			InboxDrainBenchmark.fill(inbox, MESSAGES, 1000, WINDOW_END);
		}
		this.jdbc.sql("VACUUM ANALYZE capture_inbox, capture_inbox_waiting").update();
		String loadBefore = loadAverage();

		// when: rounds alternating, the first pair as warm-up
		double[][] best = { { Double.MAX_VALUE, Double.MAX_VALUE }, { Double.MAX_VALUE, Double.MAX_VALUE } };
		try (Connection connection = this.dataSource.getConnection()) {
			long backend = backendPid(connection);
			for (int round = 0; round < 8; round++) {
				int binary = round % 2;
				double[] cpu = readAll(connection, binary == 1, backend);
				if (round >= 2) {
					best[binary][0] = Math.min(best[binary][0], cpu[0]);
					best[binary][1] = Math.min(best[binary][1], cpu[1]);
				}
			}
		}

		// then
		System.out.printf("""
				| rows | format | JVM CPU per row | PostgreSQL backend CPU per row | load average (before; after) |
				|---|---|---|---|---|
				| %,d | text | %.1f µs | %.1f µs | %s; %s |
				| %,d | binary | %.1f µs | %.1f µs | |
				""", MESSAGES, best[0][0], best[0][1], loadBefore, loadAverage(), MESSAGES, best[1][0], best[1][1]);
	}

	/** Reads every waiting row; JVM and backend CPU per row in µs. */
	private double[] readAll(Connection connection, boolean binary, long backend) throws Exception {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long jvm0 = threads.getCurrentThreadCpuTime();
		long pg0 = processCpu(backend);
		long rows = 0;
		long bytes = 0;
		Timestamp afterTime = Timestamp.from(Instant.EPOCH);
		long afterId = 0;
		while (true) {
			try (PreparedStatement statement = connection.prepareStatement("""
					SELECT i.id, i.platform, i.app, i.dedupe_key, w.routing, w.received_at, i.body, i.resources
					FROM capture_inbox_waiting w JOIN capture_inbox i ON i.id = w.id
					WHERE w.received_at <= ? AND (w.received_at, w.id) > (?, ?)
						AND (w.routing && ? OR (? AND NOT w.routing && ?))
					ORDER BY w.received_at, w.id LIMIT ?
					""")) {
				// text: never prepared on the server (the driver's results stay text)
				statement.unwrap(PGStatement.class).setPrepareThreshold(binary ? -1 : 0);
				statement.setTimestamp(1, Timestamp.from(WINDOW_END));
				statement.setTimestamp(2, afterTime);
				statement.setLong(3, afterId);
				statement.setArray(4,
						connection.createArrayOf("text", new String[] { "whatsapp-number:" + WebhookDeliveries.PHONE_NUMBER_ID }));
				statement.setBoolean(5, false);
				statement.setArray(6, connection.createArrayOf("text", new String[0]));
				statement.setInt(7, PAGE);
				int page = 0;
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						afterId = rs.getLong(1);
						rs.getString(2);
						rs.getString(3);
						rs.getString(4);
						Array routing = rs.getArray(5);
						assertThat((String[]) routing.getArray()).isNotEmpty();
						afterTime = rs.getTimestamp(6);
						bytes += rs.getBytes(7).length;
						rs.getBytes(8);
						page++;
					}
				}
				rows += page;
				if (page < PAGE) {
					break;
				}
			}
		}
		assertThat(rows).isEqualTo(MESSAGES);
		assertThat(bytes).isPositive();
		double jvm = (threads.getCurrentThreadCpuTime() - jvm0) / 1e3 / rows;
		double pg = (processCpu(backend) - pg0) / 1e3 / rows;
		return new double[] { jvm, pg };
	}

	private static long backendPid(Connection connection) throws Exception {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	/** User + system CPU of a process in nanoseconds, from /proc (PostgreSQL here). */
	private static long processCpu(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
	}

	private static String loadAverage() throws IOException {
		String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
		return fields[0] + " " + fields[1] + " " + fields[2];
	}

}
