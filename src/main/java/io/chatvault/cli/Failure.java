package io.chatvault.cli;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import io.chatvault.database.EmbeddedPostgresException;
import io.chatvault.storage.ObjectStoreException;
import io.chatvault.storage.RetentionViolationException;

/**
 * What the operator is told when a command ends with an exception: one line and an exit
 * code. The stack trace goes to the log at DEBUG only, because an operator mistake or an
 * unreachable server is not a bug and a trace only hides the one line that matters.
 *
 * @param exitCode the process exit code
 * @param message the one line for stderr
 */
record Failure(ExitCode exitCode, String message) {

	static Failure of(Throwable ex) {
		if (ex instanceof UsageException) {
			return new Failure(ExitCode.USAGE, ex.getMessage());
		}
		if (ex instanceof CommandException commandException) {
			return new Failure(commandException.exitCode(), ex.getMessage());
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof UsageException || cause instanceof CommandException) {
				return of(cause);
			}
			if (cause instanceof BindException bind) {
				return new Failure(ExitCode.USAGE,
						"invalid configuration " + describe(bind) + ": " + firstLine(rootCause(bind).getMessage()));
			}
			if (cause instanceof EmbeddedPostgresException) {
				return new Failure(ExitCode.INFRASTRUCTURE_UNAVAILABLE,
						"embedded PostgreSQL unavailable: " + firstLine(cause.getMessage()));
			}
			if (isDatabaseUnreachable(cause)) {
				return new Failure(ExitCode.INFRASTRUCTURE_UNAVAILABLE, "database unavailable: "
						+ firstLine(driverMessage(cause))
						+ " (check chatvault.db.url / CHATVAULT_DB_URL, the user and password, and that the server runs)");
			}
			if (cause instanceof io.chatvault.crypto.ErasedException) {
				return new Failure(ExitCode.JOB_FAILED, firstLine(cause.getMessage()));
			}
			if (cause instanceof ObjectStoreException && !(cause instanceof RetentionViolationException)) {
				return new Failure(ExitCode.INFRASTRUCTURE_UNAVAILABLE,
						"object store unavailable: " + firstLine(cause.getMessage()));
			}
		}
		Throwable root = rootCause(ex);
		return new Failure(ExitCode.INTERNAL_ERROR,
				"internal error: " + root.getClass().getSimpleName() + ": " + firstLine(root.getMessage())
						+ " (for the stack trace run again with LOGGING_LEVEL_IO_CHATVAULT=DEBUG)");
	}

	private static boolean isDatabaseUnreachable(Throwable ex) {
		if (ex instanceof CannotGetJdbcConnectionException || ex instanceof SQLTransientConnectionException
				|| ex instanceof ConnectException || ex instanceof UnknownHostException) {
			return true;
		}
		// SQLSTATE class 08: connection exception; 28: invalid authorization; 3D000: no
		// such
		// database; 57P03: the server is starting up or shutting down.
		if (ex instanceof SQLException sql && sql.getSQLState() != null) {
			String state = sql.getSQLState();
			return state.startsWith("08") || state.startsWith("28") || state.equals("3D000") || state.equals("57P03");
		}
		return false;
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root;
	}

	private static String describe(BindException bind) {
		ConfigurationProperty property = bind.getProperty();
		if (property == null) {
			return bind.getName().toString();
		}
		return property.getName() + "=" + property.getValue()
				+ ((property.getOrigin() != null) ? " (" + property.getOrigin() + ")" : "");
	}

	/** The driver's words (host, port, what failed) rather than a wrapper's. */
	private static String driverMessage(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException && cause.getMessage() != null) {
				return cause.getMessage();
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return ex.getMessage();
	}

	static String firstLine(String text) {
		if (text == null || text.isBlank()) {
			return "(no message)";
		}
		String trimmed = text.strip();
		int newline = trimmed.indexOf('\n');
		return (newline < 0) ? trimmed : trimmed.substring(0, newline).strip();
	}

}
