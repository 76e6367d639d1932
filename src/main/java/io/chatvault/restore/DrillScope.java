package io.chatvault.restore;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a restore drill restores of each custodian drawn.
 */
enum DrillScope {

	/** Their whole history: every record, media, every export file. */
	FULL("full"),

	/**
	 * The lost-phone rehearsal: the 30 days up to their latest record (records and media;
	 * no export file, since each holds every time).
	 */
	LAST_30_DAYS("last-30-days");

	private final String key;

	DrillScope(String key) {
		this.key = key;
	}

	String key() {
		return this.key;
	}

	static Optional<DrillScope> of(String key) {
		return Arrays.stream(values()).filter((scope) -> scope.key.equals(key)).findFirst();
	}

}
