package io.chatvault.retention;

import java.io.PrintStream;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chatvault.access.Actor;
import io.chatvault.access.CommandLineAccess;
import io.chatvault.access.ContentScope;
import io.chatvault.access.Operation;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.cli.CliCommand;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;
import io.chatvault.message.SourcePlatform;
import io.chatvault.vault.RetentionPolicies;
import io.chatvault.vault.RetentionPolicy;

import org.springframework.stereotype.Component;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chatvault retention set|list|remove}: retention policies per regulation,
 * assigned to custodian groups, custodians or sources. A record gets the longest covering
 * period, fixed when it is written. Changes need {@code retention.manage} (compliance)
 * and are audit-log entries ({@code retention.policy.set},
 * {@code retention.policy.remove}).
 */
@Component
@Command(name = "retention",
		description = { "Retention policies: how long records are kept, per regulation.", "",
				"A record is kept for the longest period of the policies covering its source, custodian",
				"or custodian group (else chatvault.vault.retention.default-period), fixed when written." },
		subcommands = { RetentionCommand.Set.class, RetentionCommand.ListPolicies.class,
				RetentionCommand.Remove.class },
		footer = { "", "Exit codes: 0 done, 2 invalid arguments, 11 access denied." })
class RetentionCommand implements CliCommand {

	private final RetentionPolicies policies;

	private final CommandLineAccess access;

	private final AuditLog audit;

	RetentionCommand(RetentionPolicies policies, CommandLineAccess access, AuditLog audit) {
		this.policies = policies;
		this.access = access;
		this.audit = audit;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		throw new UsageException("usage: chatvault retention <set|list|remove> ... (chatvault retention --help)");
	}

	private Actor authorize(String query) {
		return Actor.of(this.access.authorize(Operation.RETENTION_MANAGE, ContentScope.NONE, "retention " + query));
	}

	static Map<String, Object> json(RetentionPolicy policy) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("name", policy.name());
		map.put("regulation", policy.regulation());
		map.put("period", policy.period().toString());
		map.put("statutory", policy.statutory());
		map.put("sources", policy.sources());
		map.put("groups", policy.custodianGroups());
		map.put("custodians", policy.custodians());
		return map;
	}

	@Command(name = "set", mixinStandardHelpOptions = true,
			description = { "Add or replace a policy.", "",
					"--regulation sec-17a-4 | mifid-ii (7y), fca-cobs-11.8 (5y), hipaa | pdpa (6y) give the period;",
					"gdpr-minimal needs --period and is not statutory (erasure inside it is allowed).",
					"No --group, --custodian or --source: the policy covers everything." })
	static class Set implements CliCommand {

		@ParentCommand
		RetentionCommand parent;

		@Parameters(index = "0", paramLabel = "<name>", description = "The policy name.")
		String name;

		@Option(names = "--regulation", required = true, paramLabel = "KEY", description = "The regulation.")
		String regulation;

		@Option(names = "--period", paramLabel = "P7Y", description = "ISO-8601 period; default the regulation's.")
		String period;

		@Option(names = "--group", split = ",", paramLabel = "GROUP", description = "A custodian group covered.")
		List<String> groups = new ArrayList<>();

		@Option(names = "--custodian", split = ",", paramLabel = "ID", description = "A custodian covered.")
		List<String> custodians = new ArrayList<>();

		@Option(names = "--source", split = ",", paramLabel = "SOURCE",
				description = "A source covered (WHATSAPP_EXPORT, SLACK_EXPORT, ...).")
		List<String> sources = new ArrayList<>();

		@Override
		public ExitCode execute(PrintStream out) {
			Regulation known;
			try {
				known = Regulation.of(this.regulation);
			}
			catch (IllegalArgumentException ex) {
				throw new UsageException(ex.getMessage());
			}
			Period chosen;
			try {
				chosen = (this.period != null) ? Period.parse(this.period) : known.period()
					.orElseThrow(() -> new UsageException(known.key() + " fixes no period: give --period (P1Y, P90D)"));
			}
			catch (DateTimeParseException ex) {
				throw new UsageException("--period must be an ISO-8601 period such as P7Y, not '" + this.period + "'");
			}
			for (String source : this.sources) {
				try {
					SourcePlatform.valueOf(source);
				}
				catch (IllegalArgumentException ex) {
					throw new UsageException("unknown source " + source + " (one of "
							+ java.util.Arrays.toString(SourcePlatform.values()) + ")");
				}
			}
			RetentionPolicy policy;
			try {
				policy = new RetentionPolicy(this.name, known.title(), chosen, this.sources, this.groups,
						this.custodians, known.statutory());
			}
			catch (IllegalArgumentException ex) {
				throw new CommandException(ExitCode.USAGE, ex.getMessage());
			}
			Actor actor = this.parent.authorize("set " + this.name);
			this.parent.policies.save(policy);
			this.parent.audit.append(new AuditEvent(actor.id(), actor.role(), "retention.policy.set",
					"policy:" + this.name, "success", json(policy)));
			out.println("policy " + this.name + ": " + policy.regulation() + " " + policy.period()
					+ (policy.statutory() ? " (statutory)" : " (not statutory)"));
			return ExitCode.COMPLETED;
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List the policies.")
	static class ListPolicies implements CliCommand {

		@ParentCommand
		RetentionCommand parent;

		@Option(names = "--json", description = "One JSON array.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			this.parent.authorize("list");
			List<RetentionPolicy> all = this.parent.policies.policies();
			if (this.json) {
				JsonOutput.print(out, all.stream().map(RetentionCommand::json).toList());
			}
			else if (all.isEmpty()) {
				out.println("no retention policies: every record gets the default period");
			}
			else {
				for (RetentionPolicy policy : all) {
					out.println(policy.name() + "  " + policy.regulation() + "  " + policy.period()
							+ (policy.statutory() ? "  statutory" : "") + "  sources=" + all(policy.sources())
							+ "  groups=" + all(policy.custodianGroups()) + "  custodians=" + all(policy.custodians()));
				}
			}
			return ExitCode.COMPLETED;
		}

		private static String all(List<String> values) {
			return values.isEmpty() ? "*" : String.join(",", values);
		}

	}

	@Command(name = "remove", mixinStandardHelpOptions = true,
			description = "Remove a policy; what was written under it keeps its retain-until.")
	static class Remove implements CliCommand {

		@ParentCommand
		RetentionCommand parent;

		@Parameters(index = "0", paramLabel = "<name>", description = "The policy name.")
		String name;

		@Override
		public ExitCode execute(PrintStream out) {
			Actor actor = this.parent.authorize("remove " + this.name);
			if (!this.parent.policies.remove(this.name)) {
				throw new CommandException(ExitCode.USAGE, "no retention policy " + this.name);
			}
			this.parent.audit.append(new AuditEvent(actor.id(), actor.role(), "retention.policy.remove",
					"policy:" + this.name, "success", Map.of()));
			out.println("removed policy " + this.name);
			return ExitCode.COMPLETED;
		}

	}

}
