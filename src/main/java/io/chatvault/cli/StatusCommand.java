package io.chatvault.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code chatvault status}: what the archive holds, from every {@link StatusContributor}
 * (job counts from the job runner, archive figures from the vault).
 */
@Component
class StatusCommand implements Command {

	private final ObjectProvider<StatusContributor> contributors;

	StatusCommand(ObjectProvider<StatusContributor> contributors) {
		this.contributors = contributors;
	}

	@Override
	public String name() {
		return "status";
	}

	@Override
	public String summary() {
		return "what the archive holds: job counts and archive figures";
	}

	@Override
	public String help() {
		return """
				Usage: chatvault status [--json]

				Prints what the archive holds: job executions by status, running jobs, and the
				archive figures (messages, conversations, custodians, attachments, bytes stored,
				quarantined records). --json prints one JSON object with these keys at the top
				level, for monitoring.
				""";
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		Map<String, Object> figures = new LinkedHashMap<>();
		this.contributors.orderedStream().forEach((contributor) -> figures.putAll(contributor.figures()));
		if (line.json()) {
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
