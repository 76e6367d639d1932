package io.chatvault.cli;

import java.io.PrintStream;

/**
 * One operator command, {@code chatvault <name> ...}: a Spring bean in the package of its
 * feature, annotated with picocli's {@code @Command} (name, description, footer) and with
 * {@code @Option} / {@code @Parameters} on its fields. The {@link CommandDispatcher}
 * finds every such bean, lets picocli parse the arguments into a fresh instance (command
 * beans are prototypes, see {@link CommandBeans}), opens the database if the command
 * {@link #needsDatabase() needs it}, and calls {@link #execute}.
 * <p>
 * A command is created for every invocation of the CLI, to list it in the help: its
 * constructor arguments are injected as lazy-resolution proxies
 * ({@link LazyCommandDependencies}), so it must not call them in its constructor, and
 * creating it never starts PostgreSQL. Errors: throw {@link UsageException} or
 * {@link CommandException} for one readable line on stderr; anything else is reported as
 * an internal error. Output goes to {@code out}; errors and logs go to stderr.
 * <p>
 * How to add one: see docs/cli.md.
 */
public interface CliCommand {

	/**
	 * Whether this invocation needs the database (and so the embedded PostgreSQL when no
	 * server is configured). Called after the options are parsed, so it may depend on
	 * them ({@code jobs --catalog} does not). Commands that only read files
	 * ({@code inspect}) or check the database themselves ({@code doctor}) return false.
	 * @return true to open the database and apply migrations before {@link #execute}
	 */
	default boolean needsDatabase() {
		return true;
	}

	/**
	 * Runs the command with the options picocli has set on this instance.
	 * @param out where to print the result (human text, or JSON with {@code --json})
	 * @return the exit code
	 * @throws UsageException for invalid arguments: one readable line, exit code 2
	 * @throws CommandException for any other refusal the operator can act on
	 */
	ExitCode execute(PrintStream out);

	/**
	 * Runs the command, with stderr for the one line that reports a failure the command
	 * ends with while its result still goes to {@code out} (a job run that failed prints
	 * its reconciliation and says why it failed). By default
	 * {@link #execute(PrintStream)}.
	 * @param out where to print the result
	 * @param err where the one line of a failure goes
	 * @return the exit code
	 */
	default ExitCode execute(PrintStream out, PrintStream err) {
		return execute(out);
	}

}
