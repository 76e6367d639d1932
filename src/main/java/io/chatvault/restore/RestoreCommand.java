package io.chatvault.restore;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.chatvault.access.Access;
import io.chatvault.access.AccessOutcome;
import io.chatvault.access.CommandLineAccess;
import io.chatvault.access.ContentScope;
import io.chatvault.access.Operation;
import io.chatvault.cli.CliCommand;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;
import io.chatvault.crypto.KeyUnavailableException;
import io.chatvault.vault.VaultIntegrityException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.springframework.stereotype.Component;

/**
 * {@code chatvault restore custodian=<id> [conversation=<id>] [from=<date>] [to=<date>]
 * --to
<dir>
}: a custodian's history (or a conversation, or a range of it) back into an empty
 * directory, authorized by the caller's token ({@code content.restore}) and recorded in
 * the access log with what was returned. See {@link Restorer}.
 */
@Component
@Command(name = "restore",
		description = { "Restores a custodian's history into an empty directory.", "",
				"Per conversation: the canonical records as JSON lines, the conversation states they",
				"name, a readable transcript in the conversation's zone (edits, deletions, reactions,",
				"attachments shown), the media, and the export files bit-exact (not with from= or to=,",
				"since a file holds every time); for the whole, SHA256SUMS (sha256sum -c checks it)",
				"and manifest.json with the counts. Needs a token (CHATVAULT_TOKEN) whose grants cover",
				"the custodian; the read is in the audit log (content.restore) with records and bytes." },
		footer = { "", "Parameters:", "  custodian=ID          the custodian (required)",
				"  conversation=ID       one conversation: its id, or <source>:<id>",
				"  from=YYYY-MM-DD       the first day restored (UTC), or an instant",
				"  to=YYYY-MM-DD         the last day restored (UTC, inclusive), or an instant (exclusive)", "",
				"Exit codes: 0 restored, 2 bad arguments or a target that is not empty,",
				"10 stored bytes that do not check out (the message names them), 11 access denied." })
class RestoreCommand implements CliCommand {

	private static final Set<String> KEYS = Set.of("custodian", "conversation", "from", "to");

	@Parameters(paramLabel = "key=value", description = "custodian=, conversation=, from=, to= (below).")
	List<String> parameters = List.of();

	@Option(names = "--to", required = true, paramLabel = "<dir>",
			description = "The directory to restore into: new, or empty.")
	Path target;

	@Option(names = "--json", description = "What was restored as one JSON object.")
	boolean json;

	private final Restorer restorer;

	private final CommandLineAccess access;

	RestoreCommand(Restorer restorer, CommandLineAccess access) {
		this.restorer = restorer;
		this.access = access;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		RestoreRequest request = request();
		Path target = this.target.toAbsolutePath().normalize();
		Restorer.refusal(target).ifPresent((reason) -> {
			throw new UsageException("restore refused: " + reason);
		});
		ContentScope scope = ContentScope.custodians(request.custodian())
			.between(request.from().orElse(null), request.to().orElse(null));
		if (request.conversation().isPresent()) {
			scope = scope.withConversations(request.conversation().get());
		}
		Access access = this.access.authorize(Operation.CONTENT_RESTORE, scope, query(target));
		RestoreResult result;
		try {
			result = this.restorer.restore(request, access::permits, target, false);
		}
		catch (RuntimeException ex) {
			long[] written = written(target);
			this.access.complete(access, AccessOutcome.failed(written[0], written[1], String.valueOf(ex.getMessage())));
			if (ex instanceof VaultIntegrityException) {
				throw new CommandException(ExitCode.INTEGRITY_FAILURE, "restore stopped: " + ex.getMessage(), ex);
			}
			if (ex instanceof KeyUnavailableException) {
				throw new CommandException(ExitCode.JOB_FAILED, "restore stopped: " + ex.getMessage(), ex);
			}
			throw ex;
		}
		this.access.complete(access, AccessOutcome.success(result.records(), result.bytes()));
		if (this.json) {
			Map<String, Object> document = new LinkedHashMap<>();
			document.put("custodian", request.custodian());
			document.put("target", target.toString());
			document.putAll(result.counts());
			JsonOutput.print(out, document);
		}
		else {
			out.printf(
					"restored custodian %s: %d conversation(s), %d record(s) %s, %d media file(s), "
							+ "%d export file(s); %d files, %d bytes in %s (manifest.json, SHA256SUMS)%n",
					request.custodian(), result.conversations(), result.records(), result.byKind(), result.mediaFiles(),
					result.originals(), result.files(), result.bytes(), target);
			if (result.erased() > 0 || result.erasedOriginals() > 0) {
				out.printf(
						"left out %d erased record(s) and %d erased export file(s) "
								+ "(GDPR erasure: their data keys were destroyed)%n",
						result.erased(), result.erasedOriginals());
			}
		}
		return ExitCode.COMPLETED;
	}

	private RestoreRequest request() {
		Map<String, String> given = new LinkedHashMap<>();
		for (String parameter : this.parameters) {
			int eq = parameter.indexOf('=');
			if (eq <= 0) {
				throw new UsageException("expected key=value, got '" + parameter + "'");
			}
			String key = parameter.substring(0, eq);
			if (!KEYS.contains(key)) {
				throw new UsageException(
						"unknown parameter " + key + "=; expected custodian=, conversation=, from=, to=");
			}
			if (given.put(key, parameter.substring(eq + 1)) != null) {
				throw new UsageException(key + "= given twice");
			}
		}
		String custodian = given.get("custodian");
		if (custodian == null || custodian.isBlank()) {
			throw new UsageException("custodian=<id> is required");
		}
		try {
			return new RestoreRequest(custodian, Optional.ofNullable(given.get("conversation")),
					Optional.ofNullable(given.get("from")).map((from) -> instant(from, false)),
					Optional.ofNullable(given.get("to")).map((to) -> instant(to, true)));
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException(ex.getMessage());
		}
	}

	/** A day (UTC; {@code to=} includes it) or an instant. */
	static Instant instant(String value, boolean end) {
		try {
			if (value.contains("T")) {
				return Instant.parse(value);
			}
			LocalDate day = LocalDate.parse(value);
			return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(
					"'" + value + "' is neither a day YYYY-MM-DD nor an instant such as 2025-03-01T10:00:00Z");
		}
	}

	private String query(Path target) {
		return "restore " + String.join(" ", this.parameters) + " --to " + target;
	}

	/**
	 * Records and bytes a failed restore left in the target, for its access-log entry.
	 */
	private static long[] written(Path target) {
		long[] written = new long[2];
		if (!Files.isDirectory(target)) {
			return written;
		}
		try (Stream<Path> files = Files.walk(target)) {
			files.filter(Files::isRegularFile).forEach((file) -> {
				try {
					written[1] += Files.size(file);
					if (file.getFileName().toString().equals(Restorer.RECORDS)) {
						try (Stream<String> lines = Files.lines(file)) {
							written[0] += lines.count();
						}
					}
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (IOException | UncheckedIOException ex) {
			// Best effort: the entry still says the restore failed and why.
		}
		return written;
	}

}
