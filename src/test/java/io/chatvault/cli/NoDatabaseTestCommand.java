package io.chatvault.cli;

import java.io.PrintStream;

import javax.sql.DataSource;

import picocli.CommandLine.Command;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * A command that does not need the database, although it is wired to the DataSource
 * (profile {@code test-jobs}): it proves that the CLI neither connects nor starts
 * PostgreSQL for such a command.
 */
@Component
@Profile("test-jobs")
@Command(name = "test-offline", description = "A test command that works without the database.")
class NoDatabaseTestCommand implements CliCommand {

	private final DataSource dataSource;

	NoDatabaseTestCommand(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public boolean needsDatabase() {
		return false;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		out.println("offline ok");
		return ExitCode.COMPLETED;
	}

}
