package io.chatvault.source;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.chatvault.ChatVaultApplication;
import io.chatvault.cli.ChatVaultCli;

/**
 * Runs {@code chatvault inspect} through the real CLI and Spring context, with a database
 * URL that nothing listens on: proof that inspect needs no database.
 *
 * @param code the exit code
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
record InspectThroughCli(int code, String out, String err) {

	static InspectThroughCli run(String... arguments) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		ChatVaultCli cli = new ChatVaultCli(ChatVaultApplication.class,
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
				Map.of("chatvault.db.url", "jdbc:postgresql://127.0.0.1:1/unreachable"));
		String[] all = new String[arguments.length + 1];
		all[0] = "inspect";
		System.arraycopy(arguments, 0, all, 1, arguments.length);
		int code = cli.execute(all);
		return new InspectThroughCli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

}
