package io.chatvault.sync;

/**
 * A finding of a window that someone should look at; any alert makes the run end
 * {@code COMPLETED_WITH_FINDINGS} (exit 9).
 *
 * @param kind {@value #BURST}, {@value #VOLUME} or {@value #SILENT_ACCOUNT}
 * @param account the account concerned, or null for the group
 * @param detail one line for people
 */
record Alert(String kind, String account, String detail) {

	/**
	 * A sustained rate above the burst rule (the seed's: 200 messages/s for 5 minutes).
	 */
	static final String BURST = "burst";

	/** A window far above the group's normal volume. */
	static final String VOLUME = "volume";

	/** A usually busy account silent for several windows: capture may be broken. */
	static final String SILENT_ACCOUNT = "silent_account";

	@Override
	public String toString() {
		return this.kind + ((this.account != null) ? " " + this.account : "") + ": " + this.detail;
	}

}
