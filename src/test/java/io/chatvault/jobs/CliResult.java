package io.chatvault.jobs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;

/**
 * What one command printed and returned, run in-process through the dispatcher.
 *
 * @param exitCode the exit code
 * @param out stdout
 * @param err stderr
 */
record CliResult(ExitCode exitCode, String out, String err) {

	static CliResult run(CommandDispatcher dispatcher, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		ExitCode code;
		try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
				PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
			code = dispatcher.dispatch(List.of(args), outStream, errStream);
		}
		return new CliResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

}
