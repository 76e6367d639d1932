package io.chatvault.retention;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.chatvault.access.Actor;
import io.chatvault.access.CommandLineAccess;
import io.chatvault.access.ContentScope;
import io.chatvault.access.Operation;
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
 * {@code chatvault hold create|list|release}: legal holds. Needs CHATVAULT_TOKEN of a
 * principal allowed {@code hold.manage} (compliance); every change is in the audit log.
 */
@Component
@Command(name = "hold",
		description = { "Legal holds: protect a custodian's records from disposition until released.", "",
				"create sets the object store's legal hold on every object holding a record in scope;",
				"release clears it where no other case holds. Needs CHATVAULT_TOKEN of compliance." },
		subcommands = { HoldCommand.Create.class, HoldCommand.ListHolds.class, HoldCommand.Release.class },
		footer = { "", "Exit codes: 0 done, 2 invalid arguments, 6 the object store refused, 11 access denied." })
class HoldCommand implements CliCommand {

	private final LegalHolds holds;

	private final CommandLineAccess access;

	HoldCommand(LegalHolds holds, CommandLineAccess access) {
		this.holds = holds;
		this.access = access;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		throw new UsageException("usage: chatvault hold <create|list|release> ... (chatvault hold --help)");
	}

	private Actor authorize(String query) {
		return Actor.of(this.access.authorize(Operation.HOLD_MANAGE, ContentScope.NONE, "hold " + query));
	}

	static Optional<Instant> day(String value, String option) {
		if (value == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(Instant.parse(value));
		}
		catch (DateTimeParseException ex) {
			try {
				return Optional.of(LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant());
			}
			catch (DateTimeParseException notADay) {
				throw new UsageException(option + " must be a day YYYY-MM-DD or an instant, not '" + value + "'");
			}
		}
	}

	static Map<String, Object> json(LegalHold hold) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("case", hold.caseName());
		map.put("custodians", hold.custodians());
		map.put("from", hold.from().map(Instant::toString).orElse(null));
		map.put("to", hold.to().map(Instant::toString).orElse(null));
		map.put("reason", hold.reason());
		map.put("createdAt", hold.createdAt().toString());
		map.put("createdBy", hold.createdBy());
		map.put("releasedAt", hold.releasedAt().map(Instant::toString).orElse(null));
		map.put("releasedBy", hold.releasedBy().orElse(null));
		map.put("objects", hold.objects());
		return map;
	}

	static String line(LegalHold hold) {
		return hold.caseName() + "  " + (hold.active() ? "active" : "released " + hold.releasedAt().get()) + "  "
				+ LegalHolds.describe(hold) + "  objects=" + hold.objects() + "  by " + hold.createdBy() + " at "
				+ hold.createdAt();
	}

	private static ExitCode run(Runnable work) {
		try {
			work.run();
			return ExitCode.COMPLETED;
		}
		catch (IllegalArgumentException ex) {
			throw new CommandException(ExitCode.USAGE, ex.getMessage());
		}
	}

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = { "Place a legal hold on custodians' records (sent in [--from, --to) when given).", "",
					"Placing the same case again reaches objects written since." })
	static class Create implements CliCommand {

		@ParentCommand
		HoldCommand parent;

		@Parameters(index = "0", paramLabel = "<case>", description = "The case name.")
		String caseName;

		@Option(names = "--custodian", required = true, split = ",", paramLabel = "ID",
				description = "A custodian in scope (repeat or separate by commas).")
		List<String> custodians = new ArrayList<>();

		@Option(names = "--from", paramLabel = "DAY", description = "Records sent on or after (YYYY-MM-DD or instant).")
		String from;

		@Option(names = "--to", paramLabel = "DAY", description = "Records sent before (YYYY-MM-DD or instant).")
		String to;

		@Option(names = "--reason", paramLabel = "TEXT", description = "Why (a matter, a ticket).")
		String reason;

		@Option(names = "--json", description = "The hold as one JSON object.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			Optional<Instant> start = day(this.from, "--from");
			Optional<Instant> end = day(this.to, "--to");
			Set<String> scope = new TreeSet<>(this.custodians);
			return run(() -> {
				LegalHold hold = this.parent.holds.create(this.caseName, scope, start, end, this.reason,
						this.parent.authorize("create " + this.caseName));
				if (this.json) {
					JsonOutput.print(out, json(hold));
				}
				else {
					out.println("held: " + line(hold));
				}
			});
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List the cases, newest first.")
	static class ListHolds implements CliCommand {

		@ParentCommand
		HoldCommand parent;

		@Option(names = "--json", description = "One JSON array.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			this.parent.authorize("list");
			List<LegalHold> holds = this.parent.holds.list();
			if (this.json) {
				JsonOutput.print(out, holds.stream().map(HoldCommand::json).toList());
			}
			else if (holds.isEmpty()) {
				out.println("no legal holds");
			}
			else {
				holds.forEach((hold) -> out.println(line(hold)));
			}
			return ExitCode.COMPLETED;
		}

	}

	@Command(name = "release", mixinStandardHelpOptions = true,
			description = "Release a case: clears the legal hold where no other live case holds the object.")
	static class Release implements CliCommand {

		@ParentCommand
		HoldCommand parent;

		@Parameters(index = "0", paramLabel = "<case>", description = "The case name.")
		String caseName;

		@Option(names = "--json", description = "The hold as one JSON object.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			return run(() -> {
				LegalHold hold = this.parent.holds.release(this.caseName,
						this.parent.authorize("release " + this.caseName));
				if (this.json) {
					JsonOutput.print(out, json(hold));
				}
				else {
					out.println("released: " + line(hold));
				}
			});
		}

	}

}
