package io.chatvault.retention;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chatvault.access.CommandLineAccess;
import io.chatvault.access.ContentScope;
import io.chatvault.access.Operation;
import io.chatvault.access.Actor;
import io.chatvault.cli.CliCommand;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;

import org.springframework.stereotype.Component;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chatvault erase --custodian ID | --conversation SOURCE:ID --reason TEXT}: GDPR
 * erasure by crypto-shredding (see {@link Erasure}). Needs {@code retention.manage}
 * (compliance); refused with the reason (exit 12) under a legal hold or inside a
 * statutory retention.
 */
@Component
@Command(name = "erase",
		description = { "Erase a custodian's or a conversation's data by destroying its data keys (GDPR).", "",
				"The write-once objects stay, unreadable; every reader then says the scope was erased.",
				"Refused with the reason under a legal hold or inside a statutory retention.",
				"Needs CHATVAULT_TOKEN of compliance." },
		mixinStandardHelpOptions = true,
		footer = { "", "Exit codes: 0 erased, 2 invalid arguments, 11 access denied, 12 refused by a hold or by law." })
class EraseCommand implements CliCommand {

	private final Erasure erasure;

	private final CommandLineAccess access;

	@ArgGroup(exclusive = true, multiplicity = "1")
	Target target;

	@Option(names = "--reason", required = true, paramLabel = "TEXT",
			description = "The request it fulfils (a ticket, the data subject's request).")
	String reason;

	@Option(names = "--json", description = "The result as one JSON object.")
	boolean json;

	EraseCommand(Erasure erasure, CommandLineAccess access) {
		this.erasure = erasure;
		this.access = access;
	}

	static class Target {

		@Option(names = "--custodian", paramLabel = "ID", description = "Every key of the custodian.")
		String custodian;

		@Option(names = "--conversation", paramLabel = "SOURCE:ID",
				description = "Every custodian's copy of a conversation (SLACK_EXPORT:C024BE91L).")
		String conversation;

	}

	@Override
	public ExitCode execute(PrintStream out) {
		Erasure.Scope scope;
		if (this.target.custodian != null) {
			scope = Erasure.Scope.custodian(this.target.custodian);
		}
		else {
			int colon = this.target.conversation.indexOf(':');
			if (colon <= 0 || colon == this.target.conversation.length() - 1) {
				throw new UsageException("--conversation must be SOURCE:ID (SLACK_EXPORT:C024BE91L), not '"
						+ this.target.conversation + "'");
			}
			scope = Erasure.Scope.conversation(this.target.conversation.substring(0, colon),
					this.target.conversation.substring(colon + 1));
		}
		Actor actor = Actor
			.of(this.access.authorize(Operation.RETENTION_MANAGE, ContentScope.NONE, "erase " + scope.describe()));
		Erasure.Result result;
		try {
			result = this.erasure.erase(scope, this.reason, actor);
		}
		catch (Erasure.Refused ex) {
			throw new CommandException(ExitCode.REFUSED_BY_POLICY, ex.getMessage());
		}
		if (this.json) {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("erasure", result.id());
			map.put("scope", scope.describe());
			map.put("keysDestroyed", result.keysDestroyed());
			map.put("records", result.records());
			JsonOutput.print(out, map);
		}
		else {
			out.println("erased " + scope.describe() + ": " + result.keysDestroyed().size() + " data key(s) destroyed, "
					+ result.records() + " record(s) can no longer be read (erasure " + result.id() + ")");
		}
		return ExitCode.COMPLETED;
	}

}
