package io.chatvault.search;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chatvault.ChatVaultApplication;
import io.chatvault.access.AccessFixture;
import io.chatvault.access.CommandLineAccess;
import io.chatvault.access.GrantScope;
import io.chatvault.access.Principals;
import io.chatvault.access.Role;
import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Participant;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import io.chatvault.vault.ArchiveRequest;
import io.chatvault.vault.ArchiveSummary;
import io.chatvault.vault.Vault;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keyword search over a real archive of {@code bench.records} (default 10,000,000)
 * records, timed on the path a user gets: {@code chatvault search} run through the
 * command dispatcher (access check, audit entry, candidates from the token index, each
 * candidate read from the vault, authenticated, decrypted, its id recomputed and checked
 * against the query, hits printed), with the command's default page ({@code --limit
 * 100}) for the first page and {@code --limit 0} for the complete result. See
 * docs/BENCHMARKS.md, "Search".
 *
 * <p>
 * <b>What is real</b>: every record is a {@link ChatRecord} archived through
 * {@link Vault#prepare} and {@link Vault#archive} (canonical JSON, ids, zstd blocks
 * sealed under per-conversation data keys, packs in the filesystem store and its
 * replica, {@code vault_message} rows, each with the tokens {@link SearchTokens#tokens}
 * computes from it under the archive's search key, written at archive time). <b>What is
 * synthetic</b>: the text (10 words per record drawn from a Zipf distribution over
 * 100,000 generated words, plus one of 40 author names), 10,000 WhatsApp-like
 * conversations of equal length held by 100 custodians, sent times spread over 2023 and
 * 2024; and the GIN index on the tokens is dropped during the build and created after it
 * (the same index, built faster).
 *
 * <p>
 * The archive is built once into its own database ({@code bench.database}, default
 * {@code search10m}, created by the benchmark, which drops only a database it made
 * itself) and home ({@code bench.home}: the keystore and the filesystem stores). A
 * complete archive found there is reused and only the queries run;
 * {@code -Dbench.reuse=true} insists on that (fails rather than build), and
 * {@code -Dbench.rebuild=true} builds again. {@code -Dbench.queries} and
 * {@code -Dbench.complete} give, per class (rare, common, common in one year, two
 * terms, very common), how many queries run to the first page and how many of them also
 * to the complete result.
 *
 * <pre>
 * ./mvnw -B -o -Pbench test -Dtest=SearchScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *   -DargLine=-Xmx1g [-Dbench.records=10000000] [-Dbench.reuse=true] [-Dbench.home=/tmp/chatvault-search10m]
 * </pre>
 *
 * The result goes to the console and to target/bench/search-scale.md.
 */
class SearchScaleBenchmark {

	static final int RECORDS = Integer.getInteger("bench.records", 10_000_000);

	static final String DATABASE = System.getProperty("bench.database", "search10m");

	static final String SERVER = System.getProperty("bench.server", "jdbc:postgresql://127.0.0.1:5432/");

	static final String USER = System.getProperty("bench.user", "postgres");

	static final Path HOME = Path
		.of(System.getProperty("bench.home", System.getProperty("java.io.tmpdir") + "/chatvault-search10m"));

	/** Only the queries, on the archive built before (fails if there is none). */
	static final boolean REUSE = Boolean.getBoolean("bench.reuse");

	/** Build again even if a complete archive is there. */
	static final boolean REBUILD = Boolean.getBoolean("bench.rebuild");

	/** Queries per class: -Dbench.queries=rare,common,common2024,and,veryCommon. */
	static final int[] QUERIES = Arrays.stream(System.getProperty("bench.queries", "25,9,9,9,3").split(","))
		.mapToInt(Integer::parseInt)
		.toArray();

	/** How many of a class's queries also run to the complete result (-1: all). */
	static final int[] COMPLETE = Arrays.stream(System.getProperty("bench.complete", "25,9,9,9,2").split(","))
		.mapToInt(Integer::parseInt)
		.toArray();

	static final int WORDS = 100_000;

	static final int WORDS_PER_RECORD = 10;

	static final int CONVERSATIONS = Integer.getInteger("bench.conversations", 10_000);

	static final int CUSTODIANS = 100;

	static final int PAGE = 100;

	static final Instant START = Instant.parse("2023-01-01T00:00:00Z");

	static final long SPAN_SECONDS = 2L * 365 * 86400;

	private static final String[] CONSONANTS = "b d f g k l m n p r s t v z".split(" ");

	private static final String[] VOWELS = "a e i o u".split(" ");

	private static final String[] NAMES = ("Alice Morgan,Ravi Patel,Chen Wei,Olga Ivanova,Fatima Haddad,"
			+ "John Smith,Maria Garcia,Yuki Tanaka,Ahmed Hassan,Sofia Rossi,Lucas Martin,Emma Jones,"
			+ "Noah Brown,Mia Schmidt,Liam Wilson,Anna Kowalska,Ivan Petrov,Sara Cohen,David Levi,"
			+ "Priya Sharma,Arjun Mehta,Kenji Sato,Mei Lin,Omar Khalil,Leila Nasser,Pierre Dubois,"
			+ "Julia Becker,Tom Clarke,Nina Novak,Paulo Souza,Ana Lima,Hans Vogel,Eva Horvat,"
			+ "Marta Nowak,Igor Popov,Sven Berg,Lena Fischer,Karim Aziz,Zara Ali,Ben Carter")
		.split(",");

	private final StringBuilder report = new StringBuilder();

	@Test
	void search() throws Exception {
		line("Search at scale, %s, %d cores, load average %s", Instant.now(), Runtime.getRuntime().availableProcessors(),
				loadAverage());
		int built = builtRecords();
		boolean reuse = built == RECORDS && !REBUILD;
		if (reuse) {
			line("reusing the archive of %,d records in database %s, home %s", RECORDS, DATABASE, HOME);
		}
		else if (REUSE) {
			throw new IllegalStateException("bench.reuse=true, but database " + DATABASE + " holds no complete archive of "
					+ RECORDS + " records (" + ((built == NO_DATABASE) ? "no such database" : "found " + built) + ")");
		}
		else if (built == NO_MARKER) {
			throw new IllegalStateException("database " + DATABASE + " exists and was not made by this benchmark: "
					+ "not dropping it (name another with -Dbench.database)");
		}
		else {
			line("building: database %s, home %s", DATABASE, HOME);
			recreate();
		}
		try (ConfigurableApplicationContext context = context()) {
			if (!reuse) {
				build(context);
			}
			queries(context);
		}
	}

	// ---- the archive

	private static final int NO_DATABASE = -2;

	private static final int NO_MARKER = -1;

	/**
	 * How many records the archive in the database holds: its marker table says so once
	 * the build is complete (0 while it runs).
	 */
	private static int builtRecords() {
		try (Connection connection = DriverManager.getConnection(SERVER + DATABASE, USER, "");
				Statement statement = connection.createStatement()) {
			try (ResultSet rs = statement.executeQuery("SELECT records FROM bench_search_scale")) {
				return rs.next() ? rs.getInt(1) : 0;
			}
			catch (java.sql.SQLException ex) {
				return NO_MARKER;
			}
		}
		catch (java.sql.SQLException ex) {
			return NO_DATABASE;
		}
	}

	private static void recreate() throws Exception {
		try (Connection connection = DriverManager.getConnection(SERVER + "postgres", USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
			statement.execute("CREATE DATABASE " + DATABASE);
		}
		try (Connection connection = DriverManager.getConnection(SERVER + DATABASE, USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE bench_search_scale (records INTEGER NOT NULL, built_at TIMESTAMPTZ)");
			statement.execute("INSERT INTO bench_search_scale VALUES (0, NULL)");
		}
		if (Files.exists(HOME)) {
			try (var paths = Files.walk(HOME)) {
				paths.sorted(java.util.Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
			}
		}
		Files.createDirectories(HOME);
	}

	private static ConfigurableApplicationContext context() {
		return new SpringApplicationBuilder(ChatVaultApplication.class).web(WebApplicationType.NONE)
			.run("--chatvault.home=" + HOME, "--chatvault.db.url=" + SERVER + DATABASE, "--chatvault.db.user=" + USER,
					"--chatvault.db.password=", "--chatvault.crypto.keystore-password=benchmark",
					"--spring.datasource.hikari.maximum-pool-size=4",
					// a reused archive gets the migrations added since it was built
					"--spring.flyway.out-of-order=true");
	}

	private void build(ConfigurableApplicationContext context) throws Exception {
		Vault vault = context.getBean(Vault.class);
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		jdbc.execute("DROP INDEX vault_message_tokens");
		double[] zipf = zipfCumulative(WORDS);
		int perConversation = RECORDS / CONVERSATIONS;
		long cpu = processCpuNanos();
		long started = System.nanoTime();
		AtomicInteger next = new AtomicInteger();
		AtomicLong archived = new AtomicLong();
		int threads = Integer.getInteger("bench.writers", 2);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				workers.add(pool.submit(() -> {
					int c;
					while ((c = next.getAndIncrement()) < CONVERSATIONS) {
						int count = perConversation + ((c < RECORDS % CONVERSATIONS) ? 1 : 0);
						conversation(vault, zipf, c, count, archived);
						if (c % 500 == 499) {
							line("  %,d conversations, %,d records archived, %.0f s, load average %s", c + 1,
									archived.get(), (System.nanoTime() - started) / 1e9, loadAverage());
						}
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		double archiveSeconds = (System.nanoTime() - started) / 1e9;
		double archiveCpu = (processCpuNanos() - cpu) / 1e9;
		long tokenCount = jdbc.queryForObject("SELECT sum(cardinality(tokens)) FROM vault_message", Long.class);
		line("archived %,d records (%,d tokens, %.1f per record) in %.0f s: %,.0f records/s, %.0f s of this JVM's CPU; "
				+ "load average %s", archived.get(), tokenCount, tokenCount / (double) archived.get(),
				archiveSeconds, archived.get() / archiveSeconds, archiveCpu, loadAverage());
		try (Connection connection = DriverManager.getConnection(SERVER + DATABASE, USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute("SET maintenance_work_mem = '1GB'");
			long indexStarted = System.nanoTime();
			statement.execute("CREATE INDEX vault_message_tokens ON vault_message USING gin (tokens)");
			double ginSeconds = (System.nanoTime() - indexStarted) / 1e9;
			statement.execute("VACUUM ANALYZE vault_message");
			statement.execute("VACUUM ANALYZE vault_block");
			ResultSet sizes = statement.executeQuery("SELECT pg_size_pretty(pg_table_size('vault_message')), "
					+ "pg_size_pretty(pg_relation_size('vault_message_tokens')), "
					+ "pg_size_pretty(pg_relation_size('vault_message_pkey')), "
					+ "pg_size_pretty(pg_total_relation_size('vault_message')), pg_size_pretty(pg_database_size('"
					+ DATABASE + "'))");
			sizes.next();
			line("GIN index %.0f s (load average %s); vault_message %s, its GIN %s, its primary key %s, with all its "
					+ "indexes %s; database %s; vault store %s", ginSeconds, loadAverage(), sizes.getString(1),
					sizes.getString(2), sizes.getString(3), sizes.getString(4), sizes.getString(5), storeSize());
			statement.execute("UPDATE bench_search_scale SET records = " + archived.get() + ", built_at = now()");
		}
	}

	/** Archives one conversation's records (with their tokens) in one chunk. */
	private static void conversation(Vault vault, double[] zipf, int c, int count, AtomicLong archived) {
		SplittableRandom random = new SplittableRandom(1_000_003L * c + 17);
		String custodian = "custodian-" + (c % CUSTODIANS);
		Conversation conversation = new Conversation("chat-" + c, ConversationType.GROUP, "Chat " + c, List.of());
		long step = SPAN_SECONDS / count;
		List<ArchiveRequest> requests = new ArrayList<>(count);
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < count; i++) {
			body.setLength(0);
			for (int w = 0; w < WORDS_PER_RECORD; w++) {
				body.append((w > 0) ? " " : "").append(word(rank(zipf, random.nextDouble())));
			}
			String name = NAMES[(c + random.nextInt(5)) % NAMES.length];
			ChatRecord record = ChatRecord
				.builder(SourcePlatform.WHATSAPP_EXPORT, conversation, RecordKind.MESSAGE,
						START.plusSeconds(i * step + random.nextLong(step)), new SourceLocation("chat-" + c + ".zip",
								"WhatsApp Chat with Chat " + c + ".txt", i + 1))
				.author(new Participant(name, name))
				.body(body.toString())
				.build();
			requests.add(vault.prepare(record, custodian));
		}
		ArchiveSummary summary = vault.archive(requests);
		if (summary.archived() != count) {
			throw new IllegalStateException(
					"chat-" + c + ": archived " + summary.archived() + " of " + count + " (duplicates?)");
		}
		archived.addAndGet(count);
	}

	/** The word of a Zipf rank (0 the most common): 1 to 3 syllables, distinct per rank. */
	static String word(int rank) {
		StringBuilder word = new StringBuilder();
		int syllables = CONSONANTS.length * VOWELS.length;
		int r = rank;
		do {
			int s = r % syllables;
			word.append(CONSONANTS[s / VOWELS.length]).append(VOWELS[s % VOWELS.length]);
			r = r / syllables - 1;
		}
		while (r >= 0);
		return word.toString();
	}

	static double[] zipfCumulative(int n) {
		double[] cumulative = new double[n];
		double sum = 0;
		for (int i = 0; i < n; i++) {
			sum += 1.0 / (i + 1);
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

	// ---- the queries

	private void queries(ConfigurableApplicationContext context) throws Exception {
		Principals principals = context.getBean(Principals.class);
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		String principal = "bench-compliance-" + System.currentTimeMillis();
		principals.create(principal, "Benchmark compliance officer", Optional.empty(), Optional.empty(),
				AccessFixture.ADMIN);
		principals.grant(principal, Role.COMPLIANCE, GrantScope.ALL, Optional.empty(), Optional.of("benchmark"),
				Optional.empty(), AccessFixture.ADMIN);
		String token = principals.createToken(principal, "benchmark", Optional.empty(), AccessFixture.ADMIN).secret();
		CommandDispatcher dispatcher = context.getBean(CommandDispatcher.class);
		Search search = context.getBean(Search.class);
		// warm-up: the code paths, not the data
		cli(dispatcher, token, List.of("search", word(50_000)));
		cli(dispatcher, token, List.of("search", word(20)));
		SplittableRandom random = new SplittableRandom(7);
		List<QueryClass> classes = List.of(
				new QueryClass("rare term (Zipf rank 40k-60k)", queries(random, 40_000, 60_000, false, QUERIES[0]),
						false, COMPLETE[0]),
				new QueryClass("common term (Zipf rank 10-30)", queries(random, 10, 30, false, QUERIES[1]), false,
						COMPLETE[1]),
				new QueryClass("common term, one year of two (--from 2024-01-01 --to 2025-01-01)",
						queries(random, 10, 30, false, QUERIES[2]), true, COMPLETE[2]),
				new QueryClass("two common terms ANDed (ranks 10-30, 30-100)", queries(random, 10, 30, true, QUERIES[3]),
						false, COMPLETE[3]),
				new QueryClass("very common term (Zipf rank 1-3)", queries(random, 1, 3, false, QUERIES[4]), false,
						COMPLETE[4]));
		line("");
		line("First page: `chatvault search TERM` (default --limit %d), from %s, load average %s", PAGE, Instant.now(),
				loadAverage());
		line("");
		line("| query | queries | hits on the page (median) | first page p50 | first page p95 | search alone p50 | "
				+ "search alone p95 | JVM CPU p50 | load average before -> after |");
		line("|---|---|---|---|---|---|---|---|---|");
		for (QueryClass queryClass : classes) {
			firstPages(dispatcher, token, queryClass);
		}
		line("");
		line("Complete result: `chatvault search TERM --limit 0`, from %s, load average %s", Instant.now(),
				loadAverage());
		line("");
		line("| query | queries | candidates (median) | hits (median) | complete p50 | complete p95 | "
				+ "search alone p50 | JVM CPU p50 | candidate SQL alone p50 | load average before -> after |");
		line("|---|---|---|---|---|---|---|---|---|---|");
		for (QueryClass queryClass : classes) {
			complete(dispatcher, search, token, queryClass);
		}
		line("");
		line("load average at the end: %s; audit entries written by this run's searches: %s", loadAverage(),
				jdbc.queryForObject("SELECT count(*) FROM audit_entry WHERE actor = ?", Long.class, principal));
	}

	private static List<String> queries(SplittableRandom random, int fromRank, int toRank, boolean two, int count) {
		List<String> queries = new ArrayList<>();
		for (int q = 0; q < count; q++) {
			String query = word(fromRank + random.nextInt(toRank - fromRank + 1) - 1);
			if (two) {
				query += " " + word(29 + random.nextInt(70));
			}
			queries.add(query);
		}
		return queries;
	}

	private record QueryClass(String name, List<String> queries, boolean oneYear, int complete) {

		List<String> args(String query) {
			List<String> args = new ArrayList<>(List.of("search", query));
			if (this.oneYear) {
				args.addAll(List.of("--from", "2024-01-01", "--to", "2025-01-01"));
			}
			return args;
		}

	}

	private void firstPages(CommandDispatcher dispatcher, String token, QueryClass queryClass) {
		if (queryClass.queries().isEmpty()) {
			return;
		}
		String loadBefore = loadAverage();
		int n = queryClass.queries().size();
		long[] wall = new long[n];
		long[] alone = new long[n];
		long[] cpu = new long[n];
		long[] hits = new long[n];
		for (int q = 0; q < n; q++) {
			Run run = cli(dispatcher, token, queryClass.args(queryClass.queries().get(q)));
			wall[q] = run.nanos();
			alone[q] = run.searchNanos();
			cpu[q] = run.cpuNanos();
			hits[q] = run.hits();
		}
		line("| %s | %d | %,d | %s | %s | %s | %s | %s | %s -> %s |", queryClass.name(), n, median(hits),
				ms(median(wall)), ms(p95(wall)), ms(median(alone)), ms(p95(alone)), ms(median(cpu)), loadBefore,
				loadAverage());
	}

	private void complete(CommandDispatcher dispatcher, Search search, String token, QueryClass queryClass) {
		int n = Math.min(queryClass.complete(), queryClass.queries().size());
		if (n <= 0) {
			return;
		}
		String loadBefore = loadAverage();
		long[] wall = new long[n];
		long[] alone = new long[n];
		long[] cpu = new long[n];
		long[] sql = new long[n];
		long[] candidates = new long[n];
		long[] hits = new long[n];
		for (int q = 0; q < n; q++) {
			String query = queryClass.queries().get(q);
			List<String> args = queryClass.args(query);
			args.addAll(List.of("--limit", "0"));
			Run run = cli(dispatcher, token, args);
			wall[q] = run.nanos();
			alone[q] = run.searchNanos();
			cpu[q] = run.cpuNanos();
			candidates[q] = run.candidates();
			hits[q] = run.hits();
			// the index's part alone: the same candidate query, every row fetched
			Search.Filters filters = queryClass.oneYear()
					? Search.Filters.NONE.between(Search.instant("2024-01-01"), Search.instant("2025-01-01"))
					: Search.Filters.NONE;
			long started = System.nanoTime();
			long listed = search.candidates(search.parse(query), filters, (id, custodians) -> true);
			sql[q] = System.nanoTime() - started;
			if (listed != run.candidates()) {
				throw new IllegalStateException(
						query + ": the command checked " + run.candidates() + " candidates, the index lists " + listed);
			}
		}
		line("| %s | %d | %,d | %,d | %s | %s | %s | %s | %s | %s -> %s |", queryClass.name(), n, median(candidates),
				median(hits), ms(median(wall)), ms(p95(wall)), ms(median(alone)), ms(median(cpu)), ms(median(sql)),
				loadBefore, loadAverage());
	}

	private static final Pattern SUMMARY = Pattern
		.compile("(\\d+) hit\\(s\\)[^;]*; (\\d+) candidate\\(s\\) checked.*; (\\d+) ms");

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	/** Runs {@code chatvault search} as the CLI does (hits printed, to a discarded stream). */
	private static Run cli(CommandDispatcher dispatcher, String token, List<String> args) {
		Tail out = new Tail();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		System.setProperty(CommandLineAccess.TOKEN_PROPERTY, token);
		try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
				PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
			long cpu = THREADS.getCurrentThreadCpuTime();
			long started = System.nanoTime();
			ExitCode code = dispatcher.dispatch(args, o, e);
			long nanos = System.nanoTime() - started;
			long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpu;
			String printed = out.text();
			Matcher summary = SUMMARY.matcher(printed);
			if (code != ExitCode.COMPLETED || !summary.find()) {
				throw new IllegalStateException(args + ": " + code + " " + err.toString(StandardCharsets.UTF_8)
						+ printed.substring(Math.max(0, printed.length() - 500)));
			}
			return new Run(nanos, cpuNanos, Long.parseLong(summary.group(3)) * 1_000_000,
					Long.parseLong(summary.group(2)), Long.parseLong(summary.group(1)));
		}
		finally {
			System.clearProperty(CommandLineAccess.TOKEN_PROPERTY);
		}
	}

	/**
	 * One command: wall time, this thread's CPU, the search's own time as the command
	 * prints it (candidates and verification; access and audit not in it), counts.
	 */
	private record Run(long nanos, long cpuNanos, long searchNanos, long candidates, long hits) {
	}

	/** Keeps the last 4 KB printed (the summary line): millions of hit lines are dropped. */
	private static final class Tail extends java.io.OutputStream {

		private final byte[] ring = new byte[4096];

		private long written;

		@Override
		public void write(int b) {
			this.ring[(int) (this.written++ % this.ring.length)] = (byte) b;
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			int skip = Math.max(0, length - this.ring.length);
			this.written += skip;
			for (int i = offset + skip; i < offset + length; i++) {
				write(bytes[i]);
			}
		}

		String text() {
			int n = (int) Math.min(this.written, this.ring.length);
			byte[] last = new byte[n];
			for (int i = 0; i < n; i++) {
				last[i] = this.ring[(int) ((this.written - n + i) % this.ring.length)];
			}
			return new String(last, StandardCharsets.UTF_8);
		}

	}

	// ---- helpers

	private static long median(long[] values) {
		if (values.length == 0) {
			return 0;
		}
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[(sorted.length - 1) / 2];
	}

	private static long p95(long[] values) {
		if (values.length == 0) {
			return 0;
		}
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[(int) Math.ceil(sorted.length * 0.95) - 1];
	}

	private static String ms(long nanos) {
		return String.format(Locale.ROOT, "%,.0f ms", nanos / 1e6);
	}

	private static String storeSize() throws IOException {
		long[] bytes = { 0 };
		try (var paths = Files.walk(HOME)) {
			paths.filter(Files::isRegularFile).forEach((p) -> bytes[0] += p.toFile().length());
		}
		return String.format(Locale.ROOT, "%,d MB (primary and replica)", bytes[0] / 1_000_000);
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static String loadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private synchronized void line(String format, Object... args) {
		String text = String.format(Locale.ROOT, format, args);
		System.out.println(text);
		this.report.append(text).append('\n');
		try {
			Path out = Path.of("target/bench/search-scale.md");
			Files.createDirectories(out.getParent());
			Files.writeString(out, this.report);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
