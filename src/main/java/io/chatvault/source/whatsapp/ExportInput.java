package io.chatvault.source.whatsapp;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ContentLocator;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourceLocation;
import io.chatvault.source.SafeZip;
import io.chatvault.source.SafeZipException;

/**
 * One export as handed in: a chat text file (possibly with its media unpacked beside it),
 * or a zip holding the chat text and the media. The chat text can be opened more than
 * once (the reader makes two passes); media are looked up by the name the chat text gives
 * them, and hashed by streaming when found.
 */
abstract sealed class ExportInput implements Closeable permits TextExport, ZipExport {

	/** "WhatsApp Chat with X", "WhatsApp Chat - X" and their localized forms. */
	private static final Pattern CHAT_FILE_NAME = Pattern
		.compile("(?i)^(?:whatsapp chat (?:with|mit|-)|chat de whatsapp con|discussion whatsapp avec|chat whatsapp con|"
				+ "conversa do whatsapp com|whatsapp-chat met|whatsapp-chat mit)\\s*(.+?)(?:\\.txt|\\.zip)?$");

	private final Path path;

	/** Media entries found damaged, to quarantine once each, in the order found. */
	private final Map<String, QuarantinedRecord> damaged = new LinkedHashMap<>();

	private final List<QuarantinedRecord> undelivered = new ArrayList<>();

	ExportInput(Path path) {
		this.path = path;
	}

	Path path() {
		return this.path;
	}

	/** The input as named in locations. */
	String file() {
		return this.path.toString();
	}

	/** The archive entry holding the chat text, or an empty string. */
	abstract String entry();

	/** Opens the chat text from its start. */
	abstract InputStream openChat() throws IOException;

	/**
	 * The attachment of that name: {@link AttachmentStatus#PRESENT} with size and SHA-256
	 * when the export holds the file, else {@link AttachmentStatus#REFERENCE} (the chat
	 * names a file the export does not hold).
	 */
	final Attachment media(String name) {
		String mediaType = MediaTypes.of(name);
		if (safeName(name)) {
			try {
				Optional<ContentLocator> located = locate(name);
				if (located.isPresent()) {
					try (InputStream in = open(located.get())) {
						Sha256.Hashed hashed = Sha256.hex(in);
						return new Attachment(name, mediaType, hashed.size(), hashed.sha256(), AttachmentStatus.PRESENT,
								null, located.get());
					}
				}
			}
			catch (SafeZipException ex) {
				// The bytes are here but fail their check: quarantine them as stored, and
				// say so in the attachment, never a silent reference.
				String entry = ex.entry().orElse(name);
				String reason = "media entry " + entry + " is damaged: " + ex.reason();
				this.damaged.computeIfAbsent(entry, (key) -> {
					QuarantinedRecord record = quarantined(entry, reason);
					this.undelivered.add(record);
					return record;
				});
				return new Attachment(name, mediaType, -1, null, AttachmentStatus.QUARANTINED, reason, null);
			}
			catch (IOException ex) {
				return new Attachment(name, mediaType, -1, null, AttachmentStatus.REFERENCE,
						"unreadable in export: " + describe(ex), null);
			}
		}
		return new Attachment(name, mediaType, -1, null, AttachmentStatus.REFERENCE, null, null);
	}

	/**
	 * The damaged media found since the last call, each once, as quarantined records of
	 * their stored bytes.
	 */
	List<QuarantinedRecord> drainDamaged() {
		if (this.undelivered.isEmpty()) {
			return List.of();
		}
		List<QuarantinedRecord> records = List.copyOf(this.undelivered);
		this.undelivered.clear();
		return records;
	}

	/**
	 * An entry of the export as a quarantined record of its stored bytes.
	 * @param entry an entry name
	 * @param reason why
	 * @return the record
	 */
	QuarantinedRecord quarantined(String entry, String reason) {
		return new QuarantinedRecord(new SourceLocation(file(), entry, 0), reason, new byte[0]);
	}

	/**
	 * Entries of an archive that were refused (unsafe names, oversized), with the reason.
	 */
	List<SafeZip.Refusal> refused() {
		return List.of();
	}

	/** Opens located content; a zip reuses its open archive. */
	InputStream open(ContentLocator located) throws IOException {
		return located.open();
	}

	/** Where the named media file is, if the export holds it. */
	abstract Optional<ContentLocator> locate(String name) throws IOException;

	/**
	 * The chat's name as the export's file name gives it ("WhatsApp Chat with Anna.txt").
	 */
	Optional<String> chatNameFromFileName() {
		return chatName(this.path.getFileName().toString());
	}

	static Optional<String> chatName(String fileName) {
		Matcher matcher = CHAT_FILE_NAME.matcher(fileName);
		if (matcher.matches() && !matcher.group(1).isBlank()) {
			return Optional.of(matcher.group(1).strip());
		}
		return Optional.empty();
	}

	/** The file name without its extension, the last resort for a chat's name. */
	String baseName() {
		String name = this.path.getFileName().toString();
		int dot = name.lastIndexOf('.');
		return (dot > 0) ? name.substring(0, dot) : name;
	}

	/**
	 * An I/O failure in words, for a reason or a note: some carry no message
	 * (EOFException).
	 */
	static String describe(IOException ex) {
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	/** A name taken from the chat text may not leave the export ("../../etc/passwd"). */
	static boolean safeName(String name) {
		return !name.isEmpty() && name.length() < 256 && name.indexOf('/') < 0 && name.indexOf('\\') < 0
				&& !name.equals(".") && !name.equals("..") && name.indexOf('\0') < 0
				&& !name.toLowerCase(Locale.ROOT).startsWith("__macosx");
	}

}
