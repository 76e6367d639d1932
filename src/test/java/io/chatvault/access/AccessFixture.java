package io.chatvault.access;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.chatvault.ChatVaultApplication;
import io.chatvault.audit.AuditChain;
import io.chatvault.audit.AuditEvent;
import io.chatvault.cli.CommandDispatcher;
import io.chatvault.testsupport.TestDatabase;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One application context on a fresh database with a {@link MutableClock}, shared by a
 * test class, and the shortcuts the access tests use to seed an organisation.
 */
public final class AccessFixture implements AutoCloseable {

	public static final Instant START = Instant.parse("2025-03-03T09:00:00Z");

	public static final Actor ADMIN = new Actor("test-admin", "admin");

	public final ConfigurableApplicationContext context;

	public final MutableClock clock = new MutableClock(START);

	public final Custodians custodians;

	public final Principals principals;

	public final Authorization authorization;

	public final JdbcTemplate jdbc;

	private AccessFixture(Path home, String... properties) {
		TestDatabase.Coordinates database = TestDatabase.freshDatabase();
		List<String> args = new ArrayList<>(
				List.of("--chatvault.home=" + home, "--chatvault.db.url=" + database.jdbcUrl(),
						"--chatvault.db.user=" + database.user(), "--chatvault.db.password=" + database.password()));
		// a small pool: the test PostgreSQL is shared by every engineer's suite
		args.add("--spring.datasource.hikari.maximum-pool-size=3");
		for (String property : properties) {
			args.add("--" + property);
		}
		this.context = new SpringApplicationBuilder(ChatVaultApplication.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("clock", this.clock))
			.run(args.toArray(String[]::new));
		this.custodians = this.context.getBean(Custodians.class);
		this.principals = this.context.getBean(Principals.class);
		this.authorization = this.context.getBean(Authorization.class);
		this.jdbc = this.context.getBean(JdbcTemplate.class);
	}

	public static AccessFixture start(Path home, String... properties) {
		return new AccessFixture(home, properties);
	}

	public CommandDispatcher dispatcher() {
		return this.context.getBean(CommandDispatcher.class);
	}

	public Custodian custodian(String id, String group, CustodianAccount... accounts) {
		Custodian custodian = new Custodian(id, "Name of " + id, Optional.of("hr-" + id), group,
				Custodian.Status.ACTIVE, Optional.empty(),
				Optional
					.of(new Consent("dms://consent/" + id, "a".repeat(64), "v1", java.time.LocalDate.of(2024, 1, 2))),
				List.of(accounts));
		this.custodians.save(custodian, ADMIN);
		return custodian;
	}

	/** A principal with one grant and a token; returns the token. */
	public String principal(String id, Optional<String> custodianId, Role role, GrantScope scope) {
		this.principals.create(id, "Name of " + id, custodianId, Optional.empty(), ADMIN);
		this.principals.grant(id, role, scope, Optional.empty(), Optional.of("test"), Optional.empty(), ADMIN);
		return this.principals.createToken(id, "test", Optional.empty(), ADMIN).secret();
	}

	public Access authorize(String token, Operation operation, ContentScope scope) {
		return this.authorization
			.authorize(new AccessRequest(Optional.ofNullable(token), operation, scope, "test query", "tester@host"));
	}

	public long lastSequence() {
		Long last = this.jdbc.queryForObject("SELECT max(sequence) FROM audit_entry", Long.class);
		return (last != null) ? last : 0;
	}

	public List<AuditEvent> entriesAfter(long sequence) {
		return this.jdbc.query(
				"SELECT actor, role, action, target, outcome, details FROM audit_entry WHERE sequence > ? ORDER BY sequence",
				(rs, row) -> new AuditEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
						rs.getString(5), AuditChain.parseDetails(rs.getString(6))),
				sequence);
	}

	public List<AuditEvent> entriesAfter(long sequence, String action) {
		return entriesAfter(sequence).stream().filter((e) -> e.action().equals(action)).toList();
	}

	/**
	 * Runs a command as the CLI does, with a token in CHATVAULT_TOKEN (or none).
	 * @param token the token, or null
	 * @param args the command line
	 * @return what it printed and returned
	 */
	public Cli cli(String token, String... args) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
		if (token != null) {
			System.setProperty(CommandLineAccess.TOKEN_PROPERTY, token);
		}
		try (java.io.PrintStream o = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
				java.io.PrintStream e = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8)) {
			io.chatvault.cli.ExitCode code = dispatcher().dispatch(List.of(args), o, e);
			return new Cli(code, out.toString(java.nio.charset.StandardCharsets.UTF_8),
					err.toString(java.nio.charset.StandardCharsets.UTF_8));
		}
		finally {
			System.clearProperty(CommandLineAccess.TOKEN_PROPERTY);
		}
	}

	/**
	 * What one command printed and returned.
	 *
	 * @param code the exit code
	 * @param out stdout
	 * @param err stderr
	 */
	public record Cli(io.chatvault.cli.ExitCode code, String out, String err) {
	}

	@Override
	public void close() {
		this.context.close();
	}

}
