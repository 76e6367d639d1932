package io.chatvault.capture;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chatvault.custodian.AccountKind;
import io.chatvault.custodian.PlatformAccount;
import tools.jackson.databind.JsonNode;

/**
 * The account keys a delivery's body names, as the sync job matches them against its
 * groups' accounts (docs/sync.md, "matched in the inbox by"): WhatsApp the
 * {@code phone_number_id} and the {@code display_phone_number} (digits) of each change,
 * Slack the event's {@code user} and {@code channel}, Graph the chat or channel of each
 * notification's resource. Read leniently: a body that is not what the platform documents
 * names fewer keys, never fails.
 */
final class RoutingKeys {

	private static final Pattern CHAT = Pattern.compile("chats(?:\\('([^']+)'\\)|/([^/]+))");

	private static final Pattern CHANNEL = Pattern
		.compile("teams(?:\\('([^']+)'\\)|/([^/]+))/channels(?:\\('([^']+)'\\)|/([^/]+))");

	private RoutingKeys() {
	}

	static List<String> whatsapp(JsonNode body) {
		Set<String> keys = new LinkedHashSet<>();
		for (JsonNode entry : body.path("entry")) {
			for (JsonNode change : entry.path("changes")) {
				JsonNode metadata = change.path("value").path("metadata");
				addNumber(keys, metadata.path("phone_number_id"));
				addNumber(keys, metadata.path("display_phone_number"));
			}
		}
		return List.copyOf(keys);
	}

	static List<String> slack(JsonNode body) {
		Set<String> keys = new LinkedHashSet<>();
		JsonNode event = body.path("event");
		addText(keys, AccountKind.SLACK_CHANNEL, event.path("channel"));
		addText(keys, AccountKind.SLACK_CHANNEL, event.path("item").path("channel"));
		addText(keys, AccountKind.SLACK_USER, event.path("user"));
		addText(keys, AccountKind.SLACK_USER, event.path("message").path("user"));
		addText(keys, AccountKind.SLACK_USER, event.path("previous_message").path("user"));
		return List.copyOf(keys);
	}

	static List<String> teams(JsonNode body, JsonNode resources) {
		Set<String> keys = new LinkedHashSet<>();
		int i = 0;
		for (JsonNode notification : body.path("value")) {
			String resource = notification.path("resource").asString("");
			Matcher channel = CHANNEL.matcher(resource);
			if (channel.find()) {
				String team = (channel.group(1) != null) ? channel.group(1) : channel.group(2);
				String id = (channel.group(3) != null) ? channel.group(3) : channel.group(4);
				keys.add(PlatformAccount.of(AccountKind.TEAMS_CHANNEL, team + "/" + id).key());
			}
			else {
				Matcher chat = CHAT.matcher(resource);
				if (chat.find()) {
					String id = (chat.group(1) != null) ? chat.group(1) : chat.group(2);
					keys.add(PlatformAccount.of(AccountKind.TEAMS_CHAT, id).key());
				}
			}
			JsonNode data = (resources != null) ? resources.path(i) : null;
			if (data != null && data.isObject()) {
				addText(keys, AccountKind.TEAMS_CHAT, data.path("chatId"));
				JsonNode identity = data.path("channelIdentity");
				if (identity.path("teamId").isString() && identity.path("channelId").isString()) {
					keys.add(
							PlatformAccount
								.of(AccountKind.TEAMS_CHANNEL,
										identity.path("teamId").asString() + "/"
												+ identity.path("channelId").asString())
								.key());
				}
			}
			i++;
		}
		return List.copyOf(keys);
	}

	// A group's WhatsApp account is the business number as displayed (+1 555-078-3881)
	// or its Cloud API phone_number_id: a delivery names both.
	private static void addNumber(Set<String> keys, JsonNode node) {
		String number = node.isValueNode() ? node.asString("") : "";
		if (!PlatformAccount.digits(number).isEmpty()) {
			keys.add(PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, number).key());
		}
	}

	private static void addText(Set<String> keys, AccountKind kind, JsonNode node) {
		if (node.isString() && !node.asString().isBlank()) {
			keys.add(PlatformAccount.of(kind, node.asString()).key());
		}
	}

}
