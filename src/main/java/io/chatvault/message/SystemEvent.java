package io.chatvault.message;

import java.util.Objects;

/**
 * A system event: what happened, to whom, and the source's own wording.
 *
 * @param type the kind of event
 * @param subject the participant the event is about (who joined, who was added), or
 * {@code null}
 * @param detail the new value (new name, topic, number) or the source's wording
 */
public record SystemEvent(SystemEventType type, Participant subject, String detail) {

	public SystemEvent {
		Objects.requireNonNull(type, "type");
		detail = (detail != null) ? detail : "";
	}

}
