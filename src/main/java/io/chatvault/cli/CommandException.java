package io.chatvault.cli;

/**
 * A command could not do what it was asked, for a reason the operator can act on: printed
 * as one line (no stack trace), the process ends with the given exit code. Throw it for a
 * missing bucket ({@link ExitCode#INFRASTRUCTURE_UNAVAILABLE}), an execution in the wrong
 * state ({@link ExitCode#NOT_RESTARTABLE}) and the like.
 */
public class CommandException extends RuntimeException {

	private final ExitCode exitCode;

	public CommandException(ExitCode exitCode, String message) {
		super(message);
		this.exitCode = exitCode;
	}

	public CommandException(ExitCode exitCode, String message, Throwable cause) {
		super(message, cause);
		this.exitCode = exitCode;
	}

	public ExitCode exitCode() {
		return this.exitCode;
	}

}
