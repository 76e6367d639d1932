package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.chatvault.message.ContentLocator;

/**
 * A WhatsApp export zip: the chat text ({@code _chat.txt} from iOS, "WhatsApp Chat with
 * X.txt" from Android) and the media files, with macOS resource forks ({@code __MACOSX/})
 * ignored. Media are found by their base name, as the chat text names them.
 */
final class ZipExport extends ExportInput {

	private final ZipFile zip;

	private final String chatEntry;

	private final Map<String, String> mediaByName = new HashMap<>();

	private ZipExport(Path path, ZipFile zip, String chatEntry) {
		super(path);
		this.zip = zip;
		this.chatEntry = chatEntry;
	}

	/**
	 * Opens the zip and finds its chat text.
	 * @throws IOException if it is not a zip or holds no chat text
	 */
	static ZipExport open(Path path) throws IOException {
		ZipFile zip = new ZipFile(path.toFile());
		try {
			String chat = null;
			int chatRank = Integer.MAX_VALUE;
			Map<String, String> media = new HashMap<>();
			Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				ZipEntry entry = entries.nextElement();
				String name = entry.getName();
				if (entry.isDirectory() || ignored(name)) {
					continue;
				}
				String base = baseName(name);
				int rank = chatRank(base);
				if (rank < chatRank) {
					chat = name;
					chatRank = rank;
				}
				media.putIfAbsent(base, name);
			}
			if (chat == null) {
				throw new IOException("No WhatsApp chat text (_chat.txt or a .txt file) in " + path);
			}
			ZipExport export = new ZipExport(path, zip, chat);
			export.mediaByName.putAll(media);
			export.mediaByName.remove(baseName(chat));
			return export;
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
		return name.startsWith("__MACOSX/") || baseName(name).startsWith("._");
	}

	private static String baseName(String name) {
		int slash = name.lastIndexOf('/');
		return (slash >= 0) ? name.substring(slash + 1) : name;
	}

	@Override
	String entry() {
		return this.chatEntry;
	}

	@Override
	InputStream openChat() throws IOException {
		return this.zip.getInputStream(this.zip.getEntry(this.chatEntry));
	}

	@Override
	Optional<ContentLocator> locate(String name) {
		String entry = this.mediaByName.get(name);
		return (entry != null) ? Optional.of(ContentLocator.zipEntry(path(), entry)) : Optional.empty();
	}

	@Override
	InputStream open(ContentLocator located) throws IOException {
		ZipEntry entry = this.zip.getEntry(located.entry());
		if (entry == null) {
			throw new IOException("No entry '" + located.entry() + "' in " + path());
		}
		return this.zip.getInputStream(entry);
	}

	@Override
	Optional<String> chatNameFromFileName() {
		Optional<String> fromZip = super.chatNameFromFileName();
		return fromZip.isPresent() ? fromZip : ExportInput.chatName(baseName(this.chatEntry));
	}

	@Override
	public void close() throws IOException {
		this.zip.close();
	}

}
