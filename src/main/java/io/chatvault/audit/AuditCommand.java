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
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import io.chatvault.access.Access;
import io.chatvault.access.AccessOutcome;
import io.chatvault.access.CommandLineAccess;
import io.chatvault.access.ContentScope;
import io.chatvault.access.Operation;
import io.chatvault.cli.CliCommand;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;

/**
 * {@code chatvault audit verify} and {@code chatvault audit log}: thin over
 * {@link AuditVerifier} and {@link AuditTrail}, authorized through the access API
 * ({@link Operation#AUDIT_VERIFY}, {@link Operation#AUDIT_READ}: auditor and compliance;
 * any other caller is refused with exit 11 and an {@code access.denied} entry). The
 * subcommands reach the services through this bean, their parent.
 */
@Component
@Command(name = "audit", subcommands = { AuditCommand.Verify.class, AuditCommand.Log.class },
		description = { "Verify the audit chain against its anchors, or read the audit log.", "",
				"chatvault audit verify   recompute the chain and compare it with its anchors in the",
				"                         write-once store; exit 10 names the first entry changed",
				"chatvault audit log      read the log, oldest first, with filters" })
class AuditCommand implements CliCommand {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final AuditVerifier verifier;

	private final AuditTrail trail;

	private final AuditLog log;

	private final CommandLineAccess access;

	AuditCommand(AuditVerifier verifier, AuditTrail trail, AuditLog log, CommandLineAccess access) {
		this.verifier = verifier;
		this.trail = trail;
		this.log = log;
		this.access = access;
	}

	@Override
	public boolean needsDatabase() {
		return false;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		throw new UsageException(
				"usage: chatvault audit verify | chatvault audit log [options] (chatvault audit --help)");
	}

	/** {@code chatvault audit verify}. */
	@Command(name = "verify",
			description = { "Recompute the audit chain and compare it with its anchors in the write-once store.", "",
					"Walks the chain from the first entry, recomputes every hash from the entry before, and",
					"compares it with the hashes the anchors hold. The first entry that was edited, deleted,",
					"inserted or reordered is named, even when its editor recomputed every hash after it;",
					"entries cut off the end are caught against the last anchor. The verification itself is",
					"recorded in the log (action audit.verify)." },
			footer = { "", "Exit codes: 0 intact, 10 broken (the findings name the entries), 6 database or",
					"object store unavailable." })
	static class Verify implements CliCommand {

		@ParentCommand
		AuditCommand parent;

		@Option(names = "--json", description = "The verification as one JSON object.")
		boolean json;

		@Override
		public ExitCode execute(PrintStream out) {
			return this.parent.verify(this.json, out);
		}

	}

	/** {@code chatvault audit log}. */
	@Command(name = "log",
			description = { "Read the audit log, oldest first, streamed.", "",
					"Each entry: sequence, time (UTC), actor (role), action, target, outcome, details." },
			footer = { "", "Examples:", "  chatvault audit log --action 'job.*' --since 2025-03-01",
					"  chatvault audit log --actor alice --action content.read --json" })
	static class Log implements CliCommand {

		@ParentCommand
		AuditCommand parent;

		@Option(names = "--actor", paramLabel = "A",
				description = "Only this actor (a principal id, job:<name>, os:<user>@<host>).")
		String actor;

		@Option(names = "--action", paramLabel = "A",
				description = "Only this action; job.* for every action starting with \"job.\".")
		String action;

		@Option(names = "--target", paramLabel = "T", description = "Only this target (execution:42, ...).")
		String target;

		@Option(names = "--since", paramLabel = "T",
				description = "Recorded at or after T: a date (2025-03-01, UTC) or an instant (2025-03-01T10:00:00Z).")
		String since;

		@Option(names = "--until", paramLabel = "T", description = "Recorded before T.")
		String until;

		@Option(names = "--limit", paramLabel = "N", description = "At most N entries.")
		Long limit;

		@Option(names = "--after", paramLabel = "S",
				description = "Entries after sequence S (to continue where the last call ended).")
		Long after;

		@Option(names = "--json", description = "A JSON array of entries, one per line.")
		boolean json;

		/** The request as typed, for the access log. */
		private String query() {
			StringBuilder query = new StringBuilder("audit log");
			java.util.function.BiConsumer<String, Object> option = (name, value) -> {
				if (value != null) {
					query.append(' ').append(name).append(' ').append(value);
				}
			};
			option.accept("--actor", this.actor);
			option.accept("--action", this.action);
			option.accept("--target", this.target);
			option.accept("--since", this.since);
			option.accept("--until", this.until);
			option.accept("--limit", this.limit);
			option.accept("--after", this.after);
			return this.json ? query.append(" --json").toString() : query.toString();
		}

		@Override
		public ExitCode execute(PrintStream out) {
			if (this.limit != null && this.limit < 1) {
				throw new UsageException("--limit needs a whole number of at least 1, not '" + this.limit + "'");
			}
			if (this.after != null && this.after < 0) {
				throw new UsageException("--after needs a sequence of at least 0, not '" + this.after + "'");
			}
			AuditFilter filter = new AuditFilter(Optional.ofNullable(this.actor), Optional.ofNullable(this.action),
					Optional.ofNullable(this.target),
					Optional.ofNullable(this.since).map((value) -> instant("--since", value)),
					Optional.ofNullable(this.until).map((value) -> instant("--until", value)),
					(this.after != null) ? this.after : 0, (this.limit != null) ? this.limit : 0);
			return this.parent.log(filter, this.json, out, query());
		}

	}

	ExitCode verify(boolean json, PrintStream out) {
		// The chain is verified as it stood when the command started, before the decision
		// below adds to it; nothing is shown to a caller who is refused.
		AuditVerification verification = this.verifier.verify();
		Access access = this.access.authorize(Operation.AUDIT_VERIFY, ContentScope.NONE,
				"audit verify" + (json ? " --json" : ""));
		this.log.append(new AuditEvent(access.principalId(), access.role(), "audit.verify", "audit-log",
				verification.intact() ? "intact" : "broken",
				Map.of("entries", verification.entries(), "anchors", verification.anchors(), "findings",
						verification.findings().stream().map(AuditVerification.Finding::message).toList(), "tokenId",
						access.tokenId(), "client", access.client())));
		if (json) {
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

	ExitCode log(AuditFilter filter, boolean json, PrintStream out, String query) {
		Access access = this.access.authorize(Operation.AUDIT_READ, ContentScope.NONE, query);
		long[] bytes = { 0 };
		long count = 0;
		try {
			if (json) {
				AtomicBoolean first = new AtomicBoolean(true);
				out.println("[");
				count = this.trail.forEach(filter, (entry) -> {
					String text = JSON.writeValueAsString(toJson(entry));
					bytes[0] += text.length();
					out.print(first.getAndSet(false) ? "" : ",\n");
					out.print(text);
				});
				out.println(first.get() ? "]" : "\n]");
			}
			else {
				count = this.trail.forEach(filter, (entry) -> {
					String text = line(entry);
					bytes[0] += text.length();
					out.println(text);
				});
				if (count == 0) {
					out.println("No audit entries match.");
				}
			}
		}
		catch (RuntimeException ex) {
			this.access.complete(access, AccessOutcome.failed(count, bytes[0], ex.getMessage()));
			throw ex;
		}
		this.access.complete(access, AccessOutcome.success(count, bytes[0]));
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

}
