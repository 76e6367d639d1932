package io.chatvault.cli;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the libraries' own reports of a failure off the console: ChatVault reports every
 * failure once, as one line ({@code chatvault: ...}) with its exit code, and stores the
 * root cause with the execution ({@code chatvault show}). Spring Batch, Hikari, Spring's
 * transaction and JDBC support and the PostgreSQL driver report the same failure again as
 * warnings and errors with stack traces (870 lines when the database stopped during a
 * run). Their warnings, errors and any line with a stack trace are dropped unless
 * {@code io.chatvault} or the library's own logger is set to DEBUG
 * ({@code LOGGING_LEVEL_IO_CHATVAULT=DEBUG}), which brings every trace back.
 */
final class LibraryFailureLogs extends TurboFilter {

	static final List<String> LIBRARIES = List.of("org.springframework.batch", "com.zaxxer.hikari",
			"org.springframework.transaction", "org.springframework.jdbc", "org.postgresql");

	private final Logger chatvault;

	private LibraryFailureLogs(LoggerContext context) {
		this.chatvault = context.getLogger("io.chatvault");
	}

	/** Adds the filter to Logback, if Logback is the logging system, once. */
	static void install() {
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
				&& context.getTurboFilterList().stream().noneMatch(LibraryFailureLogs.class::isInstance)) {
			LibraryFailureLogs filter = new LibraryFailureLogs(context);
			filter.setName("chatvault-library-failures");
			filter.start();
			context.addTurboFilter(filter);
		}
	}

	@Override
	public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
		if (logger == null || level == null || (!level.isGreaterOrEqual(Level.WARN) && t == null)) {
			return FilterReply.NEUTRAL;
		}
		if (!fromLibrary(logger.getName()) || debug(this.chatvault) || debug(logger)) {
			return FilterReply.NEUTRAL;
		}
		return FilterReply.DENY;
	}

	/** Without asking the logger (which would call this filter again). */
	private static boolean debug(Logger logger) {
		return logger.getEffectiveLevel().toInt() <= Level.DEBUG_INT;
	}

	private static boolean fromLibrary(String name) {
		for (String library : LIBRARIES) {
			if (name.startsWith(library)) {
				return true;
			}
		}
		return false;
	}

}
