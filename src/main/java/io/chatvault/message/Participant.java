package io.chatvault.message;

import java.util.Objects;

/**
 * A person or application taking part in a conversation.
 *
 * @param id the most stable identifier the source offers (Slack user id, Entra object id,
 * phone number); for WhatsApp text exports, which carry only names, the display name
 * @param displayName the name as shown in the source
 */
public record Participant(String id, String displayName) {

	public Participant {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(displayName, "displayName");
	}

	public static Participant named(String displayName) {
		return new Participant(displayName, displayName);
	}

}
