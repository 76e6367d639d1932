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
	NOT_RESTARTABLE(8),

	/**
	 * The job completed and reported findings that need a person: integrity incidents
	 * that were repaired, permission-audit findings, sync alerts. The run's summary says
	 * what they are.
	 */
	COMPLETED_WITH_FINDINGS(9),

	/**
	 * Evidence could not be proven intact or complete: objects damaged in both copies, a
	 * restore drill that came back short, a broken audit chain, a regulator drill below
	 * its recall. The message names what is missing. Do not retry: investigate.
	 */
	INTEGRITY_FAILURE(10),

	/**
	 * No valid access token, or its principal has no grant for what was asked. The
	 * refusal is in the audit log.
	 */
	ACCESS_DENIED(11),

	/**
	 * Refused by policy: a legal hold or a retention period the law imposes forbids it.
	 * The message names the hold or policy.
	 */
	REFUSED_BY_POLICY(12);

	private final int code;

	ExitCode(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

	/**
	 * The constant of a process exit code.
	 * @param code a process exit code
	 * @return its constant; {@link #INTERNAL_ERROR} for a code that is not one of these
	 */
	public static ExitCode of(int code) {
		for (ExitCode candidate : values()) {
			if (candidate.code == code) {
				return candidate;
			}
		}
		return INTERNAL_ERROR;
	}

	/**
	 * The exit code a job asks for through its {@code ExitStatus} exit code, when that is
	 * the name of one of these constants ({@code COMPLETED_WITH_FINDINGS}, ...).
	 * @param exitStatusCode the exit status code of an execution
	 * @return the matching exit code, if any
	 */
	public static java.util.Optional<ExitCode> named(String exitStatusCode) {
		for (ExitCode candidate : values()) {
			if (candidate.name().equals(exitStatusCode)) {
				return java.util.Optional.of(candidate);
			}
		}
		return java.util.Optional.empty();
	}

}
