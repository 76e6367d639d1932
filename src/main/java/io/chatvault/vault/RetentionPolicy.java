package io.chatvault.vault;

import java.time.Period;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.chatvault.message.SourcePlatform;

/**
 * A retention policy: the regulation that demands it, how long, and what it covers.
 *
 * @param name a unique name ("finra-4511")
 * @param regulation the regulation ("SEC 17a-4(f)", "FCA COBS 11.8")
 * @param period how long records are kept after they are written
 * @param sources the source platforms covered (names of {@link SourcePlatform}); empty
 * covers every source
 * @param custodianGroups the custodian groups covered; empty covers every custodian
 */
public record RetentionPolicy(String name, String regulation, Period period, List<String> sources,
		List<String> custodianGroups) {

	public RetentionPolicy {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(regulation, "regulation");
		Objects.requireNonNull(period, "period");
		sources = (sources != null) ? List.copyOf(sources) : List.of();
		custodianGroups = (custodianGroups != null) ? List.copyOf(custodianGroups) : List.of();
	}

	boolean covers(SourcePlatform source, Collection<String> groupsOfCustodian) {
		boolean sourceCovered = this.sources.isEmpty() || source == null || this.sources.contains(source.name());
		boolean custodianCovered = this.custodianGroups.isEmpty()
				|| this.custodianGroups.stream().anyMatch(Set.copyOf(groupsOfCustodian)::contains);
		return sourceCovered && custodianCovered;
	}

}
