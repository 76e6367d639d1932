package io.chatvault.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Participant;
import io.chatvault.search.Search;
import io.chatvault.search.SearchQuery;
import io.chatvault.vault.ArchivedRecord;
import io.chatvault.vault.ErasedRecords;
import io.chatvault.vault.HeldConversation;
import io.chatvault.vault.VaultReader;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exports a search's hits or a scope for a regulator or a review platform, without size
 * cap or expiry: RSMF 2.0 per conversation holding (split at {@code rsmf-max-events} and
 * {@code rsmf-max-bytes}), an EML per message with its attachments, a CSV load file, the
 * media originals alongside, and {@code manifest.json} (plus {@code manifest.sha256})
 * with every file's SHA-256; optionally every file encrypted to the recipient's OpenPGP
 * key. Records are read from the vault (verified) conversation by conversation, in time
 * order; each record is exported once, under the first holding that has it. Records an
 * erasure made unreadable are counted (in the summary and the manifest) and left out.
 */
public class RegulatorExport {

	static final List<String> LOAD_FILE_COLUMNS = List.of("message_id", "custodian", "source", "conversation_id",
			"conversation_name", "kind", "sent_at", "author_id", "author", "body", "deleted", "attachments",
			"attachment_sha256", "media", "eml", "rsmf");

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final VaultReader reader;

	private final Search search;

	private final ExportProperties properties;

	private final Clock clock;

	public RegulatorExport(VaultReader reader, Search search, ExportProperties properties, Clock clock) {
		this.reader = reader;
		this.search = search;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Exports.
	 * @param request what to export and how
	 * @param permits which custodians' records may be exported (access rules)
	 * @return what was written
	 * @throws IOException if a file cannot be written
	 */
	public Summary export(Request request, Predicate<String> permits) throws IOException {
		if (Files.exists(request.directory()) && Files.list(request.directory()).findAny().isPresent()) {
			throw new IllegalArgumentException(
					request.directory() + " is not empty: an export is written to a new or empty directory");
		}
		Optional<OpenPgpRecipient> recipient = request.recipientKey().isPresent()
				? Optional.of(OpenPgpRecipient.read(request.recipientKey().get())) : Optional.empty();
		ExportDirectory directory = new ExportDirectory(request.directory(), recipient);
		Path scratch = Files.createTempDirectory("chatvault-export");
		Map<HeldConversation, Set<String>> selected = select(request, permits);
		long records = 0;
		long bytes = 0;
		long attachments = 0;
		List<String> rsmfFiles = new ArrayList<>();
		Set<String> exported = new HashSet<>();
		ErasedRecords erased = new ErasedRecords();
		Set<String> mediaWritten = new HashSet<>();
		Map<String, String> mediaPaths = new HashMap<>();
		try (OutputStream csvFile = request.formats().contains(Format.CSV) ? directory.create("loadfile.csv") : null;
				CSVPrinter csv = (csvFile != null)
						? new CSVPrinter(new OutputStreamWriter(csvFile, StandardCharsets.UTF_8),
								CSVFormat.RFC4180.builder().setHeader(LOAD_FILE_COLUMNS.toArray(String[]::new)).get())
						: null) {
			for (Map.Entry<HeldConversation, Set<String>> entry : selected.entrySet()) {
				HeldConversation holding = entry.getKey();
				Set<String> ids = entry.getValue();
				String base = ExportNames.holding(holding.source(), holding.conversationId(), holding.custodian());
				RsmfWriter rsmf = request.formats().contains(Format.RSMF)
						? new RsmfWriter(directory, base, holding, this.reader::openMedia,
								this.properties.rsmfMaxEvents(), this.properties.rsmfMaxBytes(), scratch)
						: null;
				try (Stream<ArchivedRecord> stream = erased.readable(this.reader.records(holding))) {
					for (ArchivedRecord record : (Iterable<ArchivedRecord>) stream::iterator) {
						if ((ids != null && !ids.contains(record.messageId()))
								|| !request.filters().admits(record.record()) || !exported.add(record.messageId())) {
							continue;
						}
						records++;
						bytes += record.canonical().length;
						List<String> media = new ArrayList<>();
						for (Attachment attachment : record.record().attachments()) {
							String path = media(directory, attachment, mediaWritten, mediaPaths);
							if (path != null) {
								media.add(path);
								attachments++;
							}
						}
						String eml = request.formats().contains(Format.EML) ? eml(directory, base, holding, record)
								: "";
						String rsmfName = (rsmf != null) ? rsmf.add(record) : "";
						if (csv != null) {
							loadFileRow(csv, holding, record, media, eml, rsmfName);
						}
					}
				}
				if (rsmf != null) {
					rsmfFiles.addAll(rsmf.finish());
				}
			}
		}
		finally {
			try (Stream<Path> left = Files.list(scratch)) {
				left.forEach((p) -> p.toFile().delete());
			}
			Files.deleteIfExists(scratch);
		}
		manifest(directory, request, recipient, records, erased.records(), attachments, rsmfFiles);
		return new Summary(request.directory(), records, erased.records(), attachments, rsmfFiles.size(),
				directory.files().size() + 2, bytes, recipient.map(OpenPgpRecipient::fingerprint));
	}

	/**
	 * The holdings to export and, for a search, the ids of its hits in each (null: every
	 * record of the holding in the filters).
	 */
	private Map<HeldConversation, Set<String>> select(Request request, Predicate<String> permits) {
		Map<HeldConversation, Set<String>> selected = new TreeMap<>(
				java.util.Comparator.comparing(HeldConversation::custodian)
					.thenComparing(HeldConversation::source)
					.thenComparing(HeldConversation::conversationId));
		Search.Filters filters = request.filters();
		if (request.query().isPresent()) {
			this.search.run(request.query().get(), filters, permits, (hit) -> {
				HeldConversation first = hit.record().conversation();
				HeldConversation holding = hit.custodians().contains(first.custodian()) ? first
						: new HeldConversation(first.source(), first.conversationId(), hit.custodians().get(0));
				selected.computeIfAbsent(holding, (k) -> new HashSet<>()).add(hit.record().messageId());
				return true;
			});
			return selected;
		}
		for (String custodian : this.reader.custodians()) {
			if ((!filters.custodians().isEmpty() && !filters.custodians().contains(custodian))
					|| !permits.test(custodian)) {
				continue;
			}
			for (HeldConversation holding : this.reader.conversations(custodian)) {
				if ((filters.sources().isEmpty() || filters.sources().contains(holding.source()))
						&& (filters.conversations().isEmpty() || filters.conversations()
							.contains(holding.source() + ":" + holding.conversationId()))) {
					selected.put(holding, null);
				}
			}
		}
		return selected;
	}

	private String media(ExportDirectory directory, Attachment attachment, Set<String> written,
			Map<String, String> paths) throws IOException {
		if (attachment.status() != AttachmentStatus.PRESENT || attachment.sha256() == null) {
			return null;
		}
		if (written.add(attachment.sha256())) {
			Optional<InputStream> bytes = this.reader.openMedia(attachment.sha256());
			if (bytes.isEmpty()) {
				written.remove(attachment.sha256());
				return null;
			}
			String path = "media/" + RsmfWriter.attachmentId(attachment);
			try (InputStream in = bytes.get(); OutputStream out = directory.create(path)) {
				in.transferTo(out);
			}
			paths.put(attachment.sha256(), path);
		}
		return paths.get(attachment.sha256());
	}

	private String eml(ExportDirectory directory, String base, HeldConversation holding, ArchivedRecord archived)
			throws IOException {
		ChatRecord record = archived.record();
		String path = "eml/" + base + "/" + archived.messageId() + ".eml";
		try (OutputStream out = directory.create(path)) {
			Mime mime = new Mime(out);
			Participant author = record.author();
			mime.address("From", (author != null) ? author.displayName() : "system",
					ExportNames.safe((author != null) ? author.id() : "system", 64) + "@"
							+ holding.source().toLowerCase(Locale.ROOT).replace('_', '-') + ".chatvault.invalid")
				.address("To", holding.custodian(), "custodian@chatvault.invalid")
				.header("Subject",
						(record.conversation().name() != null && !record.conversation().name().isBlank())
								? record.conversation().name() : record.conversation().id())
				.header("Date", Mime.date(record.sentAt()))
				.header("Message-ID", "<" + archived.messageId() + "@chatvault.invalid>")
				.header("X-ChatVault-Message-Id", archived.messageId())
				.header("X-ChatVault-Custodian", holding.custodian())
				.header("X-ChatVault-Source", holding.source())
				.header("X-ChatVault-Conversation", holding.conversationId())
				.header("X-ChatVault-Kind", record.kind().name().toLowerCase(Locale.ROOT))
				.startMultipart()
				.text(record.body());
			for (Attachment attachment : record.attachments()) {
				if (attachment.status() == AttachmentStatus.PRESENT && attachment.sha256() != null) {
					Optional<InputStream> bytes = this.reader.openMedia(attachment.sha256());
					if (bytes.isPresent()) {
						try (InputStream in = bytes.get()) {
							mime.attachment(attachment.name(), attachment.mediaType(), in);
						}
					}
				}
			}
			mime.end();
		}
		return path;
	}

	private static void loadFileRow(CSVPrinter csv, HeldConversation holding, ArchivedRecord archived,
			List<String> media, String eml, String rsmf) throws IOException {
		ChatRecord record = archived.record();
		csv.printRecord(archived.messageId(), holding.custodian(), holding.source(), holding.conversationId(),
				record.conversation().name(), record.kind().name().toLowerCase(Locale.ROOT), record.sentAt(),
				(record.author() != null) ? record.author().id() : "",
				(record.author() != null) ? record.author().displayName() : "", record.body(), record.deleted(),
				String.join(";", record.attachments().stream().map(Attachment::name).toList()),
				String.join(";",
						record.attachments().stream().map((a) -> (a.sha256() != null) ? a.sha256() : "").toList()),
				String.join(";", media), eml, rsmf);
	}

	private void manifest(ExportDirectory directory, Request request, Optional<OpenPgpRecipient> recipient,
			long records, long erased, long attachments, List<String> rsmfFiles) throws IOException {
		Map<String, Object> manifest = new LinkedHashMap<>();
		manifest.put("format", "chatvault-export/1");
		manifest.put("createdAt", this.clock.instant().toString());
		manifest.put("query", request.redactedQuery());
		manifest.put("formats", request.formats().stream().map((f) -> f.name().toLowerCase(Locale.ROOT)).toList());
		manifest.put("records", records);
		manifest.put("erased", erased);
		manifest.put("attachments", attachments);
		manifest.put("rsmfFiles", rsmfFiles.size());
		manifest.put("encryptedTo", recipient.map(OpenPgpRecipient::fingerprint).orElse(null));
		List<ExportDirectory.FileEntry> files = directory.files();
		manifest.put("files", files.stream().map(ExportDirectory.FileEntry::json).toList());
		Files.write(directory.root().resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
		StringBuilder sums = new StringBuilder();
		for (ExportDirectory.FileEntry file : files) {
			sums.append(file.sha256()).append("  ").append(file.path()).append('\n');
		}
		Files.writeString(directory.root().resolve("manifest.sha256"), sums, StandardCharsets.UTF_8);
	}

	/** The formats an export can hold. */
	public enum Format {

		/** RSMF 2.0 files per conversation holding. */
		RSMF,

		/** One EML per message. */
		EML,

		/** The CSV load file. */
		CSV

	}

	/**
	 * What to export.
	 *
	 * @param directory a new or empty directory
	 * @param query the search whose hits are exported; empty: every record in the filters
	 * @param redactedQuery the query as the manifest and the audit log name it
	 * @param filters custodians, conversations, sources, kinds, time range
	 * @param formats the formats
	 * @param recipientKey an OpenPGP public key file to encrypt every file to
	 */
	public record Request(Path directory, Optional<SearchQuery> query, String redactedQuery, Search.Filters filters,
			Set<Format> formats, Optional<Path> recipientKey) {
	}

	/**
	 * What an export wrote.
	 *
	 * @param directory where
	 * @param records records exported
	 * @param erased records in scope left out because an erasure destroyed their data key
	 * @param attachments attachments of exported records whose originals are in the
	 * export
	 * @param rsmfFiles RSMF files
	 * @param files files in the export, the manifest included
	 * @param bytes canonical bytes of the records read
	 * @param encryptedTo the recipient key's fingerprint, if encrypted
	 */
	public record Summary(Path directory, long records, long erased, long attachments, int rsmfFiles, int files,
			long bytes, Optional<String> encryptedTo) {
	}

}
