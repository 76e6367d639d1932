package io.chatvault.cli;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import java.util.Map;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.chatvault.database.EmbeddedPostgresException;
import io.chatvault.storage.ObjectStoreException;
import io.chatvault.storage.RetentionViolationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** How exceptions become one line and an exit code. */
class FailureTests {

	@Test
	void operatorMistakesKeepTheirMessage() {
		// when
		Failure usage = Failure.of(new BeanCreationException("jobs", new UsageException("unknown job 'x'")));
		Failure command = Failure.of(new CommandException(ExitCode.NOT_RESTARTABLE, "execution 3 is COMPLETED"));

		// then
		assertThat(usage).isEqualTo(new Failure(ExitCode.USAGE, "unknown job 'x'"));
		assertThat(command).isEqualTo(new Failure(ExitCode.NOT_RESTARTABLE, "execution 3 is COMPLETED"));
	}

	@Test
	void unreachableServicesAreInfrastructure() {
		// when
		Failure refused = Failure.of(new IllegalStateException("startup",
				new SQLException("Connection to 127.0.0.1:5999 refused.", "08001", new ConnectException("refused"))));
		Failure password = Failure.of(new SQLException("password authentication failed for user \"x\"", "28P01"));
		Failure embedded = Failure.of(new BeanCreationException("dataSource",
				new EmbeddedPostgresException("initdb failed: no space left on device\nmore", null)));
		Failure bucket = Failure.of(new ObjectStoreException("bucket chatvault-archive does not exist"));

		// then
		assertThat(refused.exitCode()).isEqualTo(ExitCode.INFRASTRUCTURE_UNAVAILABLE);
		assertThat(refused.message()).startsWith("database unavailable: Connection to 127.0.0.1:5999 refused.");
		assertThat(password.exitCode()).isEqualTo(ExitCode.INFRASTRUCTURE_UNAVAILABLE);
		assertThat(embedded).isEqualTo(new Failure(ExitCode.INFRASTRUCTURE_UNAVAILABLE,
				"embedded PostgreSQL unavailable: initdb failed: no space left on device"));
		assertThat(bucket).isEqualTo(new Failure(ExitCode.INFRASTRUCTURE_UNAVAILABLE,
				"object store unavailable: bucket chatvault-archive does not exist"));
	}

	@Test
	void invalidConfigurationIsAUsageErrorNamingTheProperty() {
		// given
		MapConfigurationPropertySource source = new MapConfigurationPropertySource(
				Map.of("chatvault.jobs.recover-grace", "abc"));

		// when
		Failure failure = Failure.of(new IllegalStateException("context", catchThrowable(
				() -> new Binder(source).bind("chatvault.jobs.recover-grace", java.time.Duration.class))));

		// then
		assertThat(failure.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(failure.message()).startsWith("invalid configuration chatvault.jobs.recover-grace=abc")
			.endsWith(": 'abc' is not a valid duration");
	}

	@Test
	void anythingElseIsAnInternalErrorInOneLine() {
		// when
		Failure bug = Failure
			.of(new IllegalStateException("wrapper", new NullPointerException("item was null\n\tat x")));
		Failure retention = Failure.of(new RetentionViolationException("object is on legal hold"));

		// then
		assertThat(bug.exitCode()).isEqualTo(ExitCode.INTERNAL_ERROR);
		assertThat(bug.message()).startsWith("internal error: NullPointerException: item was null (")
			.doesNotContain("\n");
		assertThat(retention.exitCode()).isEqualTo(ExitCode.INTERNAL_ERROR);
	}

}
