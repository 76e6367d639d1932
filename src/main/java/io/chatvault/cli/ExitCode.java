package io.chatvault.cli;

/**
 * The process exit codes: how a scheduler tells how a run ended. Documented in the
 * README; never renumber one.
 */
public enum ExitCode {

	/** The job completed, or the command did what it was asked. */
	COMPLETED(0),

	/** An unexpected internal error (a bug): the message says where to look. */
	INTERNAL_ERROR(1),

	/**
	 * Invalid usage or parameters: an unknown command or job, a bad value. Do not retry.
	 */
	USAGE(2),

	/** The job ran and failed. Restart it once the cause is fixed. */
	JOB_FAILED(3),

	/** The job was stopped (SIGTERM, {@code chatvault stop}). Restart it to resume. */
	JOB_STOPPED(4),

	/** The same job with the same parameters is already running. Do not retry. */
	ALREADY_RUNNING(5),

	/** The database, the object store or the keystore is unavailable. Retry later. */
	INFRASTRUCTURE_UNAVAILABLE(6),

	/** The job completed, but some input records were quarantined. */
	COMPLETED_WITH_QUARANTINE(7),

	/** The execution cannot be restarted or recovered in its present state. */
	NOT_RESTARTABLE(8);

	private final int code;

	ExitCode(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

}
