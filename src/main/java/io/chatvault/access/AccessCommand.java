package io.chatvault.access;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;

import org.springframework.stereotype.Component;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chatvault access ...}: principals, grants and personal access tokens. Every
 * change needs an admin's token (a principal may create and revoke its own tokens), and
 * is an audit-log entry. The logic is in {@link Principals}; these classes parse and
 * print. The subcommands are picocli's (not beans): they reach the services through their
 * parent.
 */
@Component
@Command(name = "access",
		description = { "Principals, grants and personal access tokens: who may read what.", "",
				"Every change needs CHATVAULT_TOKEN of a principal with an admin grant (a principal may",
				"create and revoke its own tokens) and is recorded in the audit log. Roles: employee (own",
				"conversations, scope custodian:<their id>), supervisor (their group, scope",
				"group:<their group>), compliance (everything, read-only: search, restore, export, holds,",
				"audit log; scope all), auditor (audit log and reports, no content), operator (jobs, no",
				"content), admin (grants, no content); the last three take scope none. docs/access.md." },
		subcommands = { AccessCommand.Bootstrap.class, AccessCommand.Whoami.class, AccessCommand.PrincipalGroup.class,
				AccessCommand.GrantGroup.class, AccessCommand.TokenGroup.class },
		footer = { "", "Exit codes: 0 done, 2 invalid arguments or a refused change, 11 access denied." })
class AccessCommand implements CliCommand {

	private static final Pattern DAYS_OR_HOURS = Pattern.compile("(\\d+)([dh])");

	private final Principals principals;

	private final CommandLineAccess access;

	AccessCommand(Principals principals, CommandLineAccess access) {
		this.principals = principals;
		this.access = access;
	}

	@Override
	public boolean needsDatabase() {
		return false;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		throw new UsageException(
				"usage: chatvault access <bootstrap|whoami|principal|grant|token> ... (chatvault access --help)");
	}

	/**
	 * Runs a subcommand's work, refusals of the services as one line with exit code 2.
	 */
	static ExitCode done(Runnable work) {
		try {
			work.run();
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw new CommandException(ExitCode.USAGE, ex.getMessage());
		}
		return ExitCode.COMPLETED;
	}

	@Command(name = "bootstrap", mixinStandardHelpOptions = true,
			description = "Create the first admin, only while there is none, and print their token once.")
	static class Bootstrap implements CliCommand {

		@ParentCommand
		AccessCommand parent;

		@Parameters(index = "0", paramLabel = "<principal>", description = "The admin's principal id.")
		String principal;

		@Option(names = "--name", required = true, paramLabel = "NAME", description = "The admin's name.")
		String name;

		@Option(names = "--json", description = "The token as one JSON object.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			return done(() -> this.parent.printToken(this.json, out,
					this.parent.principals.bootstrap(this.principal, this.name, Actor.operatingSystemUser())));
		}

	}

	@Command(name = "whoami", mixinStandardHelpOptions = true,
			description = "The principal, token and live grants of CHATVAULT_TOKEN.")
	static class Whoami implements CliCommand {

		@ParentCommand
		AccessCommand parent;

		@Option(names = "--json", description = "As one JSON object.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			return done(() -> this.parent.whoami(this.json, out));
		}

	}

	@Command(name = "principal", mixinStandardHelpOptions = true, description = "Create, disable and list principals.",
			subcommands = { PrincipalCreate.class, PrincipalDisable.class, PrincipalList.class })
	static class PrincipalGroup implements CliCommand {

		@ParentCommand
		AccessCommand parent;

		@Override
		public ExitCode execute(PrintStream out) {
			throw new UsageException("usage: chatvault access principal <create|disable|list> ...");
		}

	}

	@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a principal.")
	static class PrincipalCreate implements CliCommand {

		@ParentCommand
		PrincipalGroup group;

		@Parameters(index = "0", paramLabel = "<id>", description = "The principal id.")
		String id;

		@Option(names = "--name", required = true, paramLabel = "NAME", description = "The person's name.")
		String name;

		@Option(names = "--custodian", paramLabel = "ID",
				description = "The custodian this principal is (employees and supervisors).")
		String custodian;

		@Option(names = "--hr-id", paramLabel = "ID",
				description = "The HR employee id (default: the custodian's); the HR feed disables leavers by it.")
		String hrId;

		@Override
		public ExitCode execute(PrintStream out) {
			AccessCommand root = this.group.parent;
			return done(() -> {
				Principal principal = root.principals.create(this.id, this.name, Optional.ofNullable(this.custodian),
						Optional.ofNullable(this.hrId), root.admin("access principal create " + this.id));
				out.println("principal " + principal.id() + " created"
						+ principal.custodianId().map((c) -> " (custodian " + c + ")").orElse(""));
			});
		}

	}

	@Command(name = "disable", mixinStandardHelpOptions = true,
			description = "Disable a principal: every grant and token revoked at once.")
	static class PrincipalDisable implements CliCommand {

		@ParentCommand
		PrincipalGroup group;

		@Parameters(index = "0", paramLabel = "<id>", description = "The principal id.")
		String id;

		@Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why.")
		String reason;

		@Override
		public ExitCode execute(PrintStream out) {
			AccessCommand root = this.group.parent;
			return done(() -> {
				RevokedAccess revoked = root.principals.disable(this.id, this.reason,
						root.admin("access principal disable " + this.id));
				out.println("principal " + this.id + " disabled: " + revoked.grants() + " grant(s) and "
						+ revoked.tokens() + " token(s) revoked");
			});
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List the principals.")
	static class PrincipalList implements CliCommand {

		@ParentCommand
		PrincipalGroup group;

		@Option(names = "--json", description = "As one JSON array.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			return done(() -> this.group.parent.principalList(this.json, out));
		}

	}

	@Command(name = "grant", mixinStandardHelpOptions = true, description = "Create, revoke and list grants.",
			subcommands = { GrantCreate.class, GrantRevoke.class, GrantList.class })
	static class GrantGroup implements CliCommand {

		@ParentCommand
		AccessCommand parent;

		@Override
		public ExitCode execute(PrintStream out) {
			throw new UsageException("usage: chatvault access grant <create|revoke|list> ...");
		}

	}

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = { "Give a principal a role over a scope.", "",
					"A grant beyond the role's least privilege is refused without --beyond-role, and reported",
					"by every permission audit while it lives." })
	static class GrantCreate implements CliCommand {

		@ParentCommand
		GrantGroup group;

		@Parameters(index = "0", paramLabel = "<principal>", description = "The principal id.")
		String principal;

		@Parameters(index = "1", paramLabel = "<role>",
				description = "employee, supervisor, compliance, auditor, operator or admin.")
		String role;

		@Option(names = "--scope", paramLabel = "SCOPE",
				description = "all, none, group:<group> or custodian:<id> (default: all for compliance, none for "
						+ "auditor, operator and admin).")
		String scope;

		@Option(names = "--expires", paramLabel = "DATE", description = "When it ends: YYYY-MM-DD or an instant.")
		String expires;

		@Option(names = "--reason", paramLabel = "TEXT", description = "Why (a ticket, an approval).")
		String reason;

		@Option(names = "--beyond-role", paramLabel = "JUSTIFICATION",
				description = "Grant beyond the role's least privilege, and why.")
		String beyondRole;

		@Override
		public ExitCode execute(PrintStream out) {
			AccessCommand root = this.group.parent;
			return done(() -> {
				Role grantRole = Role.fromKey(this.role);
				GrantScope grantScope = Optional.ofNullable(this.scope)
					.map(GrantScope::parse)
					.orElseGet(() -> defaultScope(grantRole));
				Grant grant = root.principals.grant(this.principal, grantRole, grantScope,
						Optional.ofNullable(this.expires).map(AccessCommand::instant), Optional.ofNullable(this.reason),
						Optional.ofNullable(this.beyondRole), root.admin("access grant create " + this.principal));
				out.println("grant " + grant.id() + " created: " + grantLine(grant).trim());
			});
		}

	}

	@Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a grant.")
	static class GrantRevoke implements CliCommand {

		@ParentCommand
		GrantGroup group;

		@Parameters(index = "0", paramLabel = "<grant id>", description = "The grant (access grant list).")
		long id;

		@Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why.")
		String reason;

		@Override
		public ExitCode execute(PrintStream out) {
			AccessCommand root = this.group.parent;
			return done(() -> out
				.println(root.principals.revokeGrant(this.id, this.reason, root.admin("access grant revoke " + this.id))
						? "grant " + this.id + " revoked" : "grant " + this.id + " was not live; nothing to do"));
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List live grants.")
	static class GrantList implements CliCommand {

		@ParentCommand
		GrantGroup group;

		@Option(names = "--principal", paramLabel = "ID", description = "One principal's.")
		String principal;

		@Option(names = "--all", description = "Revoked and expired grants too.")
		boolean all;

		@Option(names = "--json", description = "As one JSON array.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			AccessCommand root = this.group.parent;
			return done(() -> {
				root.admin("access grant list");
				List<Grant> grants = root.principals.grants(Optional.ofNullable(this.principal), this.all);
				if (this.json) {
					JsonOutput.print(out, grants.stream().map(AccessCommand::grantJson).toList());
				}
				else {
					grants.forEach((grant) -> out.println(grantLine(grant)));
				}
			});
		}

	}

	@Command(name = "token", mixinStandardHelpOptions = true,
			description = "Create, revoke and list personal access tokens.",
			subcommands = { TokenCreate.class, TokenRevoke.class, TokenList.class })
	static class TokenGroup implements CliCommand {

		@ParentCommand
		AccessCommand parent;

		@Override
		public ExitCode execute(PrintStream out) {
			throw new UsageException("usage: chatvault access token <create|revoke|list> ...");
		}

	}

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = { "Create a personal access token and print it once; only its hash is kept.", "",
					"Its lifetime is at most chatvault.access.token.max-lifetime (90 days)." })
	static class TokenCreate implements CliCommand {

		@ParentCommand
		TokenGroup group;

		@Parameters(index = "0", paramLabel = "<principal>", description = "Whose token it is.")
		String principal;

		@Option(names = "--label", paramLabel = "TEXT", description = "What it is for (default: personal).")
		String label = "personal";

		@Option(names = "--expires-in", paramLabel = "DURATION",
				description = "Its lifetime: 30d, 12h or ISO-8601 (default: chatvault.access.token.default-lifetime).")
		String expiresIn;

		@Option(names = "--json", description = "As one JSON object.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			AccessCommand root = this.group.parent;
			return done(() -> {
				Actor actor = root.selfOrAdmin(this.principal, "access token create " + this.principal);
				root.printToken(this.json, out, root.principals.createToken(this.principal, this.label,
						Optional.ofNullable(this.expiresIn).map(AccessCommand::duration), actor));
			});
		}

	}

	@Command(name = "revoke", mixinStandardHelpOptions = true,
			description = "Revoke a token: it stops working at once.")
	static class TokenRevoke implements CliCommand {

		@ParentCommand
		TokenGroup group;

		@Parameters(index = "0", paramLabel = "<token id>", description = "The token id (access token list).")
		String id;

		@Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why.")
		String reason;

		@Override
		public ExitCode execute(PrintStream out) {
			AccessCommand root = this.group.parent;
			return done(() -> {
				String owner = root.principals.token(this.id)
					.map(TokenInfo::principalId)
					.orElseThrow(() -> new UsageException("no token " + this.id + " (access token list shows them)"));
				boolean revoked = root.principals.revokeToken(this.id, this.reason,
						root.selfOrAdmin(owner, "access token revoke " + this.id));
				out.println(revoked ? "token " + this.id + " revoked"
						: "token " + this.id + " was not live; nothing to do");
			});
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
	static class TokenList implements CliCommand {

		@ParentCommand
		TokenGroup group;

		@Option(names = "--principal", paramLabel = "ID", description = "One principal's (their own needs no admin).")
		String principal;

		@Option(names = "--json", description = "As one JSON array.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			return done(() -> this.group.parent.tokenList(Optional.ofNullable(this.principal), this.json, out));
		}

	}

	private void whoami(boolean json, PrintStream out) {
		Authorization.Authenticated who = this.access.whoami();
		if (json) {
			Map<String, Object> document = new LinkedHashMap<>();
			document.put("principal", who.principal().id());
			document.put("name", who.principal().name());
			document.put("custodian", who.principal().custodianId().orElse(null));
			document.put("token", who.token().id());
			document.put("tokenExpiresAt", who.token().expiresAt().toString());
			document.put("grants", who.grants().stream().map(AccessCommand::grantJson).toList());
			JsonOutput.print(out, document);
			return;
		}
		out.println(who.principal().id() + " (" + who.principal().name() + ")"
				+ who.principal().custodianId().map((c) -> ", custodian " + c).orElse(""));
		out.println("token " + who.token().id() + ", expires " + who.token().expiresAt());
		who.grants().forEach((grant) -> out.println(grantLine(grant)));
	}

	private void principalList(boolean json, PrintStream out) {
		admin("access principal list");
		List<Principal> all = this.principals.list();
		if (json) {
			JsonOutput.print(out, all.stream().map((p) -> {
				Map<String, Object> document = new LinkedHashMap<>();
				document.put("id", p.id());
				document.put("name", p.name());
				document.put("custodian", p.custodianId().orElse(null));
				document.put("hrEmployeeId", p.hrEmployeeId().orElse(null));
				document.put("enabled", p.enabled());
				document.put("lastUsedAt", p.lastUsedAt().map(Instant::toString).orElse(null));
				return document;
			}).toList());
			return;
		}
		all.forEach((p) -> out.println(p.id() + "  " + p.name() + (p.enabled() ? "" : "  DISABLED")
				+ p.custodianId().map((c) -> "  custodian " + c).orElse("") + "  last used "
				+ p.lastUsedAt().map(Instant::toString).orElse("never")));
	}

	private void tokenList(Optional<String> principal, boolean json, PrintStream out) {
		if (principal.isPresent()) {
			selfOrAdmin(principal.get(), "access token list --principal " + principal.get());
		}
		else {
			admin("access token list");
		}
		List<TokenInfo> tokens = this.principals.tokens(principal);
		if (json) {
			JsonOutput.print(out, tokens.stream().map((t) -> {
				Map<String, Object> document = new LinkedHashMap<>();
				document.put("id", t.id());
				document.put("principal", t.principalId());
				document.put("label", t.label());
				document.put("createdAt", t.createdAt().toString());
				document.put("expiresAt", t.expiresAt().toString());
				document.put("lastUsedAt", t.lastUsedAt().map(Instant::toString).orElse(null));
				document.put("revokedAt", t.revokedAt().map(Instant::toString).orElse(null));
				return document;
			}).toList());
			return;
		}
		tokens.forEach((t) -> out.println(t.id() + "  " + t.principalId() + "  " + t.label() + "  expires "
				+ t.expiresAt() + t.revokedAt().map((r) -> "  REVOKED " + r).orElse("")));
	}

	private static GrantScope defaultScope(Role role) {
		return switch (role) {
			case COMPLIANCE -> GrantScope.ALL;
			case AUDITOR, OPERATOR, ADMIN -> GrantScope.NONE;
			default -> throw new UsageException("a" + ((role == Role.EMPLOYEE) ? "n " : " ") + role.key()
					+ " grant needs --scope ("
					+ ((role == Role.EMPLOYEE) ? "custodian:<their custodian id>" : "group:<their group>") + ")");
		};
	}

	private void printToken(boolean json, PrintStream out, IssuedToken token) {
		if (json) {
			JsonOutput.print(out, Map.of("id", token.info().id(), "principal", token.info().principalId(), "token",
					token.secret(), "expiresAt", token.info().expiresAt().toString()));
			return;
		}
		out.println(token.secret());
		out.println("token " + token.info().id() + " for " + token.info().principalId() + ", expires "
				+ token.info().expiresAt() + ". It is shown only now: give it to its holder as CHATVAULT_TOKEN.");
	}

	private Actor admin(String command) {
		return Actor.of(this.access.authorize(Operation.ACCESS_ADMIN, ContentScope.NONE, command));
	}

	private Actor selfOrAdmin(String principal, String command) {
		Authorization.Authenticated who = this.access.whoami();
		if (who.principal().id().equals(principal)) {
			return new Actor(principal, "");
		}
		return admin(command);
	}

	private static String grantLine(Grant grant) {
		return grant.id() + "  " + grant.principalId() + "  " + grant.role().key() + "  " + grant.scope()
				+ grant.expiresAt().map((e) -> "  expires " + e).orElse("")
				+ grant.beyondRole().map((j) -> "  BEYOND ROLE: " + j).orElse("")
				+ grant.revokedAt().map((r) -> "  REVOKED " + r).orElse("");
	}

	private static Map<String, Object> grantJson(Grant grant) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", grant.id());
		json.put("principal", grant.principalId());
		json.put("role", grant.role().key());
		json.put("scope", grant.scope().toString());
		json.put("grantedAt", grant.grantedAt().toString());
		json.put("grantedBy", grant.grantedBy());
		json.put("expiresAt", grant.expiresAt().map(Instant::toString).orElse(null));
		json.put("beyondRole", grant.beyondRole().orElse(null));
		json.put("revokedAt", grant.revokedAt().map(Instant::toString).orElse(null));
		return json;
	}

	static Instant instant(String text) {
		try {
			return (text.length() == 10) ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
					: Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new UsageException("'" + text + "' is not a date (YYYY-MM-DD) or an instant (2025-01-31T12:00:00Z)");
		}
	}

	static Duration duration(String text) {
		Matcher matcher = DAYS_OR_HOURS.matcher(text.trim());
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			return matcher.group(2).equals("d") ? Duration.ofDays(amount) : Duration.ofHours(amount);
		}
		try {
			return Duration.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new UsageException("'" + text + "' is not a duration (30d, 12h or ISO-8601 such as P30D)");
		}
	}

}
