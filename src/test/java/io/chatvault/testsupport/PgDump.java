package io.chatvault.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code pg_dump} of a test database into a directory and returns the dump's text:
 * what an attacker with a copy of the database, or a backup, would read.
 */
public final class PgDump {

	private PgDump() {
	}

	/**
	 * Dumps a database.
	 * @param database the database
	 * @param directory where the dump and its log go
	 * @return the dump (plain SQL; bytea as hex)
	 * @throws IOException if pg_dump cannot run or fails
	 * @throws InterruptedException if interrupted
	 */
	public static String of(TestDatabase.Coordinates database, Path directory)
			throws IOException, InterruptedException {
		URI uri = URI.create(database.jdbcUrl().substring("jdbc:".length()));
		String name = uri.getPath().substring(1);
		Path out = directory.resolve("dump.sql");
		Path log = directory.resolve("pg_dump.log");
		ProcessBuilder builder = new ProcessBuilder("pg_dump", "--host", uri.getHost(), "--port",
				Integer.toString((uri.getPort() > 0) ? uri.getPort() : 5432), "--username", database.user(),
				"--no-password", "--file", out.toString(), name)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().put("PGPASSWORD", database.password());
		Process process = builder.start();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IOException("pg_dump did not end within 120 s");
		}
		if (process.exitValue() != 0) {
			throw new IOException("pg_dump failed: " + Files.readString(log));
		}
		return Files.readString(out, StandardCharsets.UTF_8);
	}

}
