package io.chatvault.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A library's report of a failure stays off the console unless DEBUG is on; ChatVault's
 * own lines and the libraries' INFO lines pass.
 */
class LibraryFailureLogsTests {

	private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

	private final ListAppender<ILoggingEvent> console = new ListAppender<>();

	private final Logger batch = this.context.getLogger("org.springframework.batch.core.step.AbstractStep");

	private final Logger hikari = this.context.getLogger("com.zaxxer.hikari.pool.PoolBase");

	private final Logger chatvault = this.context.getLogger("io.chatvault");

	private Level[] levels;

	@BeforeEach
	void install() {
		this.levels = new Level[] { this.batch.getLevel(), this.hikari.getLevel(), this.chatvault.getLevel() };
		this.batch.setLevel(Level.INFO);
		this.hikari.setLevel(Level.INFO);
		this.chatvault.setLevel(Level.INFO);
		this.console.start();
		this.batch.addAppender(this.console);
		this.hikari.addAppender(this.console);
		this.chatvault.addAppender(this.console);
		LibraryFailureLogs.install();
	}

	@AfterEach
	void uninstall() {
		this.context.getTurboFilterList().removeIf(LibraryFailureLogs.class::isInstance);
		this.batch.detachAppender(this.console);
		this.hikari.detachAppender(this.console);
		this.chatvault.detachAppender(this.console);
		this.batch.setLevel(this.levels[0]);
		this.hikari.setLevel(this.levels[1]);
		this.chatvault.setLevel(this.levels[2]);
	}

	@Test
	void librariesFailureReportsAreDroppedAndTheRestPasses() {
		// when
		this.batch.info("Executing step: [migrate]");
		this.batch.error("Encountered an error executing step", new IllegalStateException("disk full"));
		this.hikari.warn("chatvault - Failed to validate connection");
		this.batch.info("failed unexpectedly and fatally", new IllegalStateException("database gone"));
		this.chatvault.warn("Could not anchor the audit log");

		// then
		assertThat(this.console.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly("Executing step: [migrate]", "Could not anchor the audit log");
	}

	@Test
	void debugOnChatVaultBringsEveryTraceBack() {
		// given
		this.chatvault.setLevel(Level.DEBUG);

		// when
		this.batch.error("Encountered an error executing step", new IllegalStateException("disk full"));

		// then
		assertThat(this.console.list).singleElement()
			.extracting(ILoggingEvent::getFormattedMessage)
			.isEqualTo("Encountered an error executing step");
	}

}
