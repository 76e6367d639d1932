package io.chatvault.custodian;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A group of custodians archived on one rhythm: a trading desk every 15 minutes, a
 * support team every 6 hours.
 *
 * @param name the group's name, the {@code group=} of {@code chatvault run sync}
 * @param cadence how often its messages are moved into the vault
 * @param members its custodians and their accounts
 */
public record CustodianGroup(String name, Duration cadence, List<GroupMember> members) {

	public CustodianGroup {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(cadence, "cadence");
		if (cadence.isNegative() || cadence.isZero()) {
			throw new IllegalArgumentException("the cadence of group " + name + " must be positive");
		}
		members = List.copyOf(members);
	}

	/**
	 * The last cadence boundary at or before an instant. Boundaries are multiples of the
	 * cadence counted from the epoch (UTC midnight, 00:15, 00:30, ... for 15 minutes;
	 * 00:00, 06:00, 12:00, 18:00 UTC for 6 hours), so every process derives the same.
	 * @param now the instant
	 * @return the window end
	 */
	public Instant windowEndAtOrBefore(Instant now) {
		long cadenceMillis = this.cadence.toMillis();
		return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), cadenceMillis) * cadenceMillis);
	}

	/** Whether an instant is one of this group's window boundaries. */
	public boolean isBoundary(Instant instant) {
		return windowEndAtOrBefore(instant).equals(instant);
	}

	/** Every account of every member. */
	public List<PlatformAccount> accounts() {
		return this.members.stream().flatMap((member) -> member.accounts().stream()).distinct().toList();
	}

	/** The member holding an account. */
	public Optional<GroupMember> holder(PlatformAccount account) {
		return this.members.stream().filter((member) -> member.accounts().contains(account)).findFirst();
	}

}
