package io.chatvault.cli;

import java.io.PrintStream;
import java.util.Set;

/**
 * One operator command ({@code chatvault <name> ...}). Implementations are Spring beans
 * in the package of their feature; the CLI finds them by name.
 * <p>
 * The CLI creates every command bean to list or find them, in a lazy context: the
 * constructor arguments of a command (interfaces and non-final classes) are injected as
 * lazy-resolution proxies, resolved on first use in {@link #execute}. So a command must
 * not call its collaborators in its constructor, and creating it never starts PostgreSQL;
 * the database is opened before {@link #execute} only if {@link #needsDatabase()}.
 * Errors: throw {@link UsageException} or {@link CommandException}; anything else is
 * reported as an internal error.
 */
public interface Command {

	/** The name typed after {@code chatvault}. */
	String name();

	/** One line for the command list. */
	String summary();

	/** The full {@code --help} text: usage line, arguments, options, examples. */
	String help();

	/**
	 * Options that take a value ({@code --job NAME}); all other {@code --x} are flags.
	 */
	default Set<String> valueOptions() {
		return Set.of();
	}

	/**
	 * Whether the command needs the database (and so the embedded PostgreSQL, when no
	 * server is configured). Commands that only read files ({@code inspect}) do not.
	 */
	default boolean needsDatabase() {
		return true;
	}

	/**
	 * Runs the command.
	 * @param line the parsed arguments after the command name
	 * @param out where to print (human text, or JSON with {@code --json})
	 * @return the exit code
	 * @throws UsageException for invalid arguments: one readable line, exit code 2
	 */
	ExitCode execute(CommandLine line, PrintStream out);

}
