package io.chatvault.jobs;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The audit actor of an operator command run without a token: {@code os:<user>@<host>}.
 */
final class OperatingSystemUser {

	private OperatingSystemUser() {
	}

	static String actor() {
		return "os:" + System.getProperty("user.name", "unknown") + "@" + host();
	}

	private static String host() {
		String host = System.getenv("HOSTNAME");
		if (host != null && !host.isBlank()) {
			return host;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
