package io.chatvault.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Runs {@code chatvault <command> [args]}: finds the {@link Command} bean by name, prints
 * help, parses the arguments, opens the database only for commands that need it, and
 * turns every failure into one line on stderr and an {@link ExitCode}.
 */
@Component
public class CommandDispatcher {

	private static final Log logger = LogFactory.getLog(CommandDispatcher.class);

	private final ObjectProvider<Command> commands;

	private final DatabaseReadiness database;

	CommandDispatcher(ObjectProvider<Command> commands, DatabaseReadiness database) {
		this.commands = commands;
		this.database = database;
	}

	/**
	 * Runs one command line.
	 * @param args everything after {@code chatvault}
	 * @param out the command's output (stdout)
	 * @param err where the one-line error goes (stderr)
	 * @return the exit code
	 */
	public ExitCode dispatch(List<String> args, PrintStream out, PrintStream err) {
		try {
			return run(args, out, err);
		}
		catch (RuntimeException ex) {
			Failure failure = Failure.of(ex);
			logger.debug("Command " + args + " failed: " + failure.message(), ex);
			err.println("chatvault: " + failure.message());
			return failure.exitCode();
		}
	}

	private ExitCode run(List<String> args, PrintStream out, PrintStream err) {
		if (args.isEmpty()) {
			err.print(overview());
			return ExitCode.USAGE;
		}
		String name = args.get(0);
		List<String> rest = args.subList(1, args.size());
		if (isHelp(name)) {
			if (rest.isEmpty()) {
				out.print(overview());
				return ExitCode.COMPLETED;
			}
			out.print(command(rest.get(0)).help());
			return ExitCode.COMPLETED;
		}
		Command command = command(name);
		if (rest.stream().anyMatch(CommandDispatcher::isHelp)) {
			out.print(withNewline(command.help()));
			return ExitCode.COMPLETED;
		}
		CommandLine line = CommandLine.parse(rest, command.valueOptions());
		if (command.needsDatabase()) {
			this.database.open();
		}
		return command.execute(line, out);
	}

	private Command command(String name) {
		Command command = byName().get(name);
		if (command == null) {
			throw new UsageException("unknown command '" + name + "' (chatvault --help lists the commands)");
		}
		return command;
	}

	private Map<String, Command> byName() {
		return this.commands.stream()
			.collect(Collectors.toMap(Command::name, Function.identity(), (a, b) -> a, TreeMap::new));
	}

	private String overview() {
		StringBuilder text = new StringBuilder();
		text.append("Usage: chatvault <command> [arguments]\n\n");
		text.append("ChatVault archives business chat for regulated companies. Commands:\n\n");
		Map<String, Command> all = byName();
		int width = all.keySet().stream().mapToInt(String::length).max().orElse(8);
		all.values()
			.forEach((command) -> text.append("  ")
				.append(String.format("%-" + width + "s", command.name()))
				.append("  ")
				.append(command.summary())
				.append('\n'));
		text.append("\nchatvault <command> --help shows the arguments of a command.\n");
		text.append("Exit codes: 0 completed, 1 internal error, 2 usage, 3 job failed, 4 job stopped, ")
			.append("5 already running, 6 infrastructure unavailable, 7 completed with quarantine, ")
			.append("8 not restartable, 9 completed with findings, 10 integrity failure, 11 access denied, ")
			.append("12 refused by policy.\n");
		return text.toString();
	}

	private static boolean isHelp(String arg) {
		return "--help".equals(arg) || "-h".equals(arg) || "help".equals(arg);
	}

	private static String withNewline(String text) {
		return text.endsWith("\n") ? text : text + "\n";
	}

}
