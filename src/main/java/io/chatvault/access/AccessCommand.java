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

import io.chatvault.cli.Command;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.CommandLine;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;

import org.springframework.stereotype.Component;

/**
 * {@code chatvault access ...}: principals, grants and personal access tokens. Every
 * change needs an admin's token (a principal may create and revoke its own tokens), and
 * is an audit-log entry. The logic is in {@link Principals}; this class parses and
 * prints.
 */
@Component
class AccessCommand implements Command {

	private static final Pattern DAYS_OR_HOURS = Pattern.compile("(\\d+)([dh])");

	private final Principals principals;

	private final CommandLineAccess access;

	AccessCommand(Principals principals, CommandLineAccess access) {
		this.principals = principals;
		this.access = access;
	}

	@Override
	public String name() {
		return "access";
	}

	@Override
	public String summary() {
		return "principals, grants and personal access tokens: access <principal|grant|token|whoami|bootstrap> ...";
	}

	@Override
	public Set<String> valueOptions() {
		return Set.of("name", "custodian", "hr-id", "reason", "scope", "expires", "beyond-role", "principal", "label",
				"expires-in");
	}

	@Override
	public String help() {
		return """
				Usage: chatvault access <subcommand> ... [--json]

				Who may read what. Every change needs CHATVAULT_TOKEN of a principal with an admin
				grant and is recorded in the audit log. Roles: employee (own conversations, scope
				custodian:<their id>), supervisor (their group, scope group:<their group>),
				compliance (everything, read-only; holds, exports, audit log; scope all), auditor
				(audit log and reports, no content), operator (jobs, no content), admin (grants, no
				content); the last three take scope none.

				  access bootstrap <principal> --name NAME
				      the first admin, only while there is none: prints their token once
				  access whoami                           the principal, grants and token of CHATVAULT_TOKEN
				  access principal create <id> --name NAME [--custodian ID] [--hr-id ID]
				  access principal disable <id> --reason TEXT   revokes every grant and token at once
				  access principal list
				  access grant create <principal> <role> [--scope all|none|group:G|custodian:C]
				      [--expires YYYY-MM-DD] [--reason TEXT] [--beyond-role JUSTIFICATION]
				      a grant beyond the role's least privilege is refused without --beyond-role,
				      and reported by every permission audit while it lives
				  access grant revoke <grant id> --reason TEXT
				  access grant list [--principal ID] [--all]   (--all: revoked and expired too)
				  access token create <principal> [--label TEXT] [--expires-in 30d]
				      prints the token once; only its hash is kept. Lifetime at most
				      chatvault.access.token.max-lifetime (90d)
				  access token revoke <token id> --reason TEXT
				  access token list [--principal ID]

				Exit codes: 0 done, 2 invalid arguments or refused change, 11 access denied.
				""";
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		List<String> args = line.positionals();
		String sub = args.isEmpty() ? "" : args.get(0);
		if (args.size() > 1 && Set.of("principal", "grant", "token").contains(sub)) {
			sub = sub + " " + args.get(1);
		}
		try {
			switch (sub) {
				case "bootstrap" -> bootstrap(line, out);
				case "whoami" -> whoami(line, out);
				case "principal create" -> principalCreate(line, out);
				case "principal disable" -> principalDisable(line, out);
				case "principal list" -> principalList(line, out);
				case "grant create" -> grantCreate(line, out);
				case "grant revoke" -> grantRevoke(line, out);
				case "grant list" -> grantList(line, out);
				case "token create" -> tokenCreate(line, out);
				case "token revoke" -> tokenRevoke(line, out);
				case "token list" -> tokenList(line, out);
				default -> throw new UsageException(
						"usage: chatvault access <bootstrap|whoami|principal|grant|token> ... (chatvault access --help)");
			}
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw new CommandException(ExitCode.USAGE, ex.getMessage());
		}
		return ExitCode.COMPLETED;
	}

	private void bootstrap(CommandLine line, PrintStream out) {
		String id = positional(line, 1, "access bootstrap <principal> --name NAME");
		IssuedToken token = this.principals.bootstrap(id, required(line, "name"), Actor.operatingSystemUser());
		printToken(line, out, token);
	}

	private void whoami(CommandLine line, PrintStream out) {
		Authorization.Authenticated who = this.access.whoami();
		if (line.json()) {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("principal", who.principal().id());
			json.put("name", who.principal().name());
			json.put("custodian", who.principal().custodianId().orElse(null));
			json.put("token", who.token().id());
			json.put("tokenExpiresAt", who.token().expiresAt().toString());
			json.put("grants", who.grants().stream().map(AccessCommand::grantJson).toList());
			JsonOutput.print(out, json);
			return;
		}
		out.println(who.principal().id() + " (" + who.principal().name() + ")"
				+ who.principal().custodianId().map((c) -> ", custodian " + c).orElse(""));
		out.println("token " + who.token().id() + ", expires " + who.token().expiresAt());
		who.grants().forEach((grant) -> out.println(grantLine(grant)));
	}

	private void principalCreate(CommandLine line, PrintStream out) {
		String id = positional(line, 2, "access principal create <id> --name NAME");
		Actor admin = admin(line);
		Principal principal = this.principals.create(id, required(line, "name"), line.option("custodian"),
				line.option("hr-id"), admin);
		out.println("principal " + principal.id() + " created"
				+ principal.custodianId().map((c) -> " (custodian " + c + ")").orElse(""));
	}

	private void principalDisable(CommandLine line, PrintStream out) {
		String id = positional(line, 2, "access principal disable <id> --reason TEXT");
		RevokedAccess revoked = this.principals.disable(id, required(line, "reason"), admin(line));
		out.println("principal " + id + " disabled: " + revoked.grants() + " grant(s) and " + revoked.tokens()
				+ " token(s) revoked");
	}

	private void principalList(CommandLine line, PrintStream out) {
		admin(line);
		List<Principal> all = this.principals.list();
		if (line.json()) {
			JsonOutput.print(out, all.stream().map((p) -> {
				Map<String, Object> json = new LinkedHashMap<>();
				json.put("id", p.id());
				json.put("name", p.name());
				json.put("custodian", p.custodianId().orElse(null));
				json.put("hrEmployeeId", p.hrEmployeeId().orElse(null));
				json.put("enabled", p.enabled());
				json.put("lastUsedAt", p.lastUsedAt().map(Instant::toString).orElse(null));
				return json;
			}).toList());
			return;
		}
		all.forEach((p) -> out.println(p.id() + "  " + p.name() + (p.enabled() ? "" : "  DISABLED")
				+ p.custodianId().map((c) -> "  custodian " + c).orElse("") + "  last used "
				+ p.lastUsedAt().map(Instant::toString).orElse("never")));
	}

	private void grantCreate(CommandLine line, PrintStream out) {
		if (line.positionals().size() != 4) {
			throw new UsageException("usage: chatvault access grant create <principal> <role> [--scope SCOPE]");
		}
		Role role = Role.fromKey(line.positionals().get(3));
		GrantScope scope = line.option("scope").map(GrantScope::parse).orElseGet(() -> defaultScope(role));
		Optional<Instant> expires = line.option("expires").map(AccessCommand::instant);
		Grant grant = this.principals.grant(line.positionals().get(2), role, scope, expires, line.option("reason"),
				line.option("beyond-role"), admin(line));
		out.println("grant " + grant.id() + " created: " + grantLine(grant).trim());
	}

	private GrantScope defaultScope(Role role) {
		return switch (role) {
			case COMPLIANCE -> GrantScope.ALL;
			case AUDITOR, OPERATOR, ADMIN -> GrantScope.NONE;
			default -> throw new UsageException(
					"a" + (role == Role.EMPLOYEE ? "n " : " ") + role.key() + " grant needs --scope ("
							+ (role == Role.EMPLOYEE ? "custodian:<their custodian id>" : "group:<their group>") + ")");
		};
	}

	private void grantRevoke(CommandLine line, PrintStream out) {
		String id = positional(line, 2, "access grant revoke <grant id> --reason TEXT");
		long grantId;
		try {
			grantId = Long.parseLong(id);
		}
		catch (NumberFormatException ex) {
			throw new UsageException("'" + id + "' is not a grant id (a number, as access grant list shows)");
		}
		boolean revoked = this.principals.revokeGrant(grantId, required(line, "reason"), admin(line));
		out.println(revoked ? "grant " + grantId + " revoked" : "grant " + grantId + " was not live; nothing to do");
	}

	private void grantList(CommandLine line, PrintStream out) {
		admin(line);
		List<Grant> grants = this.principals.grants(line.option("principal"), line.flag("all"));
		if (line.json()) {
			JsonOutput.print(out, grants.stream().map(AccessCommand::grantJson).toList());
			return;
		}
		grants.forEach((grant) -> out.println(grantLine(grant)));
	}

	private void tokenCreate(CommandLine line, PrintStream out) {
		String principal = positional(line, 2, "access token create <principal> [--label TEXT] [--expires-in 30d]");
		Actor actor = selfOrAdmin(line, principal);
		IssuedToken token = this.principals.createToken(principal, line.option("label").orElse("personal"),
				line.option("expires-in").map(AccessCommand::duration), actor);
		printToken(line, out, token);
	}

	private void tokenRevoke(CommandLine line, PrintStream out) {
		String id = positional(line, 2, "access token revoke <token id> --reason TEXT");
		String owner = this.principals.token(id)
			.map(TokenInfo::principalId)
			.orElseThrow(() -> new UsageException("no token " + id + " (access token list shows them)"));
		boolean revoked = this.principals.revokeToken(id, required(line, "reason"), selfOrAdmin(line, owner));
		out.println(revoked ? "token " + id + " revoked" : "token " + id + " was not live; nothing to do");
	}

	private void tokenList(CommandLine line, PrintStream out) {
		Optional<String> principal = line.option("principal");
		if (principal.isPresent()) {
			selfOrAdmin(line, principal.get());
		}
		else {
			admin(line);
		}
		List<TokenInfo> tokens = this.principals.tokens(principal);
		if (line.json()) {
			JsonOutput.print(out, tokens.stream().map((t) -> {
				Map<String, Object> json = new LinkedHashMap<>();
				json.put("id", t.id());
				json.put("principal", t.principalId());
				json.put("label", t.label());
				json.put("createdAt", t.createdAt().toString());
				json.put("expiresAt", t.expiresAt().toString());
				json.put("lastUsedAt", t.lastUsedAt().map(Instant::toString).orElse(null));
				json.put("revokedAt", t.revokedAt().map(Instant::toString).orElse(null));
				return json;
			}).toList());
			return;
		}
		tokens.forEach((t) -> out.println(t.id() + "  " + t.principalId() + "  " + t.label() + "  expires "
				+ t.expiresAt() + t.revokedAt().map((r) -> "  REVOKED " + r).orElse("")));
	}

	private void printToken(CommandLine line, PrintStream out, IssuedToken token) {
		if (line.json()) {
			JsonOutput.print(out, Map.of("id", token.info().id(), "principal", token.info().principalId(), "token",
					token.secret(), "expiresAt", token.info().expiresAt().toString()));
			return;
		}
		out.println(token.secret());
		out.println("token " + token.info().id() + " for " + token.info().principalId() + ", expires "
				+ token.info().expiresAt() + ". It is shown only now: give it to its holder as CHATVAULT_TOKEN.");
	}

	private Actor admin(CommandLine line) {
		return Actor.of(this.access.authorize(Operation.ACCESS_ADMIN, ContentScope.NONE,
				"access " + String.join(" ", line.positionals())));
	}

	private Actor selfOrAdmin(CommandLine line, String principal) {
		Authorization.Authenticated who = this.access.whoami();
		if (who.principal().id().equals(principal)) {
			return new Actor(principal, "");
		}
		return admin(line);
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

	private static String positional(CommandLine line, int index, String usage) {
		if (line.positionals().size() != index + 1) {
			throw new UsageException("usage: chatvault " + usage);
		}
		return line.positionals().get(index);
	}

	private static String required(CommandLine line, String option) {
		return line.option(option)
			.filter((value) -> !value.isBlank())
			.orElseThrow(() -> new UsageException("--" + option + " is required"));
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
