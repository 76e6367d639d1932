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

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;
import io.chatvault.message.Sha256;

import org.springframework.stereotype.Component;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chatvault custodian ...}: the custodian registry. Changes need an admin's token
 * and are audit-log entries; the logic is in {@link Custodians}.
 */
@Component
@Command(name = "custodian",
		description = { "The custodian registry: the employees whose chats are archived.", "",
				"Their accounts on each platform, their group, whether they are still employed, their",
				"consent. Needs CHATVAULT_TOKEN of an admin; every change is in the audit log." },
		subcommands = { CustodianCommand.Import.class, CustodianCommand.Add.class, CustodianCommand.RecordConsent.class,
				CustodianCommand.Depart.class, CustodianCommand.ListCustodians.class, CustodianCommand.Show.class },
		footer = { "", "Exit codes: 0 done, 2 invalid arguments or a bad file, 11 access denied." })
class CustodianCommand implements CliCommand {

	private final Custodians custodians;

	private final CommandLineAccess access;

	CustodianCommand(Custodians custodians, CommandLineAccess access) {
		this.custodians = custodians;
		this.access = access;
	}

	@Override
	public boolean needsDatabase() {
		return false;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		throw new UsageException(
				"usage: chatvault custodian <import|add|consent|depart|list|show> ... (chatvault custodian --help)");
	}

	private Actor admin(String command) {
		return Actor.of(this.access.authorize(Operation.ACCESS_ADMIN, ContentScope.NONE, "custodian " + command));
	}

	@Command(name = "import", mixinStandardHelpOptions = true,
			description = { "Import a registry CSV file, all or nothing.", "",
					"Columns id, name, group (required), hr_employee_id, status (active|departed), departure_date,",
					"whatsapp, slack, teams (several separated by ;), consent_document, consent_sha256,",
					"consent_version, consent_signed_on. Every row is checked first: a file with a bad row",
					"imports nothing and lists each bad line." })
	static class Import implements CliCommand {

		@ParentCommand
		CustodianCommand parent;

		@Parameters(index = "0", paramLabel = "<file.csv>", description = "The registry file.")
		Path file;

		@Override
		public ExitCode execute(PrintStream out) {
			if (!Files.isRegularFile(this.file)) {
				throw new UsageException("no file " + this.file);
			}
			return AccessCommand.done(() -> {
				Custodians.Import result = this.parent.custodians.importFile(this.file,
						this.parent.admin("import " + this.file));
				if (!result.bad().isEmpty()) {
					result.bad().forEach((bad) -> out.println(this.file + ":" + bad.line() + ": " + bad.reason()));
					throw new CommandException(ExitCode.USAGE,
							result.bad().size() + " bad row(s) in " + this.file + "; nothing imported");
				}
				out.println("imported " + this.file + ": " + result.changes());
			});
		}

	}

	@Command(name = "add", mixinStandardHelpOptions = true,
			description = { "Create or update a custodian.", "",
					"Accounts as whatsapp=+4917...;+4915... slack=U... teams=<guid>: those given replace the",
					"registered ones; none given keeps them." })
	static class Add implements CliCommand {

		@ParentCommand
		CustodianCommand parent;

		@Parameters(index = "0", paramLabel = "<id>", description = "The custodian id.")
		String id;

		@Parameters(index = "1..*", paramLabel = "platform=accounts", description = "whatsapp=, slack=, teams=.")
		Map<String, String> accounts = new LinkedHashMap<>();

		@Option(names = "--name", paramLabel = "NAME", description = "The person's name (required when new).")
		String name;

		@Option(names = "--group", paramLabel = "GROUP", description = "The custodian group (required when new).")
		String group;

		@Option(names = "--hr-id", paramLabel = "ID", description = "The HR employee id.")
		String hrId;

		@Override
		public ExitCode execute(PrintStream out) {
			return AccessCommand.done(() -> {
				List<CustodianAccount> given = new ArrayList<>();
				for (Map.Entry<String, String> parameter : this.accounts.entrySet()) {
					AccountPlatform platform = AccountPlatform.fromKey(parameter.getKey())
						.orElseThrow(() -> new UsageException("unknown parameter " + parameter.getKey()
								+ "; accounts are whatsapp=, slack=, teams="));
					for (String account : parameter.getValue().split(";")) {
						if (!account.isBlank()) {
							given.add(CustodianAccount.of(platform, account));
						}
					}
				}
				Actor admin = this.parent.admin("add " + this.id);
				Optional<Custodian> current = this.parent.custodians.find(this.id);
				Custodian custodian = new Custodian(this.id,
						Optional.ofNullable(this.name)
							.or(() -> current.map(Custodian::name))
							.orElseThrow(() -> missing("name")),
						Optional.ofNullable(this.hrId).or(() -> current.flatMap(Custodian::hrEmployeeId)),
						Optional.ofNullable(this.group)
							.or(() -> current.map(Custodian::group))
							.orElseThrow(() -> missing("group")),
						current.map(Custodian::status).orElse(Custodian.Status.ACTIVE),
						current.flatMap(Custodian::departureDate), Optional.empty(),
						(given.isEmpty() && current.isPresent()) ? current.get().accounts() : given);
				Custodians.Change change = this.parent.custodians.save(custodian, admin);
				out.println("custodian " + this.id + ": " + change.name().toLowerCase(java.util.Locale.ROOT));
			});
		}

	}

	@Command(name = "consent", mixinStandardHelpOptions = true, description = "Record a custodian's signed consent.")
	static class RecordConsent implements CliCommand {

		@ParentCommand
		CustodianCommand parent;

		@Parameters(index = "0", paramLabel = "<id>", description = "The custodian id.")
		String id;

		@Option(names = "--document", required = true, paramLabel = "REF",
				description = "The signed document's reference in the document store.")
		String document;

		@Option(names = "--file", paramLabel = "PATH", description = "The signed document, to hash.")
		Path file;

		@Option(names = "--sha256", paramLabel = "HEX", description = "The document's SHA-256, if not --file.")
		String sha256;

		@Option(names = "--version", required = true, paramLabel = "V", description = "The consent text's version.")
		String version;

		@Option(names = "--signed", required = true, paramLabel = "DATE", description = "The day it was signed.")
		String signed;

		@Override
		public ExitCode execute(PrintStream out) {
			return AccessCommand.done(() -> {
				String hash = Optional.ofNullable(this.sha256)
					.or(() -> Optional.ofNullable(this.file).map(CustodianCommand::hash))
					.orElseThrow(() -> new UsageException("--file PATH or --sha256 HEX is required"));
				Consent consent = new Consent(this.document, hash, this.version, date(this.signed));
				this.parent.custodians.recordConsent(this.id, consent, this.parent.admin("consent " + this.id));
				out.println("consent of " + this.id + " recorded: " + consent.document() + " version "
						+ consent.version() + ", signed " + consent.signedOn() + ", sha256 " + consent.sha256());
			});
		}

	}

	@Command(name = "depart", mixinStandardHelpOptions = true,
			description = { "Record that a custodian leaves.", "",
					"From that day every grant and token of the principals who are this employee is revoked at",
					"once and a last sync of their accounts requested; a later date is applied when it comes",
					"(by the hourly hr-sync)." })
	static class Depart implements CliCommand {

		@ParentCommand
		CustodianCommand parent;

		@Parameters(index = "0", paramLabel = "<id>", description = "The custodian id.")
		String id;

		@Option(names = "--date", required = true, paramLabel = "DATE",
				description = "The first day they no longer work here (YYYY-MM-DD).")
		String date;

		@Override
		public ExitCode execute(PrintStream out) {
			return AccessCommand.done(() -> {
				Custodians.Departure departure = this.parent.custodians.depart(this.id, date(this.date),
						this.parent.admin("depart " + this.id));
				out.println(departure.effective()
						? "custodian " + this.id + " departed on " + departure.date() + ": "
								+ departure.revoked().grants() + " grant(s) and " + departure.revoked().tokens()
								+ " token(s) revoked, " + departure.lastSyncRequests() + " last sync(s) requested"
						: "custodian " + this.id + " departs on " + departure.date() + "; access is revoked that day");
			});
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List the registry.")
	static class ListCustodians implements CliCommand {

		@ParentCommand
		CustodianCommand parent;

		@Option(names = "--group", paramLabel = "GROUP", description = "One group.")
		String group;

		@Option(names = "--json", description = "As one JSON array.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			return AccessCommand.done(() -> {
				this.parent.admin("list");
				List<Custodian> all = this.parent.custodians.list(Optional.ofNullable(this.group));
				if (this.json) {
					JsonOutput.print(out, all.stream().map(CustodianCommand::json).toList());
					return;
				}
				all.forEach((c) -> out.println(c.id() + "  " + c.name() + "  group " + c.group() + "  "
						+ c.status().name().toLowerCase(java.util.Locale.ROOT)
						+ c.departureDate().map((d) -> " " + d).orElse("") + "  consent "
						+ c.consent().map((k) -> k.version() + " " + k.signedOn()).orElse("MISSING") + "  "
						+ c.accounts().size() + " account(s)"));
			});
		}

	}

	@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one custodian.")
	static class Show implements CliCommand {

		@ParentCommand
		CustodianCommand parent;

		@Parameters(index = "0", paramLabel = "<id>", description = "The custodian id.")
		String id;

		@Option(names = "--json", description = "As one JSON object.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			return AccessCommand.done(() -> {
				this.parent.admin("show " + this.id);
				Custodian custodian = this.parent.custodians.find(this.id)
					.orElseThrow(() -> new UsageException("no custodian " + this.id));
				if (this.json) {
					JsonOutput.print(out, json(custodian));
				}
				else {
					json(custodian).forEach((key, value) -> out.println(key + ": " + value));
				}
			});
		}

	}

	private static Map<String, Object> json(Custodian c) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", c.id());
		json.put("name", c.name());
		json.put("hrEmployeeId", c.hrEmployeeId().orElse(null));
		json.put("group", c.group());
		json.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
		json.put("departureDate", c.departureDate().map(LocalDate::toString).orElse(null));
		json.put("accounts", c.accounts().stream().map(CustodianAccount::toString).toList());
		json.put("consent",
				c.consent()
					.map((k) -> Map.of("document", k.document(), "sha256", k.sha256(), "version", k.version(),
							"signedOn", k.signedOn().toString()))
					.orElse(null));
		return json;
	}

	private static String hash(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
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

}
