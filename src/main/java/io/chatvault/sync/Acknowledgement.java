package io.chatvault.sync;

import java.nio.file.Path;

/**
 * What a sync unit's commit records besides its records: the progress that, committed in
 * the same transaction as the records it covers, makes a crash at any point lose and
 * double nothing.
 */
sealed interface Acknowledgement {

	/**
	 * An inbox delivery drained.
	 *
	 * @param inboxId the delivery
	 */
	record Drained(long inboxId) implements Acknowledgement {
	}

	/**
	 * A poll's watermark advanced.
	 *
	 * @param source the polled source ({@code slack:C0123}, {@code teams-user:<id>}, ...)
	 * @param position the new watermark (a Slack ts, an instant, a delta link)
	 */
	record Watermark(String source, String position) implements Acknowledgement {
	}

	/**
	 * A dropped file's progress.
	 *
	 * @param sha256 the file's SHA-256
	 * @param groupFolder the group's drop folder
	 * @param file the file
	 * @param custodian its custodian
	 * @param format the format it was read as, or the reason it was not
	 * @param size its size
	 * @param recordsDone records of it committed so far, this unit's included
	 * @param done whether this unit ends it
	 */
	record DroppedFile(String sha256, Path groupFolder, Path file, String custodian, String format, long size,
			long recordsDone, boolean done) implements Acknowledgement {
	}

}
