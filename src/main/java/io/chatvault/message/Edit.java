package io.chatvault.message;

import java.time.Instant;

/**
 * One known earlier state of a message.
 *
 * @param editedAt when the edit happened, or {@code null} if the source does not say
 * @param previousBody the text before the edit, or {@code null} if the source only says
 * that the message was edited
 * @param editedBy who edited it, or {@code null} if unknown
 */
public record Edit(Instant editedAt, String previousBody, Participant editedBy) {
}
