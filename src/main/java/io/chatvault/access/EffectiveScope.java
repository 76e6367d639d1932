package io.chatvault.access;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a principal may actually read in an authorized access: every custodian, or a set
 * of them, derived from the grants that allowed it. Readers filter every record by
 * {@link #permits}: a conversation is readable to the extent its records belong to
 * permitted custodians.
 *
 * @param all every custodian (compliance)
 * @param custodians the permitted custodians when not all: the ones asked for, or, when
 * none were named, every custodian of the grants' scopes at the time of the decision
 * @param grants the scopes of the grants that allowed it ({@code group:sales}, ...)
 */
public record EffectiveScope(boolean all, Set<String> custodians, List<String> grants) {

	public EffectiveScope {
		custodians = all ? Set.of() : java.util.Collections.unmodifiableSortedSet(new TreeSet<>(custodians));
		grants = List.copyOf(grants);
	}

	/**
	 * Whether a custodian's records may be returned.
	 * @param custodianId the custodian a record is archived for
	 * @return whether it is in scope
	 */
	public boolean permits(String custodianId) {
		return this.all || this.custodians.contains(custodianId);
	}

}
