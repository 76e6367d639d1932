package io.chatvault.custodian;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.chatvault.access.Custodian;
import io.chatvault.access.CustodianAccount;
import io.chatvault.access.Custodians;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Custodian groups from the custodian registry ({@code chatvault custodian ...} and the
 * HR feed) together with those of configuration ({@code chatvault.groups.*}).
 * <p>
 * A group's members are the registry's custodians of that group, with their WhatsApp
 * numbers, Slack user ids and Teams user ids, and the members configured for it (Slack
 * channels, Teams chats and channels, a zone other than UTC). The registry owns the
 * accounts it lists: an account that configuration gives to one custodian and the
 * registry to another is the registry's custodian's. A departed custodian stays a member
 * until the last sync of their accounts that their departure requested has been done
 * ({@code access_last_sync_request}), then leaves the group. The registry has no
 * cadences: a group gets its cadence from {@code chatvault.groups.<name>.cadence}, and a
 * registry group without one is not synced ({@link #withoutCadence()} names it).
 * <p>
 * The registry is read again at most every {@code refresh} ({@code serve} routes every
 * delivery through the groups), and at once when the clock goes backwards.
 */
public class RegistryCustodianGroups implements CustodianGroups {

	private static final Log logger = LogFactory.getLog(RegistryCustodianGroups.class);

	private final CustodianGroups configured;

	private final Custodians registry;

	private final Clock clock;

	private final Duration refresh;

	private volatile Snapshot snapshot;

	public RegistryCustodianGroups(CustodianGroups configured, Custodians registry, Clock clock, Duration refresh) {
		this.configured = configured;
		this.registry = registry;
		this.clock = clock;
		this.refresh = refresh;
	}

	@Override
	public Optional<CustodianGroup> group(String name) {
		return snapshot().groups().stream().filter((group) -> group.name().equals(name)).findFirst();
	}

	@Override
	public List<CustodianGroup> groups() {
		return snapshot().groups();
	}

	@Override
	public List<String> withoutCadence() {
		return snapshot().withoutCadence();
	}

	/**
	 * The group account of a registry account: a WhatsApp number by its digits, a Slack
	 * or Teams user id as it is.
	 * @param account the registry's account
	 * @return the account as groups, routing and polls name it
	 */
	public static PlatformAccount account(CustodianAccount account) {
		AccountKind kind = switch (account.platform()) {
			case WHATSAPP -> AccountKind.WHATSAPP_NUMBER;
			case SLACK -> AccountKind.SLACK_USER;
			case TEAMS -> AccountKind.TEAMS_USER;
		};
		return PlatformAccount.of(kind, account.accountId());
	}

	private Snapshot snapshot() {
		Instant now = this.clock.instant();
		Snapshot current = this.snapshot;
		if (stale(current, now)) {
			synchronized (this) {
				current = this.snapshot;
				if (stale(current, now)) {
					current = read(now);
					this.snapshot = current;
				}
			}
		}
		return current;
	}

	private boolean stale(Snapshot snapshot, Instant now) {
		return snapshot == null || !now.isBefore(snapshot.readAt().plus(this.refresh))
				|| now.isBefore(snapshot.readAt());
	}

	private Snapshot read(Instant now) {
		Set<String> awaitingLastSync = new HashSet<>();
		this.registry.openLastSyncRequests().forEach((request) -> awaitingLastSync.add(request.custodianId()));
		Map<String, List<Custodian>> byGroup = new TreeMap<>();
		Map<PlatformAccount, String> owners = new HashMap<>();
		for (Custodian custodian : this.registry.list(Optional.empty())) {
			for (CustodianAccount account : custodian.accounts()) {
				owners.put(account(account), custodian.id());
			}
			if (custodian.active() || awaitingLastSync.contains(custodian.id())) {
				byGroup.computeIfAbsent(custodian.group(), (group) -> new ArrayList<>()).add(custodian);
			}
		}
		Set<String> names = new TreeSet<>(byGroup.keySet());
		this.configured.groups().forEach((group) -> names.add(group.name()));
		List<CustodianGroup> groups = new ArrayList<>();
		List<String> withoutCadence = new ArrayList<>();
		for (String name : names) {
			Optional<CustodianGroup> configuredGroup = this.configured.group(name);
			if (configuredGroup.isEmpty()) {
				withoutCadence.add(name);
				continue;
			}
			groups.add(merge(configuredGroup.get(), byGroup.getOrDefault(name, List.of()), owners));
		}
		if (!withoutCadence.isEmpty()) {
			logger.debug("Custodian registry groups without a cadence (chatvault.groups.<name>.cadence), not synced: "
					+ withoutCadence);
		}
		return new Snapshot(now, List.copyOf(groups), List.copyOf(withoutCadence));
	}

	private static CustodianGroup merge(CustodianGroup configured, List<Custodian> registered,
			Map<PlatformAccount, String> owners) {
		Map<String, List<PlatformAccount>> accounts = new LinkedHashMap<>();
		Map<String, java.time.ZoneId> zones = new HashMap<>();
		for (GroupMember member : configured.members()) {
			zones.put(member.custodian(), member.zone());
			List<PlatformAccount> kept = accounts.computeIfAbsent(member.custodian(), (id) -> new ArrayList<>());
			for (PlatformAccount account : member.accounts()) {
				String owner = owners.get(account);
				if (owner != null && !owner.equals(member.custodian())) {
					logger.warn("Group " + configured.name() + ": account " + account + " is configured for "
							+ member.custodian() + " but the custodian registry gives it to " + owner
							+ "; the registry's holds");
					continue;
				}
				kept.add(account);
			}
		}
		for (Custodian custodian : registered) {
			List<PlatformAccount> kept = accounts.computeIfAbsent(custodian.id(), (id) -> new ArrayList<>());
			for (CustodianAccount registryAccount : custodian.accounts()) {
				PlatformAccount account = account(registryAccount);
				if (!kept.contains(account)) {
					kept.add(account);
				}
			}
		}
		List<GroupMember> members = new ArrayList<>();
		accounts.forEach((custodian, held) -> members
			.add(new GroupMember(custodian, zones.getOrDefault(custodian, ZoneOffset.UTC), held)));
		return new CustodianGroup(configured.name(), configured.cadence(), members);
	}

	private record Snapshot(Instant readAt, List<CustodianGroup> groups, List<String> withoutCadence) {
	}

}
