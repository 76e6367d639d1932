package io.chatvault.search;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Search settings ({@code chatvault.search.*}).
 *
 * @param indexAtArchive write tokens when records are archived (off only to measure what
 * they cost; records archived without are indexed by {@code search-backfill})
 * @param prefixLengths the word prefixes stored as tokens, in characters: a prefix query
 * needs at least the shortest
 * @param drill the regulator drill
 */
@ConfigurationProperties("chatvault.search")
public record SearchProperties(@DefaultValue("true") boolean indexAtArchive, @DefaultValue( {
		"3", "5" }) List<Integer> prefixLengths, @DefaultValue Drill drill){

	/**
	 * The regulator-request drill.
	 *
	 * @param maxTime a request must come back whole within this
	 * @param minRecall and find at least this share of what a full scan finds
	 * @param requests the requests; none configured: {@code contract} over the year
	 * before the drill's half
	 */
	public record Drill(@DefaultValue("5s") Duration maxTime, @DefaultValue("0.999") double minRecall,
			List<DrillRequest> requests) {

		public Drill {
			requests = (requests == null || requests.isEmpty())
					? List.of(new DrillRequest("contract-previous-year", "contract", "previous-year", Set.of()))
					: List.copyOf(requests);
		}

	}

	/**
	 * One configured request.
	 *
	 * @param name names it in the run's results and its failure
	 * @param query the query, as {@code chatvault search} takes it
	 * @param period {@code previous-year} (the year before the half's start),
	 * {@code half} (the drill's half), {@code all}, or a year such as {@code 2024}
	 * @param custodians custodians it is limited to; empty for all
	 */
	public record DrillRequest(String name, String query, @DefaultValue("previous-year") String period,
			Set<String> custodians) {

		public DrillRequest {
			custodians = (custodians != null) ? Set.copyOf(custodians) : Set.of();
		}

	}

}
