package io.chatvault.audit;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import io.chatvault.cli.Command;
import io.chatvault.cli.CommandLine;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;

/**
 * {@code chatvault audit verify} and {@code chatvault audit log}: thin over
 * {@link AuditVerifier} and {@link AuditTrail}.
 */
@Component
class AuditCommand implements Command {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Set<String> LOG_OPTIONS = Set.of("actor", "action", "target", "since", "until", "limit",
			"after");

	private final AuditVerifier verifier;

	private final AuditTrail trail;

	private final AuditLog log;

	AuditCommand(AuditVerifier verifier, AuditTrail trail, AuditLog log) {
		this.verifier = verifier;
		this.trail = trail;
		this.log = log;
	}

	@Override
	public String name() {
		return "audit";
	}

	@Override
	public String summary() {
		return "verify the audit chain against its anchors, or read the audit log: audit verify | audit log";
	}

	@Override
	public String help() {
		return """
				Usage: chatvault audit verify [--json]
				       chatvault audit log [--actor A] [--action A] [--target T] [--since T] [--until T]
				                           [--limit N] [--after SEQUENCE] [--json]

				verify  Recomputes every entry's hash from the first, compares the chain with the
				        anchors in the write-once object store, and names the first entry that was
				        edited, deleted, inserted or reordered; entries cut off the end are caught
				        against the last anchor. Exit 0 when intact, 10 (integrity failure) when not.
				        The verification itself is recorded in the log (action audit.verify).

				log     Prints entries oldest first, streamed: sequence, time (UTC), actor (role),
				        action, target, outcome, details.
				  --actor A        only this actor (a principal id, job:<name>, os:<user>@<host>)
				  --action A       only this action; job.* for every action starting with "job."
				  --target T       only this target (execution:42, custodian:..., ...)
				  --since T        recorded at or after T: a date (2025-03-01, UTC) or an instant
				                   (2025-03-01T10:00:00Z)
				  --until T        recorded before T
				  --limit N        at most N entries
				  --after S        entries after sequence S (to page on from where the last call ended)
				  --json           a JSON array of entries, one per line

				Examples:
				  chatvault audit verify
				  chatvault audit log --action job.* --since 2025-03-01
				  chatvault audit log --actor alice --action content.read --json
				""";
	}

	@Override
	public Set<String> valueOptions() {
		return LOG_OPTIONS;
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		if (line.positionals().size() != 1 || !line.parameters().isEmpty()) {
			throw new UsageException(
					"usage: chatvault audit verify | chatvault audit log [options] (chatvault audit --help)");
		}
		return switch (line.positionals().get(0)) {
			case "verify" -> verify(line, out);
			case "log" -> log(line, out);
			default -> throw new UsageException("unknown audit command '" + line.positionals().get(0)
					+ "' (verify or log; chatvault audit --help)");
		};
	}

	private ExitCode verify(CommandLine line, PrintStream out) {
		rejectUnknown(line, Set.of());
		AuditVerification verification = this.verifier.verify();
		this.log.append(new AuditEvent(AuditActors.operator(), "", "audit.verify", "audit-log",
				verification.intact() ? "intact" : "broken",
				Map.of("entries", verification.entries(), "anchors", verification.anchors(), "findings",
						verification.findings().stream().map(AuditVerification.Finding::message).toList())));
		if (line.json()) {
			JsonOutput.print(out, json(verification));
		}
		else {
			print(verification, out);
		}
		return verification.intact() ? ExitCode.COMPLETED : ExitCode.INTEGRITY_FAILURE;
	}

	private static void print(AuditVerification verification, PrintStream out) {
		out.printf("Audit log: %,d entries; %,d anchors%s%n", verification.entries(), verification.anchors(),
				verification.lastAnchor()
					.map((anchor) -> " (last: anchor " + anchor.number() + ", " + anchor.objectKey() + ", entry "
							+ anchor.lastSequence() + ", written " + anchor.anchoredAt() + ")")
					.orElse(""));
		if (verification.intact()) {
			out.printf("Intact: entries 1-%d recompute and agree with every anchor", verification.entries());
			long unanchored = verification.unanchored();
			out.println((unanchored > 0) ? "; the newest " + unanchored
					+ " are not anchored yet (the next job run or daily anchor covers them)." : ".");
			return;
		}
		out.printf("BROKEN: %d finding(s); entries 1-%d verified before the first%n", verification.findings().size(),
				verification.verified());
		for (AuditVerification.Finding finding : verification.findings()) {
			out.println("  " + finding.kind() + ": " + finding.message());
		}
	}

	private static Map<String, Object> json(AuditVerification verification) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("intact", verification.intact());
		json.put("entries", verification.entries());
		json.put("verified", verification.verified());
		json.put("anchors", verification.anchors());
		verification.lastAnchor().ifPresent((anchor) -> {
			Map<String, Object> last = new LinkedHashMap<>();
			last.put("number", anchor.number());
			last.put("objectKey", anchor.objectKey());
			last.put("lastSequence", anchor.lastSequence());
			last.put("lastHash", anchor.lastHashHex());
			last.put("anchoredAt", anchor.anchoredAt().toString());
			json.put("lastAnchor", last);
		});
		json.put("unanchored", verification.unanchored());
		json.put("findings", verification.findings().stream().map((finding) -> {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("kind", finding.kind().name());
			item.put("sequence", finding.sequence());
			item.put("message", finding.message());
			return item;
		}).toList());
		return json;
	}

	private ExitCode log(CommandLine line, PrintStream out) {
		rejectUnknown(line, LOG_OPTIONS);
		AuditFilter filter = new AuditFilter(line.option("actor"), line.option("action"), line.option("target"),
				line.option("since").map((value) -> instant("--since", value)),
				line.option("until").map((value) -> instant("--until", value)),
				line.option("after").map((value) -> number("--after", value, 0)).orElse(0L),
				line.option("limit").map((value) -> number("--limit", value, 1)).orElse(0L));
		if (line.json()) {
			AtomicBoolean first = new AtomicBoolean(true);
			out.println("[");
			this.trail.forEach(filter, (entry) -> {
				out.print(first.getAndSet(false) ? "" : ",\n");
				out.print(JSON.writeValueAsString(toJson(entry)));
			});
			out.println(first.get() ? "]" : "\n]");
		}
		else {
			long count = this.trail.forEach(filter, (entry) -> out.println(line(entry)));
			if (count == 0) {
				out.println("No audit entries match.");
			}
		}
		return ExitCode.COMPLETED;
	}

	private static String line(AuditEntry entry) {
		AuditEvent event = entry.event();
		String actor = event.role().isEmpty() ? event.actor() : event.actor() + " (" + event.role() + ")";
		return String.join("  ", Long.toString(entry.sequence()), entry.recordedAt().toString(), actor, event.action(),
				event.target().isEmpty() ? "-" : event.target(), event.outcome(),
				AuditChain.canonicalDetails(event.details()));
	}

	private static Map<String, Object> toJson(AuditEntry entry) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("sequence", entry.sequence());
		json.put("recordedAt", entry.recordedAt().toString());
		json.put("actor", entry.event().actor());
		json.put("role", entry.event().role());
		json.put("action", entry.event().action());
		json.put("target", entry.event().target());
		json.put("outcome", entry.event().outcome());
		json.put("details", entry.event().details());
		json.put("hash", entry.hashHex());
		return json;
	}

	private static Instant instant(String option, String value) {
		try {
			if (value.length() == 10) {
				return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
			}
			return OffsetDateTime.parse(value).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new UsageException(
					option + " needs a date (2025-03-01) or an instant (2025-03-01T10:00:00Z), not '" + value + "'");
		}
	}

	private static long number(String option, String value, long minimum) {
		try {
			long number = Long.parseLong(value);
			if (number >= minimum) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new UsageException(option + " needs a whole number of at least " + minimum + ", not '" + value + "'");
	}

	private static void rejectUnknown(CommandLine line, Set<String> options) {
		line.flags().stream().filter((flag) -> !"json".equals(flag)).findFirst().ifPresent((flag) -> {
			throw new UsageException("unknown option --" + flag + " (chatvault audit --help)");
		});
		Optional<String> unknown = line.options().keySet().stream().filter((o) -> !options.contains(o)).findFirst();
		unknown.ifPresent((option) -> {
			throw new UsageException("unknown option --" + option + " (chatvault audit --help)");
		});
	}

}
