package io.chatvault.sync;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The identifying parameters of a sync run: the group and the window end. Two starts in
 * the same window have the same parameters, so they are the same job instance.
 *
 * @param group the custodian group
 * @param windowEnd the end of the window (a cadence boundary), exclusive of nothing:
 * everything captured or sent at or before it is taken
 */
record SyncParameters(String group, Instant windowEnd) {

	static final String GROUP = "group";

	static final String WINDOW_END = "window-end";

	static SyncParameters of(JobParameters parameters) {
		return new SyncParameters(parameters.getString(GROUP), parseWindowEnd(parameters.getString(WINDOW_END)));
	}

	static Instant parseWindowEnd(String text) {
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException | NullPointerException ex) {
			throw new IllegalArgumentException(
					WINDOW_END + " must be an ISO-8601 instant such as 2025-03-01T09:15:00Z, not '" + text + "'");
		}
	}

}
