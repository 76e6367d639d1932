package io.chatvault.crypto;

import java.util.Objects;

/**
 * An erasure scope: what one data key covers, so what destroying it erases. The name is
 * unique among live keys; the custodian, source and conversation are kept on the key's
 * row so that an erasure can find every key of a custodian or of a conversation.
 *
 * @param name the unique name ("conversation:SLACK_EXPORT:C024BE91L:alice@example.com",
 * "media:&lt;sha256&gt;")
 * @param custodian the custodian whose data it covers, or {@code null} (media, shared
 * across custodians)
 * @param source the source platform of a conversation scope, or {@code null}
 * @param conversationId the conversation of a conversation scope, or {@code null}
 */
public record KeyScope(String name, String custodian, String source, String conversationId) {

	public KeyScope {
		Objects.requireNonNull(name, "name");
	}

	/**
	 * A scope known by its name only.
	 * @param name the name
	 * @return the scope
	 */
	public static KeyScope named(String name) {
		return new KeyScope(name, null, null, null);
	}

}
