package io.chatvault.source;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.chatvault.cli.Command;
import io.chatvault.cli.CommandLine;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;

import org.springframework.stereotype.Component;

/**
 * {@code chatvault inspect}: reads an export without archiving anything and says what an
 * archive run would find in it. Needs no database.
 */
@Component
class InspectCommand implements Command {

	private static final Set<String> PARAMETERS = Set.of("format", "zone", "custodian", "date-order");

	private final ChatSources sources;

	InspectCommand(ChatSources sources) {
		this.sources = sources;
	}

	@Override
	public String name() {
		return "inspect";
	}

	@Override
	public String summary() {
		return "read an export without archiving it: format, counts, participants, time span, quarantine";
	}

	@Override
	public String help() {
		return """
				Usage: chatvault inspect <file-or-dir> [--json] [--show N] [format=auto|whatsapp|slack|teams|whatsapp-cloud]
				                         [zone=Europe/Berlin] [custodian=NAME] [date-order=auto|day-first|month-first|year-first]

				Reads an export (WhatsApp .txt/.zip, Slack .zip or directory, Teams Graph JSON, WhatsApp
				Cloud API webhook captures) without archiving anything and prints: the detected format
				and date order, the messages (authored, deleted ones included), the events (system lines
				and membership events), the changes reported as records of their own (edits, deletions,
				reactions, delivery statuses), the attachments (present, omitted, reference), the
				quarantined records, the conversations, the participants, the first and last timestamps
				(ISO-8601) and the first quarantined records with their reasons (--show N, default 10).

				zone= is the custodian's zone for zone-less timestamps (WhatsApp exports), default UTC.
				--json prints one JSON object with the keys format, dateOrder, messages, events, changes,
				attachments {present, omitted, reference}, quarantined, conversations, participants,
				first, last, notes, firstQuarantined.

				Example: chatvault inspect slack-export.zip --json
				""";
	}

	@Override
	public Set<String> valueOptions() {
		return Set.of("show");
	}

	@Override
	public boolean needsDatabase() {
		return false;
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		if (line.positionals().size() != 1) {
			throw new UsageException("inspect needs exactly one file or directory (chatvault inspect --help)");
		}
		for (String key : line.parameters().keySet()) {
			if (!PARAMETERS.contains(key)) {
				throw new UsageException("unknown parameter '" + key + "'; expected one of " + PARAMETERS);
			}
		}
		Path input = Path.of(line.positionals().get(0));
		SourceOptions options = new SourceOptions(line.parameters().get("custodian"), zone(line), dateOrder(line));
		int show = show(line);
		ChatSource source = this.sources.choose(input, line.parameters().get("format"));
		SourceInspection.Result result;
		try (SourceReader reader = source.open(input, options)) {
			result = SourceInspection.inspect(reader, show);
		}
		catch (IOException ex) {
			throw new UsageException("cannot read " + input + " as " + source.format().key() + ": " + ex.getMessage());
		}
		catch (UncheckedIOException ex) {
			throw new UsageException(
					"cannot read " + input + " as " + source.format().key() + ": " + ex.getCause().getMessage());
		}
		Map<String, Object> report = result.report();
		if (line.json()) {
			JsonOutput.print(out, report);
		}
		else {
			printText(report, out);
		}
		return ExitCode.COMPLETED;
	}

	@SuppressWarnings("unchecked")
	private static void printText(Map<String, Object> report, PrintStream out) {
		Map<String, Object> changes = (Map<String, Object>) report.get("changes");
		Map<String, Object> attachments = (Map<String, Object>) report.get("attachments");
		List<String> participants = (List<String>) report.get("participants");
		out.println("format:        " + report.get("format"));
		out.println(
				"date order:    " + ((report.get("dateOrder") != null) ? report.get("dateOrder") : "not applicable"));
		out.println("messages:      " + report.get("messages"));
		out.println("events:        " + report.get("events"));
		out.println("changes:       " + changes.get("edits") + " edits, " + changes.get("deletions") + " deletions, "
				+ changes.get("reactions") + " reactions, " + changes.get("statuses") + " statuses");
		out.println("attachments:   " + attachments.get("present") + " present, " + attachments.get("omitted")
				+ " omitted, " + attachments.get("reference") + " references");
		out.println("quarantined:   " + report.get("quarantined"));
		out.println("conversations: " + report.get("conversations"));
		out.println("participants:  " + participants.size()
				+ (participants.isEmpty() ? ""
						: " (" + String.join(", ", participants.subList(0, Math.min(20, participants.size())))
								+ ((participants.size() > 20) ? ", …" : "") + ")"));
		out.println("first:         " + ((report.get("first") != null) ? report.get("first") : "-"));
		out.println("last:          " + ((report.get("last") != null) ? report.get("last") : "-"));
		for (Object note : (List<Object>) report.get("notes")) {
			out.println("note:          " + note);
		}
		for (Object shown : (List<Object>) report.get("firstQuarantined")) {
			Map<String, Object> quarantined = (Map<String, Object>) shown;
			out.println("quarantined:   " + quarantined.get("at") + ": " + quarantined.get("reason"));
		}
	}

	private static ZoneId zone(CommandLine line) {
		String zone = line.parameters().get("zone");
		if (zone == null) {
			return null;
		}
		try {
			return ZoneId.of(zone);
		}
		catch (DateTimeException ex) {
			throw new UsageException("unknown zone '" + zone + "' (an IANA zone such as Europe/Berlin)");
		}
	}

	private static DateOrder dateOrder(CommandLine line) {
		String order = line.parameters().get("date-order");
		if (order == null) {
			return DateOrder.AUTO;
		}
		try {
			return DateOrder.valueOf(order.toUpperCase(Locale.ROOT).replace('-', '_'));
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException(
					"unknown date-order '" + order + "'; expected auto, day-first, month-first or year-first");
		}
	}

	private static int show(CommandLine line) {
		String show = line.option("show").orElse("10");
		try {
			int value = Integer.parseInt(show);
			if (value < 0) {
				throw new NumberFormatException();
			}
			return value;
		}
		catch (NumberFormatException ex) {
			throw new UsageException("--show needs a number of records, not '" + show + "'");
		}
	}

}
