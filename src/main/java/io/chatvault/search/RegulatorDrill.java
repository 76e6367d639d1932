package io.chatvault.search;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import io.chatvault.vault.ArchivedRecord;
import io.chatvault.vault.ErasedRecords;
import io.chatvault.vault.HeldConversation;
import io.chatvault.vault.VaultReader;

/**
 * One request of the regulator drill: the search, timed to its complete result, and an
 * independent full decrypt-and-scan of the same scope (every record of every conversation
 * in scope, read from the vault and checked against the query, no token used), whose
 * matches the search must find. Records an erasure made unreadable are counted as erased
 * by both, never read, and the drill is judged on the rest.
 */
public class RegulatorDrill {

	/** Hits that make the first page a person sees. */
	static final int FIRST_PAGE = 50;

	private final Search search;

	private final VaultReader reader;

	public RegulatorDrill(Search search, VaultReader reader) {
		this.search = search;
		this.reader = reader;
	}

	/**
	 * Runs one request.
	 * @param request the configured request
	 * @param half the drill's half, {@code 2025-H1}
	 * @param drill the thresholds
	 * @return the result
	 * @throws IllegalArgumentException if the request's query or period is not valid
	 */
	public Result run(SearchProperties.DrillRequest request, String half, SearchProperties.Drill drill) {
		SearchQuery query;
		try {
			query = this.search.parse(request.query());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("drill request '" + request.name() + "': " + ex.getMessage(), ex);
		}
		Instant[] range = range(request, half);
		Search.Filters filters = Search.Filters.NONE.forCustodians(request.custodians()).between(range[0], range[1]);
		Set<String> found = new HashSet<>();
		long[] firstPage = { -1 };
		long started = System.nanoTime();
		this.search.run(query, filters, (custodian) -> true, (hit) -> {
			found.add(hit.record().messageId());
			if (found.size() == FIRST_PAGE) {
				firstPage[0] = System.nanoTime() - started;
			}
			return true;
		});
		long complete = System.nanoTime() - started;
		if (firstPage[0] < 0) {
			firstPage[0] = complete;
		}
		Set<String> expected = new HashSet<>();
		long scanned = 0;
		ErasedRecords erased = new ErasedRecords();
		for (String custodian : this.reader.custodians()) {
			if (!request.custodians().isEmpty() && !request.custodians().contains(custodian)) {
				continue;
			}
			for (HeldConversation conversation : this.reader.conversations(custodian)) {
				try (var records = erased.readable(this.reader.records(conversation))) {
					for (ArchivedRecord record : (Iterable<ArchivedRecord>) records::iterator) {
						scanned++;
						if (filters.admits(record.record()) && query.matches(SearchTokens.fields(record.record()))) {
							expected.add(record.messageId());
						}
					}
				}
			}
		}
		long hitsInExpected = found.stream().filter(expected::contains).count();
		double recall = expected.isEmpty() ? 1.0 : (double) hitsInExpected / expected.size();
		Duration took = Duration.ofNanos(complete);
		boolean fastEnough = took.compareTo(drill.maxTime()) <= 0;
		boolean recalled = recall >= drill.minRecall();
		String detail;
		if (recalled && fastEnough) {
			detail = "passed";
		}
		else {
			StringBuilder text = new StringBuilder();
			if (!recalled) {
				text.append(String.format(Locale.ROOT,
						"recall %.4f below %.4f: %d of %d records a full scan finds " + "were not found", recall,
						drill.minRecall(), expected.size() - hitsInExpected, expected.size()));
			}
			if (!fastEnough) {
				text.append(text.isEmpty() ? "" : "; ")
					.append(String.format(Locale.ROOT, "took %.3f s, more than %.3f s", complete / 1e9,
							drill.maxTime().toMillis() / 1e3));
			}
			detail = text.toString();
		}
		return new Result(request.name(), this.search.redacted(query), range[0], range[1], found.size(),
				expected.size(), hitsInExpected, scanned, erased.records(), recall, Duration.ofNanos(firstPage[0]),
				took, recalled && fastEnough, detail);
	}

	/** The time range of a request: [from, to), either end null for open. */
	static Instant[] range(SearchProperties.DrillRequest request, String half) {
		int year = Integer.parseInt(half.substring(0, 4));
		int part = half.charAt(6) - '0';
		LocalDate halfStart = LocalDate.of(year, (part == 1) ? 1 : 7, 1);
		String period = request.period().trim().toLowerCase(Locale.ROOT);
		return switch (period) {
			case "previous-year" -> yearRange(year - 1);
			case "half" -> new Instant[] { start(halfStart), start(halfStart.plusMonths(6)) };
			case "all" -> new Instant[] { null, null };
			default -> {
				if (!period.matches("[0-9]{4}")) {
					throw new IllegalArgumentException("drill request '" + request.name() + "': period '"
							+ request.period() + "' is not previous-year, half, all or a year such as 2024");
				}
				yield yearRange(Integer.parseInt(period));
			}
		};
	}

	private static Instant[] yearRange(int year) {
		return new Instant[] { start(LocalDate.of(year, 1, 1)), start(LocalDate.of(year + 1, 1, 1)) };
	}

	private static Instant start(LocalDate day) {
		return day.atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	/**
	 * What one request gave.
	 *
	 * @param name the request's name
	 * @param redactedQuery its query, terms as audit tokens
	 * @param from the scope's start, or null
	 * @param to the scope's end, or null
	 * @param hits what the search returned
	 * @param expected what the full scan matched
	 * @param found how many of those the search returned
	 * @param scanned records the full scan read
	 * @param erased records in scope the full scan could not read because an erasure
	 * destroyed their data key (not in {@code scanned}, not expected)
	 * @param recall found / expected (1 when nothing is expected)
	 * @param firstPage time to the first page of hits
	 * @param complete time to the complete result
	 * @param passed recall and time within the thresholds
	 * @param detail why it failed, or {@code passed}
	 */
	public record Result(String name, String redactedQuery, Instant from, Instant to, long hits, long expected,
			long found, long scanned, long erased, double recall, Duration firstPage, Duration complete, boolean passed,
			String detail) {
	}

}
