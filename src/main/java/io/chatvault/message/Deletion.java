package io.chatvault.message;

import java.time.Instant;

/**
 * The fact that a message was deleted.
 *
 * @param deletedAt when, or {@code null} if unknown
 * @param deletedBy who, or {@code null} if unknown
 * @param notice the placeholder the source shows ("This message was deleted"), or an
 * empty string
 */
public record Deletion(Instant deletedAt, Participant deletedBy, String notice) {

	public Deletion {
		notice = (notice != null) ? notice : "";
	}

}
