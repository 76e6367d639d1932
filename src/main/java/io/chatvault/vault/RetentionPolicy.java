package io.chatvault.vault;

import java.time.Period;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.chatvault.message.SourcePlatform;

/**
 * A retention policy: the regulation that demands it, how long, what it covers (sources,
 * custodian groups, custodians by name), and whether the law imposes it.
 *
 * @param name a unique name ("sec-17a-4-traders")
 * @param regulation the regulation ("SEC 17a-4(f)", "FCA COBS 11.8")
 * @param period how long records are kept after they are written
 * @param sources the source platforms covered (names of {@link SourcePlatform}); empty
 * covers every source
 * @param custodianGroups the custodian groups covered; empty: not limited by group
 * @param custodians the custodians covered by name; empty: not limited by name
 * @param statutory whether the law imposes it: an erasure of records inside a statutory
 * retention is refused (a GDPR data-minimisation policy is not statutory)
 */
public record RetentionPolicy(String name, String regulation, Period period, List<String> sources,
		List<String> custodianGroups, List<String> custodians, boolean statutory) {

	public RetentionPolicy {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(regulation, "regulation");
		Objects.requireNonNull(period, "period");
		sources = (sources != null) ? List.copyOf(sources) : List.of();
		custodianGroups = (custodianGroups != null) ? List.copyOf(custodianGroups) : List.of();
		custodians = (custodians != null) ? List.copyOf(custodians) : List.of();
		if (period.isNegative()) {
			throw new IllegalArgumentException("the retention period of " + name + " is negative: " + period);
		}
	}

	/**
	 * A statutory policy over sources and custodian groups.
	 * @param name a unique name
	 * @param regulation the regulation
	 * @param period how long
	 * @param sources the sources covered, empty for all
	 * @param custodianGroups the custodian groups covered, empty for all
	 */
	public RetentionPolicy(String name, String regulation, Period period, List<String> sources,
			List<String> custodianGroups) {
		this(name, regulation, period, sources, custodianGroups, List.of(), true);
	}

	/**
	 * Whether the policy covers records of a source and custodian: the source is listed
	 * (or none is), and, when groups or custodians are named, the custodian is named or
	 * is in a named group.
	 */
	boolean covers(SourcePlatform source, String custodian, Collection<String> groupsOfCustodian) {
		boolean sourceCovered = this.sources.isEmpty() || source == null || this.sources.contains(source.name());
		if (this.custodianGroups.isEmpty() && this.custodians.isEmpty()) {
			return sourceCovered;
		}
		boolean named = this.custodians.contains(custodian);
		boolean inGroup = this.custodianGroups.stream().anyMatch(Set.copyOf(groupsOfCustodian)::contains);
		return sourceCovered && (named || inGroup);
	}

}
