package io.chatvault.cli;

/**
 * One check of {@code chatvault doctor}. Each feature that depends on something outside
 * the process (database, object store, keystore, configuration) contributes a bean.
 */
public interface DoctorCheck {

	/** What is checked, in a few words ("database", "primary object store"). */
	String name();

	/**
	 * Runs the check; never throws.
	 * @return the finding
	 */
	Finding check();

	/**
	 * The outcome of a check.
	 *
	 * @param ok whether all is well
	 * @param detail what was found, in plain words
	 * @param fix how to fix it, or an empty string when ok
	 */
	record Finding(boolean ok, String detail, String fix) {

		public static Finding ok(String detail) {
			return new Finding(true, detail, "");
		}

		public static Finding problem(String detail, String fix) {
			return new Finding(false, detail, fix);
		}

	}

}
