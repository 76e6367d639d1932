package io.chatvault.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code chatvault status}: what the archive holds, from every {@link StatusContributor}
 * (job counts from the job runner, archive figures from the vault).
 */
@Component
@Command(name = "status",
		description = { "What the archive holds: job counts and archive figures.", "",
				"Job executions by status, running jobs, and the archive figures: records by kind (messages,",
				"system events, edits, deletions, reactions, statuses), conversations, custodians,",
				"attachments, receipts, bytes stored, quarantined records." })
class StatusCommand implements CliCommand {

	@Option(names = "--json", description = "One JSON object with these keys at the top level, for monitoring.")
	boolean json;

	private final ObjectProvider<StatusContributor> contributors;

	StatusCommand(ObjectProvider<StatusContributor> contributors) {
		this.contributors = contributors;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		Map<String, Object> figures = new LinkedHashMap<>();
		this.contributors.orderedStream().forEach((contributor) -> figures.putAll(contributor.figures()));
		if (this.json) {
			JsonOutput.print(out, figures);
		}
		else {
			print(figures, "", out);
		}
		return ExitCode.COMPLETED;
	}

	private static void print(Map<?, ?> figures, String indent, PrintStream out) {
		figures.forEach((key, value) -> {
			if (value instanceof Map<?, ?> nested) {
				out.println(indent + label(key.toString()) + ":");
				print(nested, indent + "  ", out);
			}
			else {
				out.println(indent + label(key.toString()) + ": " + value);
			}
		});
	}

	/** {@code bytesStored} becomes "bytes stored". */
	private static String label(String key) {
		return key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
	}

}
