package io.chatvault.audit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.chatvault.ChatVaultApplication;
import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit log enforced in the database too: ChatVault connects as a least-privileged
 * role ({@code chatvault.db.application-role}) while Flyway migrates as the owner. The
 * application works (jobs run, entries are appended and anchored), and its role can
 * neither UPDATE, DELETE nor TRUNCATE the audit tables, not even after the owner disabled
 * their triggers, nor disable the triggers itself.
 */
class LeastPrivilegeRoleIntegrationTests {

	@TempDir
	static Path home;

	static TestDatabase.Coordinates owner;

	static String role;

	static final String PASSWORD = "app-" + UUID.randomUUID();

	static ConfigurableApplicationContext context;

	static String token;

	@BeforeAll
	static void start() throws SQLException {
		owner = TestDatabase.freshDatabase();
		role = "cv_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
		asOwner("CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + PASSWORD + "'");
		context = new SpringApplicationBuilder(ChatVaultApplication.class).web(WebApplicationType.NONE)
			.run("--chatvault.home=" + home, "--chatvault.db.url=" + owner.jdbcUrl(), "--chatvault.db.user=" + role,
					"--chatvault.db.password=" + PASSWORD, "--chatvault.db.application-role=" + role,
					"--spring.flyway.url=" + owner.jdbcUrl(), "--spring.flyway.user=" + owner.user(),
					"--spring.flyway.password=" + owner.password());
		// audit verify is an auditor's command
		token = AuditVerifyIntegrationTests.auditorToken(context);
	}

	@AfterAll
	static void stop() throws SQLException {
		context.close();
		asOwner("DROP OWNED BY " + role);
		asOwner("DROP ROLE " + role);
	}

	@Test
	void theApplicationRunsJobsAndAppendsAsTheRestrictedRole() {
		// when
		Cli run = cli("run", "audit-anchor", "day=2025-03-01");
		Cli verify = cli("audit", "verify");
		Cli doctor = cli("doctor");

		// then
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(verify.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(verify.out()).contains("Intact");
		AuditAnchor anchor = context.getBean(AuditAnchors.class).lastRecorded().orElseThrow();
		assertThat(anchor.reason()).startsWith("job.end execution:");
		assertThat(doctor.out()).contains("audit log")
			.contains("the application connects as " + role + ", which can neither change the log");
	}

	@Test
	void theRoleCannotChangeTheLogEvenWithItsTriggersDisabled() throws SQLException {
		// given
		context.getBean(AuditLog.class).append(AuditEvent.of("job:test", "job.start", "execution:1", Map.of()));
		asOwner("ALTER TABLE audit_entry DISABLE TRIGGER USER");
		asOwner("ALTER TABLE audit_anchor DISABLE TRIGGER USER");
		try {
			// when / then
			assertThatThrownBy(() -> asRole("UPDATE audit_entry SET actor = 'x'"))
				.hasMessageContaining("permission denied for table audit_entry");
			assertThatThrownBy(() -> asRole("DELETE FROM audit_entry"))
				.hasMessageContaining("permission denied for table audit_entry");
			assertThatThrownBy(() -> asRole("TRUNCATE audit_entry"))
				.hasMessageContaining("permission denied for table audit_entry");
			assertThatThrownBy(() -> asRole("DELETE FROM audit_anchor"))
				.hasMessageContaining("permission denied for table audit_anchor");
			assertThatThrownBy(() -> asRole("ALTER TABLE audit_entry ENABLE TRIGGER USER"))
				.hasMessageContaining("must be owner of table audit_entry");
			assertThatThrownBy(() -> asRole("SET session_replication_role = replica"))
				.hasMessageContaining("permission denied to set parameter");
			assertThatThrownBy(() -> asRole("DELETE FROM flyway_schema_history"))
				.hasMessageContaining("permission denied");
			// and appending still works
			asRole("SELECT count(*) FROM audit_entry");
		}
		finally {
			asOwner("ALTER TABLE audit_entry ENABLE TRIGGER USER");
			asOwner("ALTER TABLE audit_anchor ENABLE TRIGGER USER");
		}
		assertThat(context.getBean(AuditVerifier.class).verify().intact()).isTrue();
	}

	private static void asOwner(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static void asRole(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(owner.jdbcUrl(), role, PASSWORD);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private record Cli(ExitCode exitCode, String out) {
	}

	private static Cli cli(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ExitCode code;
		System.setProperty(io.chatvault.access.CommandLineAccess.TOKEN_PROPERTY, token);
		try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
				PrintStream e = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
			code = context.getBean(CommandDispatcher.class).dispatch(List.of(args), o, e);
		}
		finally {
			System.clearProperty(io.chatvault.access.CommandLineAccess.TOKEN_PROPERTY);
		}
		return new Cli(code, out.toString(StandardCharsets.UTF_8));
	}

}
