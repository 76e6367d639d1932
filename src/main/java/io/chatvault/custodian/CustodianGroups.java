package io.chatvault.custodian;

import java.util.List;
import java.util.Optional;

/**
 * Where custodian groups come from. Today from configuration
 * ({@link ConfiguredCustodianGroups}, {@code chatvault.groups.*}); the custodian registry
 * replaces that bean when it lands, and everything that reads groups (the sync job) goes
 * on unchanged.
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

}
