package io.chatvault.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Actor names for the audit log when no principal is authenticated: the operating-system
 * user and host that ran a command, {@code os:<user>@<host>}, and a job acting on its
 * own, {@code job:<name>}.
 */
public final class AuditActors {

	private AuditActors() {
	}

	/**
	 * The operator running this process.
	 * @return {@code os:<user>@<host>}
	 */
	public static String operator() {
		return "os:" + System.getProperty("user.name", "unknown") + "@" + host();
	}

	/**
	 * A job acting on its own.
	 * @param jobName the job
	 * @return {@code job:<name>}
	 */
	public static String job(String jobName) {
		return "job:" + jobName;
	}

	private static String host() {
		String fromEnvironment = System.getenv("HOSTNAME");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return fromEnvironment;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown-host";
		}
	}

}
