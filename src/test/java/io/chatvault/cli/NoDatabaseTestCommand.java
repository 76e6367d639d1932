package io.chatvault.cli;

import java.io.PrintStream;

import javax.sql.DataSource;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * A command that does not need the database, although it is wired to the DataSource
 * (profile {@code test-jobs}): it proves that the CLI neither connects nor starts
 * PostgreSQL for such a command.
 */
@Component
@Profile("test-jobs")
class NoDatabaseTestCommand implements Command {

	private final DataSource dataSource;

	NoDatabaseTestCommand(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public String name() {
		return "test-offline";
	}

	@Override
	public String summary() {
		return "a test command that works without the database";
	}

	@Override
	public String help() {
		return "Usage: chatvault test-offline";
	}

	@Override
	public boolean needsDatabase() {
		return false;
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		out.println("offline ok");
		return ExitCode.COMPLETED;
	}

}
