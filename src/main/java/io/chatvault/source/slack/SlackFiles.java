package io.chatvault.source.slack;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.source.SafeZipException;
import io.chatvault.source.JsonRecords;
import io.chatvault.message.Sha256;

/**
 * The uploaded files of a Slack export. Standard exports hold only references
 * ({@code url_private}); exports made with files, and tools that download them, put the
 * bytes in the archive under a folder named by the file id ({@code __uploads/F0123/name})
 * or next to the day files. Files found in the export are
 * {@link AttachmentStatus#PRESENT} with their SHA-256; the rest are
 * {@link AttachmentStatus#REFERENCE}s.
 */
final class SlackFiles {

	/**
	 * A path segment naming a file id: the id alone, or the id before a dash or
	 * underscore and the file name.
	 */
	private static final Pattern FILE_ID = Pattern.compile("(F[A-Z0-9]{6,})(?:[-_].*)?");

	/**
	 * Access tokens in file URLs are credentials; the archive keeps the URL without them.
	 */
	private static final Pattern TOKEN = Pattern.compile("([?&](?:t|token)=)xox[a-z]-[A-Za-z0-9-]+");

	private final ExportTree tree;

	/** File id to the entries under a path segment named by it. */
	private final Map<String, List<String>> byId = new HashMap<>();

	private final Map<String, String> byPath = new HashMap<>();

	/** Hashing a file once per export, however often it is shared. */
	private final Map<String, Sha256.Hashed> hashes = new LinkedHashMap<>(16, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Sha256.Hashed> eldest) {
			return size() > 10_000;
		}
	};

	/** Damaged files, quarantined once each; those not yet handed to the reader. */
	private final Map<String, String> damaged = new HashMap<>();

	private final List<QuarantinedRecord> undelivered = new ArrayList<>();

	private final String file;

	SlackFiles(ExportTree tree, String file) {
		this.tree = tree;
		this.file = file;
		for (String name : tree.names()) {
			if (name.endsWith(".json") && !SlackDirectory.isUpload(name)) {
				continue;
			}
			this.byPath.put(name, name);
			for (String segment : name.split("/")) {
				Matcher id = FILE_ID.matcher(segment);
				if (id.matches()) {
					this.byId.computeIfAbsent(id.group(1), (key) -> new ArrayList<>()).add(name);
				}
			}
		}
	}

	Attachment attachment(JsonNode file, String folder) {
		String id = JsonRecords.text(file, "id");
		String name = firstNonBlank(JsonRecords.text(file, "name"), JsonRecords.text(file, "title"), id, "file");
		String mediaType = JsonRecords.text(file, "mimetype");
		long size = Optional.ofNullable(JsonRecords.text(file, "size")).map(SlackFiles::parseLong).orElse(-1L);
		String mode = JsonRecords.text(file, "mode");
		String reference = redact(firstNonBlank(JsonRecords.text(file, "url_private_download"),
				JsonRecords.text(file, "url_private"), JsonRecords.text(file, "permalink"), null));
		if ("tombstone".equals(mode) || "hidden_by_limit".equals(mode)) {
			// The file was deleted, or is beyond the plan's history limit: no bytes, no
			// URL.
			return new Attachment(name, mediaType, size, null, AttachmentStatus.OMITTED, reference, null);
		}
		Optional<String> entry = locate(id, name, folder);
		if (entry.isPresent() && this.damaged.containsKey(entry.get())) {
			return quarantinedAttachment(name, mediaType, size, entry.get());
		}
		if (entry.isPresent()) {
			Optional<Sha256.Hashed> hashed = hash(entry.get());
			if (hashed.isPresent()) {
				return new Attachment(name, mediaType, hashed.get().size(), hashed.get().sha256(),
						AttachmentStatus.PRESENT, reference, this.tree.locator(entry.get()));
			}
			if (this.damaged.containsKey(entry.get())) {
				return quarantinedAttachment(name, mediaType, size, entry.get());
			}
		}
		return new Attachment(name, mediaType, size, null, AttachmentStatus.REFERENCE, reference, null);
	}

	private Optional<String> locate(String id, String name, String folder) {
		if (id != null) {
			List<String> candidates = this.byId.getOrDefault(id, List.of());
			for (String candidate : candidates) {
				if (SlackDirectory.fileName(candidate).endsWith(name)) {
					return Optional.of(candidate);
				}
			}
			if (candidates.size() == 1) {
				return Optional.of(candidates.get(0));
			}
		}
		// Tools that download files next to the day files use the channel folder.
		for (String candidate : new String[] { folder + name, folder + "attachments/" + name,
				folder + "files/" + name }) {
			if (this.byPath.containsKey(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	private Optional<Sha256.Hashed> hash(String entry) {
		Sha256.Hashed known = this.hashes.get(entry);
		if (known != null) {
			return Optional.of(known);
		}
		try (InputStream in = this.tree.open(entry)) {
			Sha256.Hashed hashed = Sha256.hex(in);
			this.hashes.put(entry, hashed);
			return Optional.of(hashed);
		}
		catch (SafeZipException ex) {
			// The bytes are in the export but fail their check: they go to quarantine as
			// stored, never silently become a reference.
			String reason = "file " + entry + " is damaged: " + ex.reason();
			this.damaged.put(entry, reason);
			this.undelivered.add(this.tree.quarantined(this.file, entry, 0, reason));
			return Optional.empty();
		}
		catch (IOException ex) {
			// A refused or unreadable file entry: the attachment stays a reference.
			return Optional.empty();
		}
	}

	private Attachment quarantinedAttachment(String name, String mediaType, long size, String entry) {
		return new Attachment(name, mediaType, size, null, AttachmentStatus.QUARANTINED, this.damaged.get(entry), null);
	}

	/** The damaged files found since the last call, as quarantined records. */
	List<QuarantinedRecord> drainDamaged() {
		if (this.undelivered.isEmpty()) {
			return List.of();
		}
		List<QuarantinedRecord> records = List.copyOf(this.undelivered);
		this.undelivered.clear();
		return records;
	}

	static String redact(String url) {
		return (url != null) ? TOKEN.matcher(url).replaceAll("$1REDACTED") : null;
	}

	private static Long parseLong(String value) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			return -1L;
		}
	}

	private static String firstNonBlank(String... values) {
		for (String value : values) {
			if (value != null && !value.isBlank()) {
				return value;
			}
		}
		return null;
	}

}
