package io.chatvault.database;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A second process using the embedded server: starts or joins it, prints {@code ready
 * <port>}, and leaves when a line arrives on standard input.
 */
public final class EmbeddedPostgresUser {

	private EmbeddedPostgresUser() {
	}

	public static void main(String[] args) throws Exception {
		try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0,
				Duration.ofSeconds(60))) {
			System.out.println("ready " + server.port());
			System.out.flush();
			new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
		}
	}

}
