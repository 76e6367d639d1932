package io.chatvault.message;

import java.time.Instant;
import java.util.Objects;

/**
 * A reaction on a message.
 *
 * @param emoji the emoji or the source's reaction name ("thumbsup", "like")
 * @param by who reacted
 * @param at when, or {@code null} if the source does not say
 */
public record Reaction(String emoji, Participant by, Instant at) {

	public Reaction {
		Objects.requireNonNull(emoji, "emoji");
		Objects.requireNonNull(by, "by");
	}

}
