package io.chatvault.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of one command: positionals, {@code key=value} parameters,
 * {@code --option
 * value} options and {@code --flag} flags, in the order given.
 *
 * @param positionals plain arguments
 * @param parameters {@code key=value} arguments (job parameters)
 * @param options {@code --name value} or {@code --name=value}
 * @param flags {@code --name} without a value
 */
public record CommandLine(List<String> positionals, Map<String, String> parameters, Map<String, String> options,
		Set<String> flags) {

	public CommandLine {
		positionals = List.copyOf(positionals);
		parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
		options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
		flags = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(flags));
	}

	/**
	 * Parses arguments.
	 * @param args the arguments after the command name
	 * @param valueOptions names (without {@code --}) of options that take a value
	 * @return the parsed line
	 * @throws UsageException if a value option has no value
	 */
	public static CommandLine parse(List<String> args, Set<String> valueOptions) {
		List<String> positionals = new ArrayList<>();
		Map<String, String> parameters = new LinkedHashMap<>();
		Map<String, String> options = new LinkedHashMap<>();
		Set<String> flags = new LinkedHashSet<>();
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (arg.startsWith("--") && arg.length() > 2) {
				String name = arg.substring(2);
				int eq = name.indexOf('=');
				if (eq >= 0) {
					options.put(name.substring(0, eq), name.substring(eq + 1));
				}
				else if (valueOptions.contains(name)) {
					if (i + 1 >= args.size()) {
						throw new UsageException("option --" + name + " needs a value");
					}
					options.put(name, args.get(++i));
				}
				else {
					flags.add(name);
				}
			}
			else if (arg.indexOf('=') > 0) {
				int eq = arg.indexOf('=');
				parameters.put(arg.substring(0, eq), arg.substring(eq + 1));
			}
			else {
				positionals.add(arg);
			}
		}
		return new CommandLine(positionals, parameters, options, flags);
	}

	public boolean flag(String name) {
		return this.flags.contains(name);
	}

	public Optional<String> option(String name) {
		return Optional.ofNullable(this.options.get(name));
	}

	public boolean json() {
		return flag("json");
	}

}
