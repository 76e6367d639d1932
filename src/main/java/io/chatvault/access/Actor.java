package io.chatvault.access;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who changes the registry, a grant or a token, as the audit log names them: a principal
 * with the role it acted in, a job acting on its own ({@code job:hr-sync}), or an
 * operator at a shell without a token ({@code os:<user>@<host>}, only for the bootstrap
 * of the first admin).
 *
 * @param id the audit log's actor
 * @param role the role acted in, or an empty string
 */
public record Actor(String id, String role) {

	/**
	 * A job acting on its own.
	 * @param jobName the job
	 * @return the actor {@code job:<name>}
	 */
	public static Actor job(String jobName) {
		return new Actor("job:" + jobName, "");
	}

	/**
	 * The operating-system user of this process.
	 * @return the actor {@code os:<user>@<host>}
	 */
	public static Actor operatingSystemUser() {
		return new Actor("os:" + System.getProperty("user.name") + "@" + localHost(), "");
	}

	/**
	 * A principal acting in a role.
	 * @param access an authorized access
	 * @return the actor
	 */
	public static Actor of(Access access) {
		return new Actor(access.principalId(), access.role());
	}

	static String localHost() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
