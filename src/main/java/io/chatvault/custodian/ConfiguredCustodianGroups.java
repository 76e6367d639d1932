package io.chatvault.custodian;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The custodian groups of {@code chatvault.groups.*}, checked once at start-up: a group
 * name that cannot be a job parameter, an unknown zone, a Teams channel without its team,
 * or an account held by two custodians of one group each stop the start with one line
 * naming the property.
 */
public class ConfiguredCustodianGroups implements CustodianGroups {

	private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

	private final List<CustodianGroup> groups;

	public ConfiguredCustodianGroups(CustodianGroupsProperties properties) {
		List<CustodianGroup> built = new ArrayList<>();
		for (Map.Entry<String, CustodianGroupsProperties.Group> entry : properties.groups().entrySet()) {
			built.add(group(entry.getKey(), entry.getValue()));
		}
		built.sort(Comparator.comparing(CustodianGroup::name));
		this.groups = List.copyOf(built);
	}

	@Override
	public Optional<CustodianGroup> group(String name) {
		return this.groups.stream().filter((group) -> group.name().equals(name)).findFirst();
	}

	@Override
	public List<CustodianGroup> groups() {
		return this.groups;
	}

	private static CustodianGroup group(String name, CustodianGroupsProperties.Group group) {
		String property = "chatvault.groups." + name;
		if (!GROUP_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(property + ": a group name is letters, digits, '-', '_' or '.'");
		}
		if (group.cadence().isNegative() || group.cadence().isZero()) {
			throw new IllegalArgumentException(property + ".cadence must be positive, not " + group.cadence());
		}
		List<GroupMember> members = new ArrayList<>();
		for (int i = 0; i < group.members().size(); i++) {
			members.add(member(property + ".members[" + i + "]", group.members().get(i)));
		}
		List<PlatformAccount> seen = new ArrayList<>();
		for (GroupMember member : members) {
			for (PlatformAccount account : member.accounts()) {
				if (seen.contains(account)) {
					throw new IllegalArgumentException(
							property + ": account " + account + " is listed for two custodians; give it to one");
				}
				seen.add(account);
			}
		}
		return new CustodianGroup(name, group.cadence(), members);
	}

	private static GroupMember member(String property, CustodianGroupsProperties.Member member) {
		ZoneId zone;
		try {
			zone = ZoneId.of(member.zone());
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException(property + ".zone: unknown zone '" + member.zone() + "'");
		}
		List<PlatformAccount> accounts = new ArrayList<>();
		add(accounts, AccountKind.WHATSAPP_NUMBER, member.whatsapp());
		add(accounts, AccountKind.SLACK_USER, member.slackUsers());
		add(accounts, AccountKind.SLACK_CHANNEL, member.slackChannels());
		add(accounts, AccountKind.TEAMS_USER, member.teamsUsers());
		add(accounts, AccountKind.TEAMS_CHAT, member.teamsChats());
		for (String channel : member.teamsChannels()) {
			if (channel.trim().split("/").length != 2) {
				throw new IllegalArgumentException(
						property + ".teams-channels: '" + channel + "' is not <team id>/<channel id>");
			}
		}
		add(accounts, AccountKind.TEAMS_CHANNEL, member.teamsChannels());
		for (PlatformAccount account : accounts) {
			if (account.kind() == AccountKind.WHATSAPP_NUMBER && account.id().isEmpty()) {
				throw new IllegalArgumentException(property + ".whatsapp: a number without digits");
			}
		}
		return new GroupMember(member.custodian(), zone, accounts);
	}

	private static void add(List<PlatformAccount> accounts, AccountKind kind, List<String> ids) {
		for (String id : ids) {
			if (!id.isBlank()) {
				PlatformAccount account = PlatformAccount.of(kind, id);
				if (!accounts.contains(account)) {
					accounts.add(account);
				}
			}
		}
	}

}
