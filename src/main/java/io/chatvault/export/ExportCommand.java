package io.chatvault.export;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
import io.chatvault.search.Search;
import io.chatvault.search.SearchQuery;
import io.chatvault.vault.VaultIntegrityException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.springframework.stereotype.Component;

/**
 * {@code chatvault export <directory>}: a search's hits or a scope as RSMF, EML and a CSV
 * load file with the media originals and a SHA-256 manifest (see
 * {@link RegulatorExport}), authorized and audited as {@code content.export}.
 */
@Component
@Command(name = "export",
		description = { "Exports a search's hits or a scope for a regulator or a review platform.", "",
				"Writes RSMF 2.0 files per conversation (at most 10,000 events and under 2 GB each), one EML",
				"per message, a CSV load file, the attachments' original bytes, and manifest.json and",
				"manifest.sha256 with every file's SHA-256; with --recipient-key every file is encrypted to",
				"that OpenPGP public key. No size cap, nothing expires. Needs a token whose grants allow",
				"content.export; records of custodians outside them are left out. Audited." },
		footer = { "", "Examples:",
				"  chatvault export /exports/fca-2025-17 --query contract --from 2024-01-01 --to 2025-01-01",
				"  chatvault export /exports/alice --custodian alice --recipient-key regulator.asc", "",
				"Exit codes: 0 exported, 2 bad option or non-empty directory, 10 a record failed verification,",
				"11 access denied." })
class ExportCommand implements CliCommand {

	@Parameters(index = "0", paramLabel = "directory", description = "A new or empty directory to write to.")
	Path directory;

	@Option(names = "--query", paramLabel = "QUERY",
			description = "Export the hits of this search (as chatvault search takes it); without: the whole scope.")
	String query;

	@Option(names = "--custodian", paramLabel = "ID", description = "Only this custodian's records (repeatable).")
	List<String> custodians = new ArrayList<>();

	@Option(names = "--conversation", paramLabel = "SOURCE:ID", description = "Only this conversation (repeatable).")
	List<String> conversations = new ArrayList<>();

	@Option(names = "--source", paramLabel = "SOURCE", description = "Only this source platform (repeatable).")
	List<String> sources = new ArrayList<>();

	@Option(names = "--kind", paramLabel = "KIND", description = "Only records of this kind (repeatable).")
	List<String> kinds = new ArrayList<>();

	@Option(names = "--from", paramLabel = "DATE", description = "Sent on or after (YYYY-MM-DD, UTC, or an instant).")
	String from;

	@Option(names = "--to", paramLabel = "DATE", description = "Sent before (YYYY-MM-DD, UTC, or an instant).")
	String to;

	@Option(names = "--format", paramLabel = "FORMAT", split = ",",
			description = "rsmf, eml, csv (default: all three).")
	List<String> formats = new ArrayList<>();

	@Option(names = "--recipient-key", paramLabel = "FILE",
			description = "Encrypt every file to this OpenPGP public key (armored or binary).")
	Path recipientKey;

	@Option(names = "--json", description = "The export's summary as one JSON object.")
	boolean json;

	private final RegulatorExport export;

	private final Search search;

	private final CommandLineAccess access;

	ExportCommand(RegulatorExport export, Search search, CommandLineAccess access) {
		this.export = export;
		this.search = search;
		this.access = access;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		Optional<SearchQuery> parsed;
		try {
			parsed = Optional.ofNullable(this.query).map(this.search::parse);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("export: " + ex.getMessage());
		}
		Search.Filters filters = filters();
		Set<RegulatorExport.Format> formatSet = EnumSet.noneOf(RegulatorExport.Format.class);
		for (String format : this.formats) {
			try {
				formatSet.add(RegulatorExport.Format.valueOf(format.trim().toUpperCase(Locale.ROOT)));
			}
			catch (IllegalArgumentException ex) {
				throw new UsageException("export: --format " + format + " is not one of rsmf, eml, csv");
			}
		}
		if (formatSet.isEmpty()) {
			formatSet = EnumSet.allOf(RegulatorExport.Format.class);
		}
		String redacted = parsed.map(this.search::redacted).orElse("(scope)");
		StringBuilder auditQuery = new StringBuilder("export ").append(redacted)
			.append(" --to-directory ")
			.append(this.directory.toAbsolutePath());
		filters.sources().forEach((s) -> auditQuery.append(" --source ").append(s));
		filters.kinds().forEach((k) -> auditQuery.append(" --kind ").append(k.name().toLowerCase(Locale.ROOT)));
		if (this.recipientKey != null) {
			auditQuery.append(" --recipient-key ").append(this.recipientKey.toAbsolutePath());
		}
		Access granted = this.access.authorize(Operation.CONTENT_EXPORT,
				new ContentScope(filters.custodians(), filters.conversations(), filters.from(), filters.to()),
				auditQuery.toString());
		RegulatorExport.Summary summary;
		try {
			summary = this.export.export(new RegulatorExport.Request(this.directory, parsed, redacted, filters,
					formatSet, Optional.ofNullable(this.recipientKey)), granted::permits);
		}
		catch (IllegalArgumentException ex) {
			this.access.complete(granted, AccessOutcome.failed(0, 0, ex.getMessage()));
			throw new UsageException("export: " + ex.getMessage());
		}
		catch (VaultIntegrityException ex) {
			this.access.complete(granted, AccessOutcome.failed(0, 0, ex.getMessage()));
			throw new CommandException(ExitCode.INTEGRITY_FAILURE, ex.getMessage(), ex);
		}
		catch (IOException ex) {
			this.access.complete(granted, AccessOutcome.failed(0, 0, ex.getMessage()));
			throw new CommandException(ExitCode.JOB_FAILED, "export: " + ex.getMessage(), ex);
		}
		this.access.complete(granted, AccessOutcome.success(summary.records(), summary.bytes()));
		if (this.json) {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("directory", summary.directory().toAbsolutePath().toString());
			json.put("records", summary.records());
			json.put("erased", summary.erased());
			json.put("attachments", summary.attachments());
			json.put("rsmfFiles", summary.rsmfFiles());
			json.put("files", summary.files());
			json.put("encryptedTo", summary.encryptedTo().orElse(null));
			JsonOutput.print(out, json);
		}
		else {
			out.printf("exported %d record(s), %d attachment(s), %d RSMF file(s), %d file(s) in all to %s%s%n",
					summary.records(), summary.attachments(), summary.rsmfFiles(), summary.files(),
					summary.directory().toAbsolutePath(),
					summary.encryptedTo().map((f) -> " (encrypted to OpenPGP key " + f + ")").orElse(""));
			if (summary.erased() > 0) {
				out.printf("left out %d erased record(s) (GDPR erasure: their data key was destroyed)%n",
						summary.erased());
			}
			out.println("manifest: " + summary.directory().resolve("manifest.json").toAbsolutePath());
		}
		return ExitCode.COMPLETED;
	}

	private Search.Filters filters() {
		try {
			return Search.Filters.parse(this.custodians, this.conversations, this.sources, this.kinds, this.from,
					this.to);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("export: " + ex.getMessage());
		}
	}

}
