package io.chatvault.custodian;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * A custodian in a group, with the platform accounts whose messages are archived for
 * them.
 *
 * @param custodian the custodian's id (the employee)
 * @param zone the zone their zone-less exports (WhatsApp) are read in
 * @param accounts their accounts
 */
public record GroupMember(String custodian, ZoneId zone, List<PlatformAccount> accounts) {

	public GroupMember {
		Objects.requireNonNull(custodian, "custodian");
		Objects.requireNonNull(zone, "zone");
		accounts = List.copyOf(accounts);
	}

	/** This member's accounts of one kind. */
	public List<PlatformAccount> accounts(AccountKind kind) {
		return this.accounts.stream().filter((account) -> account.kind() == kind).toList();
	}

}
