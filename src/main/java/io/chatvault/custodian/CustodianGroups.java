package io.chatvault.custodian;

import java.util.List;
import java.util.Optional;

/**
 * Where custodian groups come from: the custodian registry together with configuration
 * ({@link RegistryCustodianGroups}), or configuration alone
 * ({@link ConfiguredCustodianGroups}, {@code chatvault.groups.*}).
 */
public interface CustodianGroups {

	/**
	 * A group by name.
	 * @param name the name
	 * @return the group, or empty when no group has that name
	 */
	Optional<CustodianGroup> group(String name);

	/** Every group, by name. */
	List<CustodianGroup> groups();

	/**
	 * Groups that have custodians but no cadence, so are not synced: the custodian
	 * registry's groups that configuration gives no
	 * {@code chatvault.groups.<name>.cadence}.
	 * @return their names, sorted
	 */
	default List<String> withoutCadence() {
		return List.of();
	}

}
