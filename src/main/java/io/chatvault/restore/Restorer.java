package io.chatvault.restore;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.chatvault.crypto.ErasedException;
import io.chatvault.crypto.KeyUnavailableException;
import io.chatvault.message.Attachment;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.Sha256;
import io.chatvault.vault.ArchivedRecord;
import io.chatvault.vault.CanonicalForms;
import io.chatvault.vault.ErasedRecords;
import io.chatvault.vault.ExportReceipt;
import io.chatvault.vault.HeldConversation;
import io.chatvault.vault.VaultIntegrityException;
import io.chatvault.vault.VaultReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Restores a custodian's history from the vault into an empty directory, every byte read
 * through {@link VaultReader} (so verified): per conversation the canonical records as
 * JSON lines, the conversation states they name, a readable transcript, the media, and
 * the export files bit-exact; for the whole, {@code SHA256SUMS} and
 * {@code manifest.json}. Streams: a page of records, a media chunk or two at a time,
 * whatever the size of the history; the vault reader reads ahead (docs/restore.md,
 * "Read-ahead"). An export file the restore has just written as media is copied from
 * there rather than read twice. Layout and formats: docs/restore.md.
 * <p>
 * Authorization and the access log are the caller's ({@link RestoreCommand}, the drill):
 * this class reads what it is asked for, filtered by the custodians the caller permits.
 */
@Service
public class Restorer {

	/** The most problems a result lists by name (all are counted). */
	public static final int PROBLEMS_LISTED = 100;

	/** The manifest's file name. */
	public static final String MANIFEST = "manifest.json";

	/** Below the target: one directory per conversation, {@code <source>/<id>}. */
	public static final String CONVERSATIONS = "conversations";

	static final String RECORDS = "records.jsonl";

	static final String STATES = "conversation-states.jsonl";

	static final String TRANSCRIPT = "transcript.txt";

	static final String MEDIA = "media";

	static final String ORIGINALS = "originals";

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
		.build();

	private final VaultReader reader;

	private final JdbcTemplate jdbc;

	Restorer(VaultReader reader, JdbcTemplate jdbc) {
		this.reader = reader;
		this.jdbc = jdbc;
	}

	/**
	 * Whether a directory may receive a restore: it does not exist, or is empty.
	 * @param target the directory
	 * @return the reason it may not, if it may not
	 */
	public static Optional<String> refusal(Path target) {
		if (!Files.exists(target)) {
			return Optional.empty();
		}
		if (!Files.isDirectory(target)) {
			return Optional.of(target + " is a file, not a directory");
		}
		try (Stream<Path> entries = Files.list(target)) {
			if (entries.findAny().isPresent()) {
				return Optional.of(target + " is not empty; restore into an empty or new directory");
			}
		}
		catch (IOException ex) {
			return Optional.of(target + " cannot be read: " + ex.getMessage());
		}
		return Optional.empty();
	}

	/**
	 * The conversations a request covers.
	 * @param request the request
	 * @return the held conversations, sorted
	 */
	public List<HeldConversation> conversations(RestoreRequest request) {
		return this.reader.conversations(request.custodian())
			.stream()
			.filter((held) -> request.conversation()
				.map((wanted) -> wanted.equals(held.conversationId())
						|| wanted.equals(held.source() + ":" + held.conversationId()))
				.orElse(true))
			.toList();
	}

	/**
	 * Restores.
	 * @param request what
	 * @param permits the custodians whose records may be written (the access's scope)
	 * @param target an empty or absent directory
	 * @param keepGoing on a record or file that does not check out, note it and go on
	 * (the drill, which must name everything missing), instead of failing at once
	 * @return what was written
	 * @throws VaultIntegrityException without {@code keepGoing}, at the first stored
	 * bytes that do not check out
	 */
	public RestoreResult restore(RestoreRequest request, Predicate<String> permits, Path target, boolean keepGoing) {
		refusal(target).ifPresent((reason) -> {
			throw new IllegalArgumentException(reason);
		});
		Path root = target.toAbsolutePath().normalize();
		Run run = new Run(request, root, keepGoing);
		try {
			Files.createDirectories(root);
			try (RestoredFiles files = new RestoredFiles(root)) {
				run.files = files;
				List<HeldConversation> conversations = permits.test(request.custodian()) ? conversations(request)
						: List.of();
				for (HeldConversation held : conversations) {
					run.conversation(held);
				}
			}
			RestoreResult result = run.result();
			manifest(run, result);
			return result;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("restore into " + root + " failed: " + ex.getMessage(), ex);
		}
	}

	private void manifest(Run run, RestoreResult result) throws IOException {
		Map<String, Object> manifest = new LinkedHashMap<>();
		manifest.put("format", "chatvault-restore-1");
		manifest.put("custodian", run.request.custodian());
		manifest.put("conversation", run.request.conversation().orElse(null));
		manifest.put("from", run.request.from().map(Object::toString).orElse(null));
		manifest.put("to", run.request.to().map(Object::toString).orElse(null));
		manifest.put("counts", result.counts());
		manifest.put("conversations", run.summaries);
		manifest.put("problems", result.problems());
		manifest.put("problemCount", result.problemCount());
		manifest.put("files", RestoredFiles.SUMS);
		manifest.put("filesSha256", Sha256.hex(Files.readAllBytes(run.root.resolve(RestoredFiles.SUMS))));
		Files.write(run.root.resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
	}

	/** The state of one restore. */
	private final class Run {

		private final RestoreRequest request;

		private final Path root;

		private final boolean keepGoing;

		private RestoredFiles files;

		private final Map<String, Long> byKind = new TreeMap<>();

		private final List<Map<String, Object>> summaries = new ArrayList<>();

		private final List<String> problems = new ArrayList<>();

		private long problemCount;

		private long records;

		private long attachmentsPresent;

		private long attachmentsMissing;

		private long mediaFiles;

		private long originals;

		/** Records a GDPR erasure made unreadable: counted, never a problem. */
		private final ErasedRecords erased = new ErasedRecords();

		/**
		 * Export files whose key (or whose receipt's key) a GDPR erasure destroyed: gone
		 * by law, counted, never a problem.
		 */
		private long erasedOriginals;

		private final Set<String> directories = new HashSet<>();

		Run(RestoreRequest request, Path root, boolean keepGoing) {
			this.request = request;
			this.root = root;
			this.keepGoing = keepGoing;
		}

		void conversation(HeldConversation held) throws IOException {
			String directory = directory(held);
			Map<String, String> media = new HashMap<>();
			Set<String> mediaNames = new HashSet<>();
			Set<String> states = new HashSet<>();
			long count = 0;
			Transcript transcript = null;
			try (Stream<ArchivedRecord> stream = Restorer.this.reader.records(held, this.request.from().orElse(null),
					this.request.to().orElse(null));
					OutputStream recordsOut = this.files.open(directory + "/" + RECORDS);
					OutputStream statesOut = this.files.open(directory + "/" + STATES);
					Writer transcriptOut = new BufferedWriter(new OutputStreamWriter(
							this.files.open(directory + "/" + TRANSCRIPT), StandardCharsets.UTF_8), 1 << 16)) {
				Iterator<ArchivedRecord> records = stream.iterator();
				while (true) {
					ArchivedRecord archived;
					try {
						// The stream's iterator reads ahead in hasNext(): a record that
						// does
						// not check out throws from either; the next call moves past it.
						if (!records.hasNext()) {
							break;
						}
						archived = records.next();
					}
					catch (ErasedException ex) {
						this.erased.count(ex);
						continue;
					}
					catch (VaultIntegrityException | KeyUnavailableException ex) {
						problem(ex);
						continue;
					}
					ChatRecord record = archived.record();
					byte[] state = CanonicalForms.conversationState(record.conversation());
					if (states.add(Sha256.hex(state))) {
						statesOut.write(state);
						statesOut.write('\n');
					}
					if (transcript == null) {
						transcript = new Transcript(transcriptOut, zone(record));
						transcript.header(record.conversation(), held.source(), held.custodian());
					}
					for (Attachment attachment : record.attachments()) {
						attachment(attachment, directory, media, mediaNames);
					}
					recordsOut.write(line(archived));
					transcript.record(record, archived.messageId(), media::get);
					this.byKind.merge(record.kind().name(), 1L, Long::sum);
					count++;
				}
				if (transcript == null) {
					transcriptOut.write("No records" + (this.request.ranged() ? " in the range" : "") + ".\n");
				}
			}
			this.records += count;
			long originalsHere = this.request.ranged() ? 0 : originals(held, directory, media);
			Map<String, Object> summary = new LinkedHashMap<>();
			summary.put("source", held.source());
			summary.put("conversation", held.conversationId());
			summary.put("directory", directory);
			summary.put("records", count);
			summary.put("mediaFiles", media.size());
			summary.put("originals", originalsHere);
			this.summaries.add(summary);
		}

		private void attachment(Attachment attachment, String directory, Map<String, String> media, Set<String> names)
				throws IOException {
			if (attachment.sha256() == null) {
				this.attachmentsMissing++;
				return;
			}
			if (media.containsKey(attachment.sha256())) {
				this.attachmentsPresent++;
				return;
			}
			Optional<InputStream> in;
			try {
				in = Restorer.this.reader.openMedia(attachment.sha256());
			}
			catch (VaultIntegrityException | KeyUnavailableException ex) {
				problem(ex);
				return;
			}
			if (in.isEmpty()) {
				this.attachmentsMissing++;
				if (attachment.status() == io.chatvault.message.AttachmentStatus.PRESENT) {
					problem("media " + attachment.sha256() + " (" + attachment.name() + ") is not in the archive");
				}
				return;
			}
			String name = RestoredFiles.segment(attachment.name());
			if (!names.add(name)) {
				name = attachment.sha256().substring(0, 12) + "-" + name;
				names.add(name);
			}
			String path = MEDIA + "/" + name;
			try {
				RestoredFiles.Written written = this.files.copy(directory + "/" + path, in.get());
				if (!written.sha256().equals(attachment.sha256())) {
					problem("media " + attachment.sha256() + " restored as " + written.sha256());
					return;
				}
			}
			catch (IOException ex) {
				if (ex.getCause() instanceof VaultIntegrityException integrity) {
					problem(integrity);
					return;
				}
				throw ex;
			}
			media.put(attachment.sha256(), path);
			this.mediaFiles++;
			this.attachmentsPresent++;
		}

		/**
		 * The export files that held this conversation, bit-exact: from each of the
		 * custodian's receipts, the files its records were read from, and, of an export
		 * of this conversation alone, its other files too (a WhatsApp zip's media). A
		 * file whose bytes this restore has just written as media (a zip's photo is both)
		 * is copied from there, not read from the vault a second time; either way its
		 * SHA-256 as written must be the receipt's.
		 * @param media the media written for the conversation: SHA-256 to path below
		 * {@code directory}
		 */
		private long originals(HeldConversation held, String directory, Map<String, String> media) throws IOException {
			Map<Long, List<Integer>> linked = new TreeMap<>();
			Restorer.this.jdbc.query("""
					SELECT rc.receipt_id, rc.entry FROM vault_receipt_conversation rc
					JOIN vault_conversation c ON c.id = rc.conversation
					JOIN vault_receipt r ON r.id = rc.receipt_id
					JOIN vault_custodian k ON k.id = r.custodian_id
					WHERE c.source = ? AND c.conversation_id = ? AND k.name = ?
					ORDER BY rc.receipt_id, rc.entry
					""", (rs) -> {
				linked.computeIfAbsent(rs.getLong(1), (id) -> new ArrayList<>()).add(rs.getInt(2));
			}, held.source(), held.conversationId(), held.custodian());
			long written = 0;
			for (Map.Entry<Long, List<Integer>> receipt : linked.entrySet()) {
				Set<Integer> entries = new HashSet<>(receipt.getValue());
				Set<Integer> ofOthers = new HashSet<>(Restorer.this.jdbc.queryForList("""
						SELECT DISTINCT rc.entry FROM vault_receipt_conversation rc
						JOIN vault_conversation c ON c.id = rc.conversation
						WHERE rc.receipt_id = ? AND NOT (c.source = ? AND c.conversation_id = ?)
						""", Integer.class, receipt.getKey(), held.source(), held.conversationId()));
				boolean alone = ofOthers.isEmpty();
				ExportReceipt sealed;
				try {
					sealed = Restorer.this.reader.receipt(receipt.getKey());
				}
				catch (ErasedException ex) {
					this.erasedOriginals += receipt.getValue().size();
					continue;
				}
				for (ExportReceipt.Entry entry : sealed.entries()) {
					if (entry.sha256() == null || !(entries.contains(entry.ordinal()) || alone)) {
						continue;
					}
					if (!entries.contains(entry.ordinal()) && ofOthers.contains(entry.ordinal())) {
						continue;
					}
					String restored = media.get(entry.sha256());
					written += original(entry,
							directory + "/" + ORIGINALS + "/" + receipt.getKey() + "/"
									+ RestoredFiles.path(entry.name()),
							(restored != null) ? directory + "/" + restored : null) ? 1 : 0;
				}
			}
			this.originals += written;
			return written;
		}

		private boolean original(ExportReceipt.Entry entry, String path, String restored) throws IOException {
			Optional<InputStream> in;
			try {
				in = (restored != null) ? Optional.of(Files.newInputStream(this.root.resolve(restored)))
						: Restorer.this.reader.openOriginal(entry);
			}
			catch (ErasedException ex) {
				this.erasedOriginals++;
				return false;
			}
			catch (VaultIntegrityException | KeyUnavailableException ex) {
				problem(ex);
				return false;
			}
			if (in.isEmpty()) {
				return false;
			}
			try {
				RestoredFiles.Written written = this.files.copy(path, in.get());
				if (!written.sha256().equals(entry.sha256())) {
					problem("export file " + entry.name() + " of receipt " + entry.receiptId() + " restored as "
							+ written.sha256() + ", received as " + entry.sha256());
					return false;
				}
				return true;
			}
			catch (IOException ex) {
				// The file's chunks are read as it is copied (StoredFiles wraps what a
				// chunk throws): an erased one is found here, its partial copy removed.
				if (ex.getCause() instanceof ErasedException) {
					Files.deleteIfExists(this.root.resolve(path));
					this.erasedOriginals++;
					return false;
				}
				if (ex.getCause() instanceof VaultIntegrityException integrity) {
					problem(integrity);
					return false;
				}
				throw ex;
			}
		}

		private String directory(HeldConversation held) {
			String base = CONVERSATIONS + "/" + RestoredFiles.segment(held.source()) + "/"
					+ RestoredFiles.segment(held.conversationId());
			String directory = base;
			for (int i = 2; !this.directories.add(directory.toLowerCase(java.util.Locale.ROOT)); i++) {
				directory = base + "~" + i;
			}
			return directory;
		}

		private void problem(RuntimeException ex) {
			if (!this.keepGoing) {
				throw ex;
			}
			problem(ex.getMessage());
		}

		private void problem(String problem) {
			if (!this.keepGoing) {
				throw new VaultIntegrityException(problem);
			}
			this.problemCount++;
			if (this.problems.size() < PROBLEMS_LISTED) {
				this.problems.add(problem);
			}
		}

		RestoreResult result() {
			return new RestoreResult(this.root, this.summaries.size(), this.records, Map.copyOf(this.byKind),
					this.attachmentsPresent, this.attachmentsMissing, this.mediaFiles, this.originals,
					this.files.files(), this.files.bytes(), List.copyOf(this.problems), this.problemCount,
					this.erased.records(), this.erasedOriginals);
		}

	}

	/**
	 * A record's line in {@code records.jsonl}: its id, the SHA-256 of its canonical
	 * bytes, and the canonical bytes themselves, always in this order (so a reader can
	 * take the record's exact bytes by position).
	 */
	static byte[] line(ArchivedRecord archived) {
		byte[] canonical = archived.canonical();
		byte[] head = ("{\"id\":\"" + archived.messageId() + "\",\"sha256\":\"" + Sha256.hex(canonical)
				+ "\",\"record\":")
			.getBytes(StandardCharsets.US_ASCII);
		byte[] line = new byte[head.length + canonical.length + 2];
		System.arraycopy(head, 0, line, 0, head.length);
		System.arraycopy(canonical, 0, line, head.length, canonical.length);
		line[line.length - 2] = '}';
		line[line.length - 1] = '\n';
		return line;
	}

	private static ZoneId zone(ChatRecord record) {
		try {
			return (record.zone() != null) ? ZoneId.of(record.zone()) : ZoneId.of("UTC");
		}
		catch (java.time.DateTimeException ex) {
			return ZoneId.of("UTC");
		}
	}

}
