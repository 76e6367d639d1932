package io.chatvault.access;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.chatvault.cli.Command;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.CommandLine;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;
import io.chatvault.message.Sha256;

import org.springframework.stereotype.Component;

/**
 * {@code chatvault custodian ...}: the custodian registry. Changes need an admin's token
 * and are audit-log entries; the logic is in {@link Custodians}.
 */
@Component
class CustodianCommand implements Command {

	private final Custodians custodians;

	private final CommandLineAccess access;

	CustodianCommand(Custodians custodians, CommandLineAccess access) {
		this.custodians = custodians;
		this.access = access;
	}

	@Override
	public String name() {
		return "custodian";
	}

	@Override
	public String summary() {
		return "the custodian registry: custodian <import|add|consent|depart|list|show> ...";
	}

	@Override
	public Set<String> valueOptions() {
		return Set.of("name", "group", "hr-id", "document", "file", "sha256", "version", "signed", "date");
	}

	@Override
	public String help() {
		return """
				Usage: chatvault custodian <subcommand> ... [--json]

				The employees whose chats are archived: their accounts on each platform, their
				group, whether they are still employed, their consent. Needs CHATVAULT_TOKEN of an
				admin; every change is in the audit log.

				  custodian import <file.csv>
				      columns id, name, group (required), hr_employee_id, status (active|departed),
				      departure_date, whatsapp, slack, teams (several separated by ;), consent_document,
				      consent_sha256, consent_version, consent_signed_on. Every row is checked first:
				      a file with a bad row imports nothing and lists each bad line.
				  custodian add <id> --name NAME --group GROUP [--hr-id ID]
				      [whatsapp=+4917...;...] [slack=U...] [teams=<guid>]
				      creates or updates a custodian (the accounts given replace the registered ones)
				  custodian consent <id> --document REF (--file PATH | --sha256 HEX) --version V --signed YYYY-MM-DD
				  custodian depart <id> --date YYYY-MM-DD
				      revokes every grant and token of the principals who are this employee at once,
				      and requests a last sync of their accounts; a later date is applied when it comes
				  custodian list [--group GROUP]
				  custodian show <id>

				Exit codes: 0 done, 2 invalid arguments or a bad file, 11 access denied.
				""";
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		List<String> args = line.positionals();
		String sub = args.isEmpty() ? "" : args.get(0);
		Actor admin = Actor.of(this.access.authorize(Operation.ACCESS_ADMIN, ContentScope.NONE,
				"custodian " + String.join(" ", args)));
		try {
			switch (sub) {
				case "import" -> importFile(line, out, admin);
				case "add" -> add(line, out, admin);
				case "consent" -> consent(line, out, admin);
				case "depart" -> depart(line, out, admin);
				case "list" -> list(line, out);
				case "show" -> show(line, out);
				default -> throw new UsageException(
						"usage: chatvault custodian <import|add|consent|depart|list|show> ... (chatvault custodian --help)");
			}
		}
		catch (IllegalArgumentException ex) {
			throw new CommandException(ExitCode.USAGE, ex.getMessage());
		}
		return ExitCode.COMPLETED;
	}

	private void importFile(CommandLine line, PrintStream out, Actor admin) {
		Path file = Path.of(positional(line, "custodian import <file.csv>"));
		if (!Files.isRegularFile(file)) {
			throw new UsageException("no file " + file);
		}
		Custodians.Import result = this.custodians.importFile(file, admin);
		if (!result.bad().isEmpty()) {
			result.bad().forEach((bad) -> out.println(file + ":" + bad.line() + ": " + bad.reason()));
			throw new CommandException(ExitCode.USAGE,
					result.bad().size() + " bad row(s) in " + file + "; nothing imported");
		}
		out.println("imported " + file + ": " + result.changes());
	}

	private void add(CommandLine line, PrintStream out, Actor admin) {
		String id = positional(line, "custodian add <id> --name NAME --group GROUP");
		List<CustodianAccount> accounts = new ArrayList<>();
		for (Map.Entry<String, String> parameter : line.parameters().entrySet()) {
			AccountPlatform platform = AccountPlatform.fromKey(parameter.getKey())
				.orElseThrow(() -> new UsageException(
						"unknown parameter " + parameter.getKey() + "; accounts are whatsapp=, slack=, teams="));
			for (String account : parameter.getValue().split(";")) {
				if (!account.isBlank()) {
					accounts.add(CustodianAccount.of(platform, account));
				}
			}
		}
		Optional<Custodian> current = this.custodians.find(id);
		Custodian custodian = new Custodian(id,
				line.option("name").or(() -> current.map(Custodian::name)).orElseThrow(() -> missing("name")),
				line.option("hr-id").or(() -> current.flatMap(Custodian::hrEmployeeId)),
				line.option("group").or(() -> current.map(Custodian::group)).orElseThrow(() -> missing("group")),
				current.map(Custodian::status).orElse(Custodian.Status.ACTIVE),
				current.flatMap(Custodian::departureDate), Optional.empty(),
				(accounts.isEmpty() && current.isPresent()) ? current.get().accounts() : accounts);
		Custodians.Change change = this.custodians.save(custodian, admin);
		out.println("custodian " + id + ": " + change.name().toLowerCase(java.util.Locale.ROOT));
	}

	private void consent(CommandLine line, PrintStream out, Actor admin) {
		String id = positional(line, "custodian consent <id> --document REF (--file PATH | --sha256 HEX) ...");
		String sha256 = line.option("sha256")
			.orElseGet(() -> line.option("file")
				.map(CustodianCommand::hash)
				.orElseThrow(() -> new UsageException("--file PATH or --sha256 HEX is required")));
		Consent consent = new Consent(required(line, "document"), sha256, required(line, "version"),
				date(required(line, "signed")));
		this.custodians.recordConsent(id, consent, admin);
		out.println("consent of " + id + " recorded: " + consent.document() + " version " + consent.version()
				+ ", signed " + consent.signedOn() + ", sha256 " + consent.sha256());
	}

	private void depart(CommandLine line, PrintStream out, Actor admin) {
		String id = positional(line, "custodian depart <id> --date YYYY-MM-DD");
		Custodians.Departure departure = this.custodians.depart(id, date(required(line, "date")), admin);
		out.println(departure.effective()
				? "custodian " + id + " departed on " + departure.date() + ": " + departure.revoked().grants()
						+ " grant(s) and " + departure.revoked().tokens() + " token(s) revoked, "
						+ departure.lastSyncRequests() + " last sync(s) requested"
				: "custodian " + id + " departs on " + departure.date() + "; access is revoked that day");
	}

	private void list(CommandLine line, PrintStream out) {
		List<Custodian> all = this.custodians.list(line.option("group"));
		if (line.json()) {
			JsonOutput.print(out, all.stream().map(CustodianCommand::json).toList());
			return;
		}
		all.forEach((c) -> out.println(c.id() + "  " + c.name() + "  group " + c.group() + "  " + c.status().key()
				+ c.departureDate().map((d) -> " " + d).orElse("") + "  consent "
				+ c.consent().map((k) -> k.version() + " " + k.signedOn()).orElse("MISSING") + "  "
				+ c.accounts().size() + " account(s)"));
	}

	private void show(CommandLine line, PrintStream out) {
		String id = positional(line, "custodian show <id>");
		Custodian custodian = this.custodians.find(id).orElseThrow(() -> new UsageException("no custodian " + id));
		if (line.json()) {
			JsonOutput.print(out, json(custodian));
			return;
		}
		json(custodian).forEach((key, value) -> out.println(key + ": " + value));
	}

	private static Map<String, Object> json(Custodian c) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", c.id());
		json.put("name", c.name());
		json.put("hrEmployeeId", c.hrEmployeeId().orElse(null));
		json.put("group", c.group());
		json.put("status", c.status().key());
		json.put("departureDate", c.departureDate().map(LocalDate::toString).orElse(null));
		json.put("accounts", c.accounts().stream().map(CustodianAccount::toString).toList());
		json.put("consent",
				c.consent()
					.map((k) -> Map.of("document", k.document(), "sha256", k.sha256(), "version", k.version(),
							"signedOn", k.signedOn().toString()))
					.orElse(null));
		return json;
	}

	private static String hash(String file) {
		try (InputStream in = Files.newInputStream(Path.of(file))) {
			return Sha256.hex(in).sha256();
		}
		catch (IOException ex) {
			throw new UsageException("cannot read " + file + ": " + ex.getMessage());
		}
	}

	private static LocalDate date(String text) {
		try {
			return LocalDate.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new UsageException("'" + text + "' is not a date (YYYY-MM-DD)");
		}
	}

	private static UsageException missing(String option) {
		return new UsageException("--" + option + " is required for a new custodian");
	}

	private static String positional(CommandLine line, String usage) {
		if (line.positionals().size() != 2) {
			throw new UsageException("usage: chatvault " + usage);
		}
		return line.positionals().get(1);
	}

	private static String required(CommandLine line, String option) {
		return line.option(option)
			.filter((value) -> !value.isBlank())
			.orElseThrow(() -> new UsageException("--" + option + " is required"));
	}

}
