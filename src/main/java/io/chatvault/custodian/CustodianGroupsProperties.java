package io.chatvault.custodian;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.annotation.Validated;

/**
 * Custodian groups in configuration ({@code chatvault.groups.<name>.*}), until the
 * custodian registry holds them:
 *
 * <pre>
 * chatvault.groups.trading.cadence=15m
 * chatvault.groups.trading.members[0].custodian=alice
 * chatvault.groups.trading.members[0].zone=Europe/London
 * chatvault.groups.trading.members[0].whatsapp=+44 7700 900123
 * chatvault.groups.trading.members[0].slack-users=U012AB3CD
 * chatvault.groups.trading.members[0].teams-users=8b081ef6-4792-4def-b2c9-c363a1bf41d5
 * </pre>
 *
 * @param groups the groups by name
 * @param groupsRefresh how long the custodian registry's groups are kept before it is
 * read again ({@code chatvault.groups-refresh})
 */
@Validated
@ConfigurationProperties("chatvault")
public record CustodianGroupsProperties(@DefaultValue Map<String, @Valid Group> groups,
		@DefaultValue("30s") Duration groupsRefresh) {

	/**
	 * One group.
	 *
	 * @param cadence how often it is synced: {@code 15m}, {@code 6h}, any duration
	 * @param members its custodians
	 */
	public record Group(@NotNull @DurationUnit(java.time.temporal.ChronoUnit.MINUTES) Duration cadence,
			@DefaultValue List<@Valid Member> members) {
	}

	/**
	 * One custodian of a group and their accounts; each list is comma-separated in a
	 * properties file.
	 *
	 * @param custodian the custodian id
	 * @param zone the zone their WhatsApp exports are read in
	 * @param whatsapp WhatsApp Business numbers or phone number ids
	 * @param slackUsers Slack user ids
	 * @param slackChannels Slack conversation ids
	 * @param teamsUsers Entra user ids
	 * @param teamsChats Teams chat ids
	 * @param teamsChannels Teams channels as {@code <team id>/<channel id>}
	 */
	public record Member(@NotBlank @Pattern(regexp = "[^/\\\\]+", message = "must not hold a slash") String custodian,
			@DefaultValue("UTC") String zone, @DefaultValue List<String> whatsapp,
			@DefaultValue List<String> slackUsers, @DefaultValue List<String> slackChannels,
			@DefaultValue List<String> teamsUsers, @DefaultValue List<String> teamsChats,
			@DefaultValue List<String> teamsChannels) {
	}

}
