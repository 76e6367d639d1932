package io.chatvault.access;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.chatvault.message.SourcePlatform;

/**
 * A platform on which a custodian has accounts, with the one written form of an account
 * id on it, so that {@code +49 170 123-4567} in the HR feed and {@code +491701234567} in
 * a webhook find the same custodian.
 */
public enum AccountPlatform {

	/** WhatsApp (exports and the Cloud API): a phone number in E.164 form. */
	WHATSAPP("whatsapp", Pattern.compile("\\+[1-9][0-9]{6,14}"), "a phone number in E.164 form such as +491701234567"),

	/**
	 * Slack: a user id such as {@code U024BE7LH} (or {@code W...} on Enterprise Grid).
	 */
	SLACK("slack", Pattern.compile("[UW][A-Z0-9]{4,20}"), "a Slack user id such as U024BE7LH"),

	/** Microsoft Teams: the user's Entra ID object id, a GUID. */
	TEAMS("teams", Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
			"an Entra ID user object id (a GUID)");

	private final String key;

	private final Pattern form;

	private final String expected;

	AccountPlatform(String key, Pattern form, String expected) {
		this.key = key;
		this.form = form;
		this.expected = expected;
	}

	/** The name in CSV headers, on the command line and in the database. */
	public String key() {
		return this.key;
	}

	/**
	 * The platform of a key.
	 * @param key {@code whatsapp}, {@code slack} or {@code teams}
	 * @return the platform, if the key names one
	 */
	public static Optional<AccountPlatform> fromKey(String key) {
		for (AccountPlatform platform : values()) {
			if (platform.key.equalsIgnoreCase(key.trim())) {
				return Optional.of(platform);
			}
		}
		return Optional.empty();
	}

	/**
	 * The platform whose accounts author the records of a source.
	 * @param source the source of a record
	 * @return its account platform
	 */
	public static AccountPlatform of(SourcePlatform source) {
		return switch (source) {
			case WHATSAPP_EXPORT, WHATSAPP_CLOUD_API -> WHATSAPP;
			case SLACK_EXPORT -> SLACK;
			case TEAMS_GRAPH -> TEAMS;
		};
	}

	/**
	 * The canonical form of an account id.
	 * @param raw the id as written
	 * @return the canonical id
	 * @throws IllegalArgumentException saying what was expected
	 */
	public String normalize(String raw) {
		String id = raw.trim();
		id = switch (this) {
			case WHATSAPP -> {
				String digits = id.replaceAll("[\\s().-]", "");
				yield digits.startsWith("00") ? "+" + digits.substring(2) : digits;
			}
			case SLACK -> id.toUpperCase(Locale.ROOT);
			case TEAMS -> id.toLowerCase(Locale.ROOT);
		};
		if (!this.form.matcher(id).matches()) {
			throw new IllegalArgumentException(
					"'" + raw + "' is not a " + this.key + " account: expected " + this.expected);
		}
		return id;
	}

}
