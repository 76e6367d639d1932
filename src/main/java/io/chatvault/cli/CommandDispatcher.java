package io.chatvault.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.stereotype.Component;

/**
 * Runs {@code chatvault <command> [args]} with picocli: builds the command tree from
 * every {@link CliCommand} bean, prints help (general, per command, {@code help
 * <command>}), parses the arguments into a fresh command instance, opens the database
 * only for commands that need it, and turns every failure into one line on stderr and an
 * {@link ExitCode}.
 */
@Component
public class CommandDispatcher {

	private static final Log logger = LogFactory.getLog(CommandDispatcher.class);

	private final ObjectProvider<CliCommand> commands;

	private final DatabaseReadiness database;

	private final CommandLine.IFactory factory;

	CommandDispatcher(ObjectProvider<CliCommand> commands, DatabaseReadiness database,
			ConfigurableListableBeanFactory beanFactory) {
		this.commands = commands;
		this.database = database;
		this.factory = new SpringCommandFactory(beanFactory);
	}

	/**
	 * Runs one command line.
	 * @param args everything after {@code chatvault}
	 * @param out the command's output (stdout)
	 * @param err where the one-line error goes (stderr)
	 * @return the exit code
	 */
	public ExitCode dispatch(List<String> args, PrintStream out, PrintStream err) {
		PrintWriter outWriter = writer(out);
		PrintWriter errWriter = writer(err);
		try {
			CommandLine root = commandLine(outWriter, errWriter);
			ParseResult parsed;
			try {
				parsed = root.parseArgs(args.toArray(String[]::new));
			}
			catch (ParameterException ex) {
				errWriter.println("chatvault: " + readable(ex));
				return ExitCode.USAGE;
			}
			return ExitCode.of(execute(parsed, out, err));
		}
		catch (RuntimeException ex) {
			Failure failure = Failure.of(ex);
			logger.debug("Command " + args + " failed: " + failure.message(), ex);
			errWriter.println("chatvault: " + failure.message());
			return failure.exitCode();
		}
		finally {
			outWriter.flush();
			errWriter.flush();
		}
	}

	/**
	 * Parses arguments into a command made outside a Spring context (a unit test's) and
	 * runs it; no database is opened, and exceptions propagate.
	 * @param command the command
	 * @param out where it prints
	 * @param args the arguments after the command name
	 * @return its exit code
	 * @throws UsageException for arguments picocli rejects, with the line the CLI prints
	 */
	public static ExitCode execute(CliCommand command, PrintStream out, String... args) {
		CommandLine line = configure(new CommandLine(command));
		try {
			line.parseArgs(args);
		}
		catch (ParameterException ex) {
			throw new UsageException(readable(ex));
		}
		return command.execute(out, System.err);
	}

	private CommandLine commandLine(PrintWriter outWriter, PrintWriter errWriter) {
		return tree(this.commands.stream(), this.factory, outWriter, errWriter);
	}

	/**
	 * The command tree: {@code chatvault} with every command, {@code help} and
	 * {@code generate-completion}, sorted by name, each with {@code --help}.
	 */
	static CommandLine tree(java.util.stream.Stream<?> commands, CommandLine.IFactory factory, PrintWriter out,
			PrintWriter err) {
		CommandLine root = new CommandLine(new RootCommand(), factory);
		commands.map((command) -> new CommandLine(command, factory))
			.sorted(Comparator.comparing(CommandLine::getCommandName))
			.forEach((command) -> root.addSubcommand(withHelpOption(command)));
		root.addSubcommand(withHelpOption(new CommandLine(new CommandLine.HelpCommand(), factory)));
		CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion(), factory);
		completion.getCommandSpec().usageMessage().hidden(false);
		root.addSubcommand(withHelpOption(completion));
		configure(root);
		root.setOut(out);
		root.setErr(err);
		return root;
	}

	private int execute(ParseResult parseResult, PrintStream out, PrintStream err) {
		Integer help = CommandLine.executeHelpRequest(parseResult);
		if (help != null) {
			return help;
		}
		ParseResult last = parseResult;
		while (last.hasSubcommand()) {
			last = last.subcommand();
		}
		if (last.commandSpec().userObject() instanceof CliCommand command) {
			if (command.needsDatabase()) {
				this.database.open();
			}
			return command.execute(out, err).code();
		}
		// The root (no command given), help, generate-completion. Their failures are
		// bugs,
		// reported by dispatch as one line like any other.
		return new CommandLine.RunLast().execute(parseResult);
	}

	private static CommandLine configure(CommandLine line) {
		// A file named @something is a file, not a list of arguments.
		line.setExpandAtFiles(false);
		line.setUsageHelpWidth(100);
		return line;
	}

	private static CommandLine withHelpOption(CommandLine command) {
		CommandSpec spec = command.getCommandSpec();
		if (spec.findOption("--help") == null) {
			spec.addOption(
					OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help and exit.").build());
		}
		spec.usageMessage()
			.descriptionHeading("%n")
			.parameterListHeading("%nArguments:%n")
			.optionListHeading("%nOptions:%n");
		return command;
	}

	/** One line for an argument picocli refused, with where to find help. */
	static String readable(ParameterException ex) {
		CommandSpec spec = ex.getCommandLine().getCommandSpec();
		String help = spec.qualifiedName() + " --help";
		if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
			String argument = unmatched.getUnmatched().get(0);
			if (argument.startsWith("-")) {
				int eq = argument.indexOf('=');
				return "unknown option " + ((eq > 0) ? argument.substring(0, eq) : argument) + " (" + help + ")";
			}
			if (spec.parent() == null) {
				return "unknown command '" + argument + "' (chatvault --help lists the commands)";
			}
			return "unexpected argument '" + argument + "' (" + help + ")";
		}
		String message = Failure.firstLine(ex.getMessage());
		if (!message.isEmpty()) {
			message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
		}
		return message + " (" + help + ")";
	}

	private static PrintWriter writer(PrintStream stream) {
		return new PrintWriter(stream, true);
	}

}
