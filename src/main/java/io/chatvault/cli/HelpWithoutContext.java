package io.chatvault.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.objenesis.ObjenesisStd;
import org.springframework.util.ClassUtils;

/**
 * Prints help ({@code --help}, {@code help <command>}, {@code <command> --help},
 * {@code --version}) without starting Spring: help needs only the commands' picocli
 * annotations. The command classes are found as component scanning finds them (their
 * {@code @Command} annotation, the active profiles' conditions), and instantiated without
 * calling their constructors, since nothing is injected into them or run. Any other
 * command line goes to the Spring context.
 */
final class HelpWithoutContext {

	private static final Set<String> HELP = Set.of("--help", "-h", "help");

	private static final Set<String> VERSION = Set.of("--version", "-V");

	private HelpWithoutContext() {
	}

	/**
	 * Prints the help if that is all the command line asks for.
	 * @param args the command line
	 * @param properties the properties the context would start with (profiles)
	 * @return the exit code, or empty when a Spring context is needed
	 */
	static Optional<Integer> print(List<String> args, Map<String, Object> properties, PrintStream out,
			PrintStream err) {
		if (!isHelp(args)) {
			return Optional.empty();
		}
		PrintWriter outWriter = new PrintWriter(out, true);
		PrintWriter errWriter = new PrintWriter(err, true);
		try {
			CommandLine root = CommandDispatcher.tree(commands(properties).stream(), CommandLine.defaultFactory(),
					outWriter, errWriter);
			String first = args.get(0);
			if (args.size() == 2 && !first.equals("help") && !root.getSubcommands().containsKey(first)) {
				// picocli would print the general help for "frob --help"
				errWriter.println("chatvault: unknown command '" + first + "' (chatvault --help lists the commands)");
				return Optional.of(ExitCode.USAGE.code());
			}
			ParseResult parsed = root.parseArgs(args.toArray(String[]::new));
			return Optional.ofNullable(CommandLine.executeHelpRequest(parsed))
				.or(() -> Optional.of(new CommandLine.RunLast().execute(parsed)));
		}
		catch (ParameterException ex) {
			// help for an unknown command: the full path says so with its usual words
			return Optional.empty();
		}
		catch (RuntimeException ex) {
			// A command that cannot be described without its context: let the context do
			// it.
			return Optional.empty();
		}
		finally {
			outWriter.flush();
			errWriter.flush();
		}
	}

	private static boolean isHelp(List<String> args) {
		if (args.size() == 1) {
			return HELP.contains(args.get(0)) || VERSION.contains(args.get(0));
		}
		if (args.size() == 2) {
			return args.get(0).equals("help") || (HELP.contains(args.get(1)) && !args.get(0).startsWith("-"));
		}
		return false;
	}

	private static List<Object> commands(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addLast(new MapPropertySource("chatvault-cli", properties));
		// The components, as the context would find them; of those, the commands (nested
		// @Command classes are subcommands, created by picocli through their parent).
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(true,
				environment);
		ObjenesisStd objenesis = new ObjenesisStd(false);
		ClassLoader loader = HelpWithoutContext.class.getClassLoader();
		return scanner.findCandidateComponents("io.chatvault")
			.stream()
			.filter((definition) -> definition instanceof AnnotatedBeanDefinition annotated
					&& annotated.getMetadata().hasAnnotation(CommandBeans.COMMAND_ANNOTATION))
			.map(BeanDefinition::getBeanClassName)
			.map((name) -> ClassUtils.resolveClassName(name, loader))
			.filter(CliCommand.class::isAssignableFrom)
			.map((type) -> (Object) objenesis.newInstance(type))
			.toList();
	}

}
