package io.chatvault.source;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;

import org.springframework.stereotype.Component;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chatvault inspect}: reads an export without archiving anything and says what an
 * archive run would find in it. Needs no database.
 */
@Component
@Command(name = "inspect",
		description = { "Read an export without archiving it: format, counts, participants, time span, quarantine.", "",
				"Reads an export (WhatsApp .txt/.zip, Slack .zip or directory, Teams Graph JSON, WhatsApp Cloud",
				"API webhook captures) without archiving anything and prints: the detected format and date",
				"order, the messages (authored, deleted ones included), the events (system lines and",
				"membership events), the changes reported as records of their own (edits, deletions,",
				"reactions, delivery statuses), the attachments (present, omitted, reference), the",
				"quarantined records, the conversations, the participants, the first and last timestamps",
				"(ISO-8601) and the first quarantined records with their reasons. Needs no database." },
		footer = { "", "Parameters:", "  format=auto         auto, whatsapp, slack, teams or whatsapp-cloud",
				"  zone=UTC            the custodian's zone for zone-less timestamps (WhatsApp exports)",
				"  custodian=NAME      the custodian whose export it is",
				"  date-order=auto     auto, day-first, month-first or year-first", "",
				"--json prints one JSON object with the keys format, dateOrder, messages, events, changes,",
				"attachments {present, omitted, reference}, quarantined, conversations, participants,",
				"first, last, notes, firstQuarantined.", "", "Example: chatvault inspect slack-export.zip --json" })
class InspectCommand implements CliCommand {

	@Parameters(index = "0", paramLabel = "<file-or-dir>", description = "The export to read.")
	Path input;

	@Parameters(index = "1..*", paramLabel = "key=value",
			description = "format=, zone=, custodian=, date-order= (below).")
	Map<String, String> parameters = new LinkedHashMap<>();

	@Option(names = "--show", paramLabel = "N", defaultValue = "10",
			description = "How many quarantined records to show with their reasons (default ${DEFAULT-VALUE}).")
	int show;

	@Option(names = "--json", description = "One JSON object (keys below).")
	boolean json;

	private static final Set<String> PARAMETERS = Set.of("format", "zone", "custodian", "date-order");

	private final ChatSources sources;

	InspectCommand(ChatSources sources) {
		this.sources = sources;
	}

	@Override
	public boolean needsDatabase() {
		return false;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		for (String key : this.parameters.keySet()) {
			if (!PARAMETERS.contains(key)) {
				throw new UsageException("unknown parameter '" + key + "'; expected one of " + PARAMETERS);
			}
		}
		Path input = this.input;
		if (this.show < 0) {
			throw new UsageException("--show needs a number of records, not '" + this.show + "'");
		}
		SourceOptions options = new SourceOptions(this.parameters.get("custodian"), zone(), dateOrder());
		ChatSource source = this.sources.choose(input, this.parameters.get("format"));
		SourceInspection.Result result;
		try (SourceReader reader = source.open(input, options)) {
			result = SourceInspection.inspect(reader, this.show);
		}
		catch (IOException ex) {
			throw new UsageException("cannot read " + input + " as " + source.format().key() + ": " + ex.getMessage());
		}
		catch (UncheckedIOException ex) {
			throw new UsageException(
					"cannot read " + input + " as " + source.format().key() + ": " + ex.getCause().getMessage());
		}
		Map<String, Object> report = result.report();
		if (this.json) {
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

	private ZoneId zone() {
		String zone = this.parameters.get("zone");
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

	private DateOrder dateOrder() {
		String order = this.parameters.get("date-order");
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

}
