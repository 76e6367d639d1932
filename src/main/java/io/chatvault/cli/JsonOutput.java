package io.chatvault.cli;

import java.io.PrintStream;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints {@code --json} output: one pretty-printed JSON document per command, so that
 * scripts and monitoring can parse stdout as a whole.
 */
public final class JsonOutput {

	// Immutable and thread-safe once built: shared rather than injected so that commands
	// stay cheap to create (the CLI creates every command bean to list them).
	private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private JsonOutput() {
	}

	public static void print(PrintStream out, Object value) {
		out.println(MAPPER.writeValueAsString(value));
	}

}
