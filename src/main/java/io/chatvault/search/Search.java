package io.chatvault.search;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.crypto.ErasedException;
import io.chatvault.vault.ArchivedRecord;
import io.chatvault.vault.ErasedRecords;
import io.chatvault.vault.VaultReader;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a search: the token index gives candidates (every record that has the tokens a
 * match needs, a superset of the matches), each candidate is read from the vault
 * (decrypted and verified) and checked against the query and the filters on its
 * plaintext, so a token collision, a prefix, a phrase's words in another order or a
 * negated term never yields a wrong hit. Hits are handed over as they are found, in the
 * index's order.
 */
public class Search {

	private static final int FETCH_SIZE = 256;

	/** Candidates read from the vault per index look-up, at first and at most. */
	private static final int FIRST_BATCH = 32;

	private static final int MAX_BATCH = 512;

	private final JdbcTemplate jdbc;

	private final VaultReader reader;

	private final SearchTokens tokens;

	private final TransactionTemplate readOnly;

	public Search(JdbcTemplate jdbc, VaultReader reader, SearchTokens tokens,
			PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.reader = reader;
		this.tokens = tokens;
		this.readOnly = new TransactionTemplate(transactionManager);
		this.readOnly.setReadOnly(true);
	}

	/**
	 * Parses a query.
	 * @param text as typed
	 * @return the query
	 * @throws IllegalArgumentException if it is not a query, or a prefix is too short
	 */
	public SearchQuery parse(String text) {
		SearchQuery query = SearchQuery.parse(text);
		candidates(query, new ArrayList<>());
		return query;
	}

	/**
	 * The tokens for the audit log: the query with each term as its audit token.
	 * @param query the query
	 * @return the redacted query
	 */
	public String redacted(SearchQuery query) {
		return query.redacted(this.tokens);
	}

	/**
	 * Runs a search.
	 * @param query the query
	 * @param filters what it is limited to
	 * @param permits which custodians' records may be returned (access rules)
	 * @param hits receives each hit; returns false to stop
	 * @return what was done
	 */
	public Outcome run(SearchQuery query, Filters filters, Predicate<String> permits, HitHandler hits) {
		long started = System.nanoTime();
		Counter counter = new Counter();
		List<Pending> batch = new ArrayList<>();
		candidates(query, filters, (messageId, custodians) -> {
			counter.candidates++;
			List<String> permitted = custodians.stream()
				.filter(permits)
				.filter((c) -> filters.custodians().isEmpty() || filters.custodians().contains(c))
				.distinct()
				.toList();
			if (permitted.isEmpty()) {
				counter.outOfScope++;
				return true;
			}
			batch.add(new Pending(messageId, permitted));
			return batch.size() < counter.batchSize || verify(batch, query, filters, hits, counter, started);
		});
		if (!batch.isEmpty() && !counter.stopped) {
			verify(batch, query, filters, hits, counter, started);
		}
		return new Outcome(counter.candidates - counter.unchecked, counter.hits, counter.rejected, counter.outOfScope,
				counter.erased.records(), !counter.stopped, counter.firstHitNanos, System.nanoTime() - started);
	}

	/**
	 * Reads a batch of candidates from the vault (located with one index look-up for the
	 * lot) and checks each on its plaintext. Batches start small, so that the first hits
	 * come early, and grow.
	 * @return whether to go on
	 */
	private boolean verify(List<Pending> batch, SearchQuery query, Filters filters, HitHandler hits, Counter counter,
			long started) {
		List<VaultReader.Located> located = this.reader.locate(batch.stream().map(Pending::messageId).toList());
		try {
			for (int i = 0; i < batch.size(); i++) {
				Optional<ArchivedRecord> read;
				try {
					read = located.get(i).read();
				}
				catch (ErasedException ex) {
					// Crypto-shredded (GDPR erasure): counted, never read, and the rest
					// goes on.
					counter.erased.count(ex);
					continue;
				}
				if (read.isEmpty()) {
					counter.rejected++;
					continue;
				}
				ChatRecord record = read.get().record();
				if (!filters.admits(record) || !query.matches(SearchTokens.fields(record))) {
					counter.rejected++;
					continue;
				}
				counter.hits++;
				if (counter.hits == 1) {
					counter.firstHitNanos = System.nanoTime() - started;
				}
				if (!hits.hit(new Hit(read.get(), batch.get(i).custodians()))) {
					// the candidates after this one were not checked
					counter.unchecked += batch.size() - i - 1;
					counter.stopped = true;
					return false;
				}
			}
			return true;
		}
		finally {
			batch.clear();
			counter.batchSize = Math.min(2 * counter.batchSize, MAX_BATCH);
		}
	}

	/** A candidate in the scope of the search, waiting to be read. */
	private record Pending(String messageId, List<String> custodians) {
	}

	/**
	 * The candidates of a query from the token index alone, streamed: every record whose
	 * tokens a match needs and whose index row is within the filters. Not checked against
	 * the text: {@link #run} does that; benchmarks time this part on its own.
	 * @param query the query
	 * @param filters the filters
	 * @param candidates receives each candidate's id and the custodians holding it;
	 * returns false to stop
	 * @return how many were handed over
	 */
	public long candidates(SearchQuery query, Filters filters, CandidateHandler candidates) {
		List<Object> args = new ArrayList<>();
		StringBuilder sql = new StringBuilder(
				"""
						SELECT encode(s.message_id, 'hex'), k.name,
						       ARRAY(SELECT hk.name FROM vault_message_holder h JOIN vault_custodian hk ON hk.id = h.custodian_id
						             WHERE h.message_id = s.message_id)
						FROM vault_message s
						JOIN vault_conversation c ON c.id = s.conversation
						JOIN vault_custodian k ON k.id = c.custodian_id
						WHERE """)
			.append(" ");
		// NULL tokens: not indexed yet (search-backfill has not reached it), not a
		// candidate, as a record without a row in the token index was before.
		sql.append(candidates(query, args).orElse("s.tokens IS NOT NULL"));
		filters.from().ifPresent((from) -> {
			sql.append(" AND s.sent_at >= ?");
			args.add(Timestamp.from(from));
		});
		filters.to().ifPresent((to) -> {
			sql.append(" AND s.sent_at < ?");
			args.add(Timestamp.from(to));
		});
		if (!filters.kinds().isEmpty()) {
			sql.append(" AND s.kind = ANY (?)");
			args.add(filters.kinds().stream().mapToInt(RecordKind::code).toArray());
		}
		if (!filters.sources().isEmpty()) {
			sql.append(" AND c.source = ANY (?)");
			args.add(filters.sources().toArray(String[]::new));
		}
		if (!filters.conversations().isEmpty()) {
			sql.append(" AND (c.source || ':' || c.conversation_id) = ANY (?)");
			args.add(filters.conversations().toArray(String[]::new));
		}
		if (!filters.custodians().isEmpty()) {
			sql.append(" AND (k.name = ANY (?) OR EXISTS (SELECT 1 FROM vault_message_holder h JOIN vault_custodian "
					+ "hk ON hk.id = h.custodian_id WHERE h.message_id = s.message_id AND hk.name = ANY (?)))");
			String[] names = filters.custodians().toArray(String[]::new);
			args.add(names);
			args.add(names);
		}
		long[] count = { 0 };
		try {
			this.readOnly.executeWithoutResult((status) -> {
				// PostgreSQL's JIT compiles the whole plan before the first row when its
				// cost estimate is high, as it is for a common term's heap scan: at
				// 10,000,000 records it took 1.7 s under load, the whole wait for the
				// first page, to save nothing on a scan that is I/O, read page by page.
				this.jdbc.execute("SET LOCAL jit = off");
				this.jdbc.query((connection) -> {
					var statement = connection.prepareStatement(sql.toString());
					statement.setFetchSize(FETCH_SIZE);
					for (int i = 0; i < args.size(); i++) {
						statement.setObject(i + 1, args.get(i));
					}
					return statement;
				}, (rs) -> {
					count[0]++;
					List<String> custodians = new ArrayList<>();
					custodians.add(rs.getString(2));
					Array holders = rs.getArray(3);
					custodians.addAll(Arrays.asList((String[]) holders.getArray()));
					if (!candidates.candidate(rs.getString(1), custodians)) {
						throw new Stopped();
					}
				});
			});
		}
		catch (Stopped stopped) {
			// the handler has what it wanted; the cursor ends with the transaction
		}
		return count[0];
	}

	/**
	 * The index condition of a query: a superset of its matches. A negation narrows
	 * nothing here (a record whose tokens suggest the negated term may still not contain
	 * it), so it is checked on the plaintext only.
	 */
	private Optional<String> candidates(SearchQuery query, List<Object> args) {
		if (query instanceof SearchQuery.Match match) {
			args.add(this.tokens.required(match.units(), match.prefix()));
			return Optional.of("s.tokens @> ?::bigint[]");
		}
		if (query instanceof SearchQuery.And and) {
			List<String> parts = new ArrayList<>();
			for (SearchQuery part : and.parts()) {
				candidates(part, args).ifPresent(parts::add);
			}
			return parts.isEmpty() ? Optional.empty() : Optional.of("(" + String.join(" AND ", parts) + ")");
		}
		if (query instanceof SearchQuery.Or or) {
			List<String> parts = new ArrayList<>();
			int mark = args.size();
			for (SearchQuery part : or.parts()) {
				Optional<String> condition = candidates(part, args);
				if (condition.isEmpty()) {
					args.subList(mark, args.size()).clear();
					return Optional.empty();
				}
				parts.add(condition.get());
			}
			return Optional.of("(" + String.join(" OR ", parts) + ")");
		}
		return Optional.empty();
	}

	/**
	 * A day ({@code YYYY-MM-DD}, its start in UTC) or an instant, as the commands take
	 * them.
	 * @param value the text
	 * @return the instant
	 * @throws IllegalArgumentException if it is neither
	 */
	public static Instant instant(String value) {
		try {
			return (value.length() == 10)
					? java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
					: Instant.parse(value);
		}
		catch (java.time.format.DateTimeParseException ex) {
			throw new IllegalArgumentException(
					"'" + value + "' is neither a day YYYY-MM-DD nor an instant such as 2024-03-01T10:00:00Z");
		}
	}

	/**
	 * What a search is limited to; empty sets mean no limit.
	 *
	 * @param custodians custodian ids
	 * @param conversations {@code SOURCE:conversation id}
	 * @param sources source platform names
	 * @param kinds record kinds
	 * @param from sent at or after
	 * @param to sent before
	 */
	public record Filters(Set<String> custodians, Set<String> conversations, Set<String> sources, Set<RecordKind> kinds,
			Optional<Instant> from, Optional<Instant> to) {

		/** No limit. */
		public static final Filters NONE = new Filters(Set.of(), Set.of(), Set.of(), Set.of(), Optional.empty(),
				Optional.empty());

		/**
		 * The filters as the commands take them ({@code --custodian},
		 * {@code --conversation
		 * SOURCE:ID}, {@code --source}, {@code --kind}, {@code --from}, {@code --to}).
		 * @param custodians custodian ids
		 * @param conversations {@code SOURCE:ID}
		 * @param sources source platform names, any case
		 * @param kinds record kinds, any case, {@code -} or {@code _}
		 * @param from a day or an instant, or null
		 * @param to a day or an instant, or null
		 * @return the filters
		 * @throws IllegalArgumentException naming the option that is wrong
		 */
		public static Filters parse(java.util.Collection<String> custodians, java.util.Collection<String> conversations,
				java.util.Collection<String> sources, java.util.Collection<String> kinds, String from, String to) {
			Set<RecordKind> kindSet = java.util.EnumSet.noneOf(RecordKind.class);
			for (String kind : kinds) {
				try {
					kindSet.add(RecordKind.valueOf(kind.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("--kind " + kind
							+ " is not one of message, system_event, edit, deletion, reaction, status");
				}
			}
			Set<String> sourceSet = new java.util.TreeSet<>();
			sources.forEach((source) -> sourceSet.add(source.trim().toUpperCase(java.util.Locale.ROOT)));
			for (String conversation : conversations) {
				if (conversation.indexOf(':') <= 0) {
					throw new IllegalArgumentException(
							"--conversation " + conversation + " is not SOURCE:ID, e.g. SLACK_EXPORT:C024BE91L");
				}
			}
			Optional<Instant> start = Optional.ofNullable(from).map((f) -> option("--from", f));
			Optional<Instant> end = Optional.ofNullable(to).map((t) -> option("--to", t));
			if (start.isPresent() && end.isPresent() && !start.get().isBefore(end.get())) {
				throw new IllegalArgumentException("--to " + to + " is not after --from " + from);
			}
			return new Filters(Set.copyOf(custodians), Set.copyOf(conversations), sourceSet, kindSet, start, end);
		}

		private static Instant option(String option, String value) {
			try {
				return instant(value);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(option + " " + ex.getMessage());
			}
		}

		/**
		 * Whether a record, as read, is within the filters (custodians aside, which
		 * belong to holdings).
		 * @param record the record
		 * @return whether it is admitted
		 */
		public boolean admits(ChatRecord record) {
			return (this.kinds.isEmpty() || this.kinds.contains(record.kind()))
					&& (this.sources.isEmpty() || this.sources.contains(record.source().name()))
					&& (this.conversations.isEmpty()
							|| this.conversations.contains(record.source().name() + ":" + record.conversation().id()))
					&& this.from.map((f) -> !record.sentAt().isBefore(f)).orElse(true)
					&& this.to.map((t) -> record.sentAt().isBefore(t)).orElse(true);
		}

		/**
		 * The same filters over a time range.
		 * @param start from (inclusive), or null
		 * @param end to (exclusive), or null
		 * @return the filters
		 */
		public Filters between(Instant start, Instant end) {
			return new Filters(this.custodians, this.conversations, this.sources, this.kinds,
					Optional.ofNullable(start), Optional.ofNullable(end));
		}

		/**
		 * The same filters for some custodians.
		 * @param ids custodian ids
		 * @return the filters
		 */
		public Filters forCustodians(Set<String> ids) {
			return new Filters(ids, this.conversations, this.sources, this.kinds, this.from, this.to);
		}

	}

	/**
	 * A verified hit.
	 *
	 * @param record the record as read from the vault
	 * @param custodians the custodians holding it whose records may be returned
	 */
	public record Hit(ArchivedRecord record, List<String> custodians) {
	}

	/** Receives candidates. */
	@FunctionalInterface
	public interface CandidateHandler {

		/**
		 * A candidate.
		 * @param messageId its hex id
		 * @param custodians the custodians holding it
		 * @return whether to go on
		 */
		boolean candidate(String messageId, List<String> custodians);

	}

	/** Receives hits. */
	@FunctionalInterface
	public interface HitHandler {

		/**
		 * A hit.
		 * @param hit the hit
		 * @return whether to go on
		 */
		boolean hit(Hit hit);

	}

	/**
	 * What a search did.
	 *
	 * @param candidates records the index named
	 * @param hits records that matched on their plaintext and were handed over
	 * @param rejected candidates that did not match (collisions, phrases, negations,
	 * prefixes)
	 * @param outOfScope candidates of custodians the access rules do not permit
	 * @param erased candidates whose data key was destroyed by an erasure (not readable)
	 * @param complete whether every candidate was checked (not stopped early)
	 * @param firstHitNanos time to the first hit, 0 if none
	 * @param totalNanos time to the end
	 */
	public record Outcome(long candidates, long hits, long rejected, long outOfScope, long erased, boolean complete,
			long firstHitNanos, long totalNanos) {
	}

	private static final class Stopped extends RuntimeException {

		Stopped() {
			super(null, null, false, false);
		}

	}

	private static final class Counter {

		long candidates;

		long hits;

		long rejected;

		long outOfScope;

		final ErasedRecords erased = new ErasedRecords();

		long firstHitNanos;

		boolean stopped;

		long unchecked;

		int batchSize = FIRST_BATCH;

	}

}
