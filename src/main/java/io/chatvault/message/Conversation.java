package io.chatvault.message;

import java.util.List;
import java.util.Objects;

/**
 * A conversation: the unit that holds messages, and the erasure scope of their data keys.
 *
 * @param id stable across exports of the same chat (a later export of the same chat must
 * yield the same id), unique within its source platform
 * @param type the conversation's shape
 * @param name its display name, or an empty string
 * @param participants the participants the source names; may be empty where the source
 * lists none
 */
public record Conversation(String id, ConversationType type, String name, List<Participant> participants) {

	public Conversation {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(type, "type");
		name = (name != null) ? name : "";
		participants = (participants != null) ? List.copyOf(participants) : List.of();
	}

}
