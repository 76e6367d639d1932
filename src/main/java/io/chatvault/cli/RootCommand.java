package io.chatvault.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code chatvault} itself: its help lists the commands (the {@link CliCommand} beans),
 * and without a command it prints that help on stderr and exits 2.
 */
@Command(name = "chatvault", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
		synopsisHeading = "Usage: ", customSynopsis = "chatvault <command> [arguments]",
		description = { "", "ChatVault archives business chat for regulated companies." },
		optionListHeading = "%nOptions:%n", commandListHeading = "%nCommands:%n",
		footer = { "", "chatvault <command> --help shows the arguments of a command.",
				"Shell completion: source <(chatvault generate-completion)", "",
				"Exit codes: 0 completed, 1 internal error, 2 usage, 3 job failed, 4 job stopped, "
						+ "5 already running, 6 infrastructure unavailable, 7 completed with quarantine, "
						+ "8 not restartable, 9 completed with findings, 10 integrity failure, "
						+ "11 access denied, 12 refused by policy." })
class RootCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		CommandLine commandLine = this.spec.commandLine();
		commandLine.usage(commandLine.getErr());
		return ExitCode.USAGE.code();
	}

	/** The version of the running jar, from its manifest. */
	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() {
			String version = RootCommand.class.getPackage().getImplementationVersion();
			return new String[] { "chatvault " + ((version != null) ? version : "(development build)") };
		}

	}

}
