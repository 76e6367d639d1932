package io.chatvault.search;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import com.zaxxer.hikari.HikariDataSource;
import io.chatvault.access.AccessFixture;
import io.chatvault.bench.CpuUsage;
import io.chatvault.cli.ExitCode;
import io.chatvault.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search speed (see docs/BENCHMARKS.md, "Search"). Two tests, run apart:
 * <ol>
 * <li>{@code tokenIndex}, <b>the token index at scale</b>: {@code bench.records}
 * (default 10,000,000) {@code vault_message} rows with tokens written with COPY (archiving that many
 * records through the vault takes hours here), each with the tokens of 10 words drawn from
 * a Zipf distribution over 100,000 words plus their two prefix tokens; then the GIN index
 * is built. Queries run the SQL of {@link Search#candidates} (the same joins and
 * filters): time to the first page (50 candidates) and to the last candidate, p50 and
 * p95, for rare terms (Zipf rank 40,000-60,000), common terms (rank 10-30), a common term
 * in one year and two common terms ANDed. Result in target/bench/search.md.</li>
 * <li>{@code migrationWithTokensOnAndOff}: <b>migration with tokens on and off</b>: after
 * a warm-up migration ({@code bench.warmup} messages, default 20,000) that compiles the
 * code for both, the same generated WhatsApp export ({@code bench.messages}, default
 * 100,000) is migrated into two fresh archives, {@code chatvault.search.index-at-archive}
 * false and true: wall time, messages/s, CPU per message of this JVM (without and with
 * the JIT compilers and GC) and of the database's PostgreSQL backends, load average. Then
 * <b>verification</b> on the archive with tokens: {@link Search#run} candidates checked
 * per second (each decrypted and checked on its text). Result in
 * target/bench/search-migration.md.</li>
 * </ol>
 *
 * <pre>
 * CHATVAULT_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/test ./mvnw -B -o -Pbench test \
 *   -Dtest='SearchBenchmark#migrationWithTokensOnAndOff' -Dsurefire.failIfNoSpecifiedTests=false \
 *   [-Dbench.messages=100000]
 * CHATVAULT_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/test ./mvnw -B -o -Pbench test \
 *   -Dtest='SearchBenchmark#tokenIndex' -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.records=10000000]
 * </pre>
 *
 * The result goes to the console and to target/bench/search.md.
 */
class SearchBenchmark {

	static final int RECORDS = Integer.getInteger("bench.records", 10_000_000);

	static final int MESSAGES = Integer.getInteger("bench.messages", 100_000);

	static final int WARMUP = Integer.getInteger("bench.warmup", 20_000);

	static final int WORDS = 100_000;

	static final int CONVERSATIONS = 10_000;

	static final int QUERIES = 25;

	private final StringBuilder report = new StringBuilder();

	/** Parts 1: the token index at scale. */
	@Test
	void tokenIndex() throws Exception {
		line("Search benchmark (token index), %s, %d cores, load average at start: %s", java.time.Instant.now(),
				Runtime.getRuntime().availableProcessors(), CpuUsage.loadAverage());
		tokenIndexAtScale();
		report("target/bench/search.md");
	}

	/** Parts 2 and 3: migration with tokens on and off, and verification. */
	@Test
	void migrationWithTokensOnAndOff() throws Exception {
		line("Search benchmark (migration with tokens on and off), %s, %d cores, load average at start: %s",
				java.time.Instant.now(), Runtime.getRuntime().availableProcessors(), CpuUsage.loadAverage());
		migrationAndVerification();
		report("target/bench/search-migration.md");
	}

	private void report(String file) throws IOException {
		Path out = Path.of(file);
		Files.createDirectories(out.getParent());
		Files.writeString(out, this.report);
	}

	private void tokenIndexAtScale() throws Exception {
		TestDatabase.Coordinates database = TestDatabase.freshDatabase();
		try (HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setJdbcUrl(database.jdbcUrl());
			dataSource.setUsername(database.user());
			dataSource.setPassword(database.password());
			dataSource.setMaximumPoolSize(2);
			Flyway.configure().dataSource(dataSource).load().migrate();
			double[] zipf = zipfCumulative(WORDS, 1.0);
			try (Connection connection = dataSource.getConnection()) {
				var statement = connection.createStatement();
				statement.execute("INSERT INTO vault_custodian (name) SELECT 'custodian-' || i FROM generate_series(1, 100) i");
				statement.execute("INSERT INTO vault_conversation (source, conversation_id, custodian_id) "
						+ "SELECT 'WHATSAPP_EXPORT', 'chat-' || i, 1 + i % 100 FROM generate_series(1, " + CONVERSATIONS
						+ ") i");
				statement.execute("ALTER TABLE vault_message DROP CONSTRAINT vault_message_pkey");
				statement.execute("DROP INDEX vault_message_tokens, vault_message_by_conversation, vault_message_by_block");
				long started = System.nanoTime();
				long tokens = copy(connection.unwrap(PGConnection.class), zipf);
				double copySeconds = (System.nanoTime() - started) / 1e9;
				statement.execute("SET maintenance_work_mem = '1GB'");
				started = System.nanoTime();
				statement.execute("CREATE INDEX vault_message_tokens ON vault_message USING gin (tokens)");
				double ginSeconds = (System.nanoTime() - started) / 1e9;
				started = System.nanoTime();
				statement.execute("ALTER TABLE vault_message ADD PRIMARY KEY (message_id)");
				double pkSeconds = (System.nanoTime() - started) / 1e9;
				statement.execute("CREATE INDEX vault_message_by_conversation ON vault_message (conversation, sent_at)");
				statement.execute("CREATE INDEX vault_message_by_block ON vault_message (block_id)");
				statement.execute("VACUUM ANALYZE vault_message");
				ResultSet sizes = statement.executeQuery("SELECT pg_size_pretty(pg_table_size('vault_message')), "
						+ "pg_size_pretty(pg_relation_size('vault_message_tokens')), "
						+ "pg_size_pretty(pg_relation_size('vault_message_pkey'))");
				sizes.next();
				line("");
				line("Token index: %,d records, %,d tokens (%.1f per record), COPY %.0f s (%,.0f records/s), "
						+ "GIN build %.0f s, primary key %.0f s; table %s, GIN %s, primary key %s; load average %s",
						RECORDS, tokens, tokens / (double) RECORDS, copySeconds, RECORDS / copySeconds, ginSeconds,
						pkSeconds, sizes.getString(1), sizes.getString(2), sizes.getString(3), CpuUsage.loadAverage());
				line("");
				line("| query | candidates (median) | first page p50 | first page p95 | complete p50 | complete p95 |");
				line("|---|---|---|---|---|---|");
				SplittableRandom random = new SplittableRandom(7);
				measure(connection, "rare term (Zipf rank 40k-60k)", random, 40_000, 60_000, 1, null);
				measure(connection, "common term (Zipf rank 10-30)", random, 10, 30, 1, null);
				measure(connection, "common term, one year of two", random, 10, 30, 1, "2024");
				measure(connection, "two common terms ANDed (ranks 10-30, 30-100)", random, 10, 30, 2, null);
				measure(connection, "very common term (rank 1-3)", random, 1, 3, 1, null);
				line("");
				line("load average at the end: %s", CpuUsage.loadAverage());
			}
		}
	}

	private void measure(Connection connection, String name, SplittableRandom random, int fromRank, int toRank,
			int terms, String year) throws Exception {
		String sql = """
				SELECT encode(s.message_id, 'hex'), k.name,
				       ARRAY(SELECT hk.name FROM vault_message_holder h JOIN vault_custodian hk ON hk.id = h.custodian_id
				             WHERE h.message_id = s.message_id)
				FROM vault_message s
				JOIN vault_conversation c ON c.id = s.conversation
				JOIN vault_custodian k ON k.id = c.custodian_id
				WHERE s.tokens @> ?::bigint[]""" + ((year != null) ? " AND s.sent_at >= ? AND s.sent_at < ?" : "");
		long[] firstPage = new long[QUERIES];
		long[] complete = new long[QUERIES];
		long[] counts = new long[QUERIES];
		connection.setAutoCommit(false);
		for (int q = 0; q < QUERIES; q++) {
			long[] tokens = new long[terms];
			tokens[0] = wordToken(fromRank + random.nextInt(toRank - fromRank + 1) - 1);
			if (terms == 2) {
				tokens[1] = wordToken(30 + random.nextInt(70));
			}
			long started = System.nanoTime();
			try (PreparedStatement statement = connection.prepareStatement(sql)) {
				statement.setFetchSize(256);
				statement.setObject(1, tokens);
				if (year != null) {
					statement.setTimestamp(2, java.sql.Timestamp.from(java.time.Instant.parse(year + "-01-01T00:00:00Z")));
					statement.setTimestamp(3,
							java.sql.Timestamp.from(java.time.Instant.parse((Integer.parseInt(year) + 1) + "-01-01T00:00:00Z")));
				}
				try (ResultSet rs = statement.executeQuery()) {
					long n = 0;
					firstPage[q] = -1;
					while (rs.next()) {
						rs.getString(1);
						rs.getString(2);
						rs.getArray(3);
						n++;
						if (n == 50) {
							firstPage[q] = System.nanoTime() - started;
						}
					}
					complete[q] = System.nanoTime() - started;
					if (firstPage[q] < 0) {
						firstPage[q] = complete[q];
					}
					counts[q] = n;
				}
			}
			connection.commit();
		}
		connection.setAutoCommit(true);
		Arrays.sort(firstPage);
		Arrays.sort(complete);
		Arrays.sort(counts);
		line("| %s | %,d | %s | %s | %s | %s |", name, counts[QUERIES / 2], ms(firstPage[QUERIES / 2]),
				ms(firstPage[(int) Math.ceil(QUERIES * 0.95) - 1]), ms(complete[QUERIES / 2]),
				ms(complete[(int) Math.ceil(QUERIES * 0.95) - 1]));
	}

	private static String ms(long nanos) {
		return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
	}

	/** Writes the rows with COPY; returns the number of tokens. */
	private long copy(PGConnection connection, double[] zipf) throws Exception {
		SplittableRandom random = new SplittableRandom(42);
		long start2023 = java.time.Instant.parse("2023-01-01T00:00:00Z").getEpochSecond();
		long twoYears = 2L * 365 * 86400;
		long[] tokens = { 0 };
		int[] produced = { 0 };
		HexFormat hex = HexFormat.of();
		byte[] id = new byte[32];
		Reader rows = new Reader() {

			private final StringBuilder buffer = new StringBuilder();

			private int position;

			@Override
			public int read(char[] target, int offset, int length) {
				while (this.position >= this.buffer.length()) {
					if (produced[0] >= RECORDS) {
						return -1;
					}
					this.buffer.setLength(0);
					this.position = 0;
					for (int r = 0; r < 1000 && produced[0] < RECORDS; r++, produced[0]++) {
						random.nextBytes(id);
						long[] row = new long[30];
						int n = 0;
						for (int w = 0; w < 10; w++) {
							int word = rank(zipf, random.nextDouble());
							row[n++] = wordToken(word);
							row[n++] = mix(word / 50 + (1L << 40));
							row[n++] = mix(word / 5 + (2L << 40));
						}
						long[] distinct = Arrays.stream(row, 0, n).sorted().distinct().toArray();
						tokens[0] += distinct.length;
						this.buffer.append("\\\\x")
							.append(hex.formatHex(id))
							.append('\t')
							.append(1 + random.nextInt(CONVERSATIONS))
							.append("\t0\t")
							.append(java.time.Instant.ofEpochSecond(start2023 + random.nextLong(twoYears)))
							.append("\t{");
						for (int t = 0; t < distinct.length; t++) {
							this.buffer.append((t > 0) ? "," : "").append(distinct[t]);
						}
						this.buffer.append("}\t0\t0\n");
					}
				}
				int n = Math.min(length, this.buffer.length() - this.position);
				this.buffer.getChars(this.position, this.position + n, target, offset);
				this.position += n;
				return n;
			}

			@Override
			public void close() {
			}

		};
		connection.getCopyAPI()
			.copyIn("COPY vault_message (message_id, conversation, kind, sent_at, tokens, block_id, ordinal) FROM STDIN",
					rows);
		return tokens[0];
	}

	static long wordToken(int word) {
		return mix(word);
	}

	/** SplitMix64's finalizer: tokens as uniform as the HMAC's. */
	static long mix(long z) {
		z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
		z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
		return z ^ (z >>> 31);
	}

	static double[] zipfCumulative(int n, double s) {
		double[] cumulative = new double[n];
		double sum = 0;
		for (int i = 0; i < n; i++) {
			sum += 1 / Math.pow(i + 1, s);
			cumulative[i] = sum;
		}
		for (int i = 0; i < n; i++) {
			cumulative[i] /= sum;
		}
		return cumulative;
	}

	static int rank(double[] cumulative, double u) {
		int found = Arrays.binarySearch(cumulative, u);
		return (found >= 0) ? found : Math.min(-found - 1, cumulative.length - 1);
	}

	private void migrationAndVerification() throws IOException {
		Path exports = Files.createTempDirectory("search-bench-exports");
		Path chat = exports.resolve("WhatsApp Chat with Deal Team.txt");
		writeChat(chat, MESSAGES);
		Path warmupExports = Files.createTempDirectory("search-bench-warmup");
		writeChat(warmupExports.resolve("WhatsApp Chat with Warm Up.txt"), WARMUP);
		// Both measured runs find the code compiled: a first run pays the JIT for all.
		try (AccessFixture fixture = AccessFixture.start(Files.createTempDirectory("search-bench-home"),
				"chatvault.search.index-at-archive=true")) {
			AccessFixture.Cli run = fixture.cli(null, "migrate", warmupExports.toString(), "custodian=alice",
					"zone=UTC");
			assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCode.COMPLETED);
			line("Warm-up: %,d messages migrated with tokens on, not counted", WARMUP);
		}
		line("");
		line("| tokens | migration | messages/s | JVM CPU per message (without JIT and GC) | "
				+ "PostgreSQL backends CPU per message | load average (start, end) |");
		line("|---|---|---|---|---|---|");
		double[] rates = new double[2];
		double[] cpu = new double[2];
		for (int on = 0; on <= 1; on++) {
			Path home = Files.createTempDirectory("search-bench-home");
			try (AccessFixture fixture = AccessFixture.start(home, "chatvault.search.index-at-archive=" + (on == 1))) {
				String load = CpuUsage.loadAverage();
				CpuUsage usage = CpuUsage.start(fixture.context.getBean(javax.sql.DataSource.class));
				long started = System.nanoTime();
				AccessFixture.Cli run = fixture.cli(null, "migrate", exports.toString(), "custodian=alice",
						"zone=UTC");
				double seconds = (System.nanoTime() - started) / 1e9;
				usage.stop();
				assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCode.COMPLETED);
				rates[on] = MESSAGES / seconds;
				double jvm = usage.jvmSeconds() - usage.jitSeconds() - usage.gcSeconds();
				cpu[on] = (jvm + Math.max(usage.postgresSeconds(), 0)) * 1e6 / MESSAGES;
				line("| %s | %.1f s | %,.0f | %.0f µs (%.0f µs with them) | %.0f µs | %s, %s |", (on == 1) ? "on" : "off",
						seconds, rates[on], jvm * 1e6 / MESSAGES, usage.jvmSeconds() * 1e6 / MESSAGES,
						usage.postgresSeconds() * 1e6 / MESSAGES, load, CpuUsage.loadAverage());
				if (on == 1) {
					line("");
					Search search = fixture.context.getBean(Search.class);
					for (String term : List.of("contract", "approved")) {
						long[] hits = { 0 };
						started = System.nanoTime();
						Search.Outcome outcome = search.run(search.parse(term), Search.Filters.NONE, (c) -> true,
								(hit) -> {
									hits[0]++;
									return true;
								});
						seconds = (System.nanoTime() - started) / 1e9;
						line("Verified search '%s' on that archive: %,d candidates, %,d hits, first hit %.0f ms, "
								+ "complete %.2f s: %,.0f candidates decrypted and checked per second", term,
								outcome.candidates(), outcome.hits(), outcome.firstHitNanos() / 1e6, seconds,
								outcome.candidates() / seconds);
					}
				}
			}
		}
		line("");
		line("%,d messages. Tokens on against off: wall %.2f x slower; CPU per message (JVM without JIT and GC, plus "
				+ "PostgreSQL backends) %.0f µs against %.0f µs, %.2f x", MESSAGES, rates[0] / rates[1], cpu[1], cpu[0],
				cpu[1] / cpu[0]);
	}

	private static void writeChat(Path file, int messages) throws IOException {
		String[] words = ("the deal price client contract signed call tomorrow meeting approved numbers report "
				+ "quarter budget invoice payment договор 合同 العقد review send draft final legal team friday")
			.split(" ");
		SplittableRandom random = new SplittableRandom(11);
		StringBuilder text = new StringBuilder();
		java.time.LocalDateTime time = java.time.LocalDateTime.of(2024, 1, 2, 8, 0);
		for (int i = 0; i < messages; i++) {
			time = time.plusSeconds(random.nextInt(300));
			text.append(String.format("%02d/%02d/%04d, %02d:%02d - %s: ", time.getDayOfMonth(), time.getMonthValue(),
					time.getYear(), time.getHour(), time.getMinute(), (i % 3 == 0) ? "Alice Morgan" : "Ravi Patel"));
			int n = 4 + random.nextInt(12);
			for (int w = 0; w < n; w++) {
				text.append((w > 0) ? " " : "")
					.append((random.nextInt(40) == 0) ? "contract" : words[random.nextInt(words.length)]);
			}
			text.append(' ').append(i).append('\n');
		}
		Files.writeString(file, text, StandardCharsets.UTF_8);
	}

	private void line(String format, Object... args) {
		String text = String.format(Locale.ROOT, format, args);
		System.out.println(text);
		this.report.append(text).append('\n');
	}


}
