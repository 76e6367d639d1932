package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.chatvault.message.ContentLocator;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.source.SafeZip;
import io.chatvault.source.SafeZipException;

/**
 * A WhatsApp export zip: the chat text ({@code _chat.txt} from iOS, "WhatsApp Chat with
 * X.txt" from Android) and the media files, with macOS resource forks ({@code __MACOSX/},
 * {@code ._name}) ignored. Read through {@link SafeZip}, so entries that would escape the
 * archive are refused and zip bombs stop at its limits. Media are found by their base
 * name, as the chat text names them.
 */
final class ZipExport extends ExportInput {

	private final SafeZip zip;

	private final SafeZip.Entry chatEntry;

	private final Map<String, SafeZip.Entry> mediaByName;

	private ZipExport(Path path, SafeZip zip, SafeZip.Entry chatEntry, Map<String, SafeZip.Entry> mediaByName) {
		super(path);
		this.zip = zip;
		this.chatEntry = chatEntry;
		this.mediaByName = mediaByName;
	}

	/**
	 * Opens the zip and finds its chat text.
	 * @throws IOException if it is not a zip, exceeds the zip limits, or holds no chat
	 * text
	 */
	static ZipExport open(Path path) throws IOException {
		SafeZip zip;
		try {
			zip = SafeZip.open(path);
		}
		catch (SafeZipException ex) {
			throw ex;
		}
		catch (IOException ex) {
			// A truncated archive fails with a bare EOFException: say what it means.
			throw new IOException(path + ": not a readable zip archive (" + describe(ex) + ")", ex);
		}
		try {
			SafeZip.Entry chat = null;
			int chatRank = Integer.MAX_VALUE;
			Map<String, SafeZip.Entry> media = new HashMap<>();
			for (SafeZip.Entry entry : zip.entries()) {
				if (ignored(entry.name())) {
					continue;
				}
				String base = entry.fileName();
				int rank = chatRank(base);
				if (rank < chatRank) {
					chat = entry;
					chatRank = rank;
				}
				media.putIfAbsent(base, entry);
			}
			if (chat == null) {
				throw new IOException("No WhatsApp chat text (_chat.txt or a .txt file) in " + path);
			}
			media.remove(chat.fileName());
			return new ZipExport(path, zip, chat, media);
		}
		catch (IOException | RuntimeException ex) {
			zip.close();
			throw ex;
		}
	}

	/** Lower is a likelier chat text: _chat.txt, then "WhatsApp Chat…", then any .txt. */
	static int chatRank(String base) {
		String lower = base.toLowerCase(Locale.ROOT);
		if (!lower.endsWith(".txt")) {
			return Integer.MAX_VALUE;
		}
		if (lower.equals("_chat.txt")) {
			return 0;
		}
		return ExportInput.chatName(base).isPresent() ? 1 : 2;
	}

	static boolean ignored(String name) {
		int slash = name.lastIndexOf('/');
		return name.startsWith("__MACOSX/") || name.startsWith("._", slash + 1);
	}

	@Override
	List<SafeZip.Refusal> refused() {
		return this.zip.refused();
	}

	@Override
	QuarantinedRecord quarantined(String entry, String reason) {
		return this.zip.quarantined(file(), entry, 0, reason);
	}

	@Override
	String entry() {
		return this.chatEntry.name();
	}

	@Override
	InputStream openChat() throws IOException {
		return this.zip.open(this.chatEntry);
	}

	@Override
	Optional<ContentLocator> locate(String name) {
		SafeZip.Entry entry = this.mediaByName.get(name);
		return (entry != null) ? Optional.of(ContentLocator.zipEntry(path(), entry.name())) : Optional.empty();
	}

	@Override
	InputStream open(ContentLocator located) throws IOException {
		Optional<SafeZip.Entry> entry = this.zip.entry(located.entry());
		if (entry.isEmpty()) {
			throw new IOException("No entry '" + located.entry() + "' in " + path());
		}
		return this.zip.open(entry.get());
	}

	@Override
	Optional<String> chatNameFromFileName() {
		Optional<String> fromZip = super.chatNameFromFileName();
		return fromZip.isPresent() ? fromZip : ExportInput.chatName(this.chatEntry.fileName());
	}

	@Override
	public void close() throws IOException {
		this.zip.close();
	}

}
