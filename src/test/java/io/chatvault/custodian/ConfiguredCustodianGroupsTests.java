package io.chatvault.custodian;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ConfiguredCustodianGroupsTests {

	@Test
	void groupsHaveTheirCadenceAndNormalizedAccounts() {
		// given
		CustodianGroupsProperties properties = new CustodianGroupsProperties(
				Map.of("trading",
						new CustodianGroupsProperties.Group(Duration.ofMinutes(15),
								List.of(member("alice", List.of("+44 7700 900123"), List.of("U012AB3CD"))))),
				Duration.ofSeconds(30));

		// when
		CustodianGroup group = new ConfiguredCustodianGroups(properties).group("trading").orElseThrow();

		// then
		assertThat(group.cadence()).isEqualTo(Duration.ofMinutes(15));
		assertThat(group.accounts()).containsExactly(new PlatformAccount(AccountKind.WHATSAPP_NUMBER, "447700900123"),
				new PlatformAccount(AccountKind.SLACK_USER, "U012AB3CD"));
		assertThat(group.holder(PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, "447700900123")))
			.map(GroupMember::custodian)
			.contains("alice");
	}

	@Test
	void windowEndsAreTheCadenceBoundariesAtOrBeforeNow() {
		// given
		CustodianGroup desk = new CustodianGroup("desk", Duration.ofMinutes(15), List.of());
		CustodianGroup support = new CustodianGroup("support", Duration.ofHours(6), List.of());

		// when / then
		assertThat(desk.windowEndAtOrBefore(Instant.parse("2024-03-12T09:29:59.999Z")))
			.isEqualTo(Instant.parse("2024-03-12T09:15:00Z"));
		assertThat(desk.windowEndAtOrBefore(Instant.parse("2024-03-12T09:30:00Z")))
			.isEqualTo(Instant.parse("2024-03-12T09:30:00Z"));
		assertThat(support.windowEndAtOrBefore(Instant.parse("2024-03-12T17:59:00Z")))
			.isEqualTo(Instant.parse("2024-03-12T12:00:00Z"));
		assertThat(support.isBoundary(Instant.parse("2024-03-12T18:00:00Z"))).isTrue();
		assertThat(support.isBoundary(Instant.parse("2024-03-12T18:15:00Z"))).isFalse();
	}

	@Test
	void anAccountOfTwoCustodiansOrAnUnknownZoneIsRefusedNamingTheProperty() {
		// given
		CustodianGroupsProperties shared = new CustodianGroupsProperties(
				Map.of("desk",
						new CustodianGroupsProperties.Group(Duration.ofMinutes(15),
								List.of(member("alice", List.of("447700900123"), List.of()),
										member("bob", List.of("+44 7700 900123"), List.of())))),
				Duration.ofSeconds(30));
		CustodianGroupsProperties zone = new CustodianGroupsProperties(
				Map.of("desk",
						new CustodianGroupsProperties.Group(Duration.ofMinutes(15),
								List.of(new CustodianGroupsProperties.Member("alice", "Mars/Olympus", List.of(),
										List.of(), List.of(), List.of(), List.of(), List.of())))),
				Duration.ofSeconds(30));

		// when / then
		assertThatIllegalArgumentException().isThrownBy(() -> new ConfiguredCustodianGroups(shared))
			.withMessage("chatvault.groups.desk: account whatsapp-number:447700900123 is listed for two custodians; "
					+ "give it to one");
		assertThatIllegalArgumentException().isThrownBy(() -> new ConfiguredCustodianGroups(zone))
			.withMessage("chatvault.groups.desk.members[0].zone: unknown zone 'Mars/Olympus'");
	}

	private static CustodianGroupsProperties.Member member(String custodian, List<String> whatsapp,
			List<String> slackUsers) {
		return new CustodianGroupsProperties.Member(custodian, "UTC", whatsapp, slackUsers, List.of(), List.of(),
				List.of(), List.of());
	}

}
