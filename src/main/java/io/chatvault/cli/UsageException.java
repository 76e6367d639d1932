package io.chatvault.cli;

/**
 * An operator mistake in the arguments: printed as one line, exit code
 * {@link ExitCode#USAGE}.
 */
public class UsageException extends RuntimeException {

	public UsageException(String message) {
		super(message);
	}

}
