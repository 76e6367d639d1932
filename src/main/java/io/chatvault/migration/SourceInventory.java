package io.chatvault.migration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.chatvault.source.SafeZip;
import io.chatvault.source.SafeZipException;
import io.chatvault.source.SourceFormat;

/**
 * Every file under a migration source, accounted for: an export (detected per file, never
 * one format for a whole directory), a file that looks like an export but cannot be read
 * (truncated, encrypted, UTF-16, forged), which is quarantined whole, or a file that is
 * not an export (listed). A directory is one export only when it is an unpacked Slack
 * export; any other directory is searched, in sorted order, so that a restart finds the
 * same exports under the same names.
 */
final class SourceInventory {

	/** The format key of a partition that quarantines an unreadable file whole. */
	static final String UNREADABLE = "unreadable";

	private static final int MAX_DEPTH = 8;

	/** Extensions of the files exports come as: such a file no format reads is damage. */
	private static final Set<String> EXPORT_EXTENSIONS = Set.of("zip", "txt", "json", "jsonl", "ndjson");

	private final ExportSources sources;

	private final Optional<SourceFormat> format;

	SourceInventory(ExportSources sources, Optional<SourceFormat> format) {
		this.sources = sources;
		this.format = format;
	}

	/**
	 * Takes the inventory of a source.
	 * @param source a file or directory
	 * @return every file under it, in a stable order
	 */
	Inventory take(Path source) {
		List<Item> items = new ArrayList<>();
		Path base = Files.isDirectory(source) ? source : source.getParent();
		collect(source, base, 0, items, true);
		return new Inventory(items);
	}

	private void collect(Path path, Path base, int depth, List<Item> items, boolean top) {
		String name = (base != null && !path.equals(base)) ? base.relativize(path).toString()
				: path.getFileName().toString();
		if (Files.isDirectory(path)) {
			if (isSlackDirectory(path)) {
				items.add(new Item(path, name, Kind.EXPORT, SourceFormat.SLACK, size(path), files(path), null));
				return;
			}
			if (depth >= MAX_DEPTH) {
				items.add(notAnExport(path, name, "a directory deeper than " + MAX_DEPTH + " levels, not searched"));
				return;
			}
			try (Stream<Path> children = Files.list(path)) {
				for (Path child : children.sorted(Comparator.comparing(Path::toString)).toList()) {
					collect(child, base, depth + 1, items, false);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot list " + path, ex);
			}
			return;
		}
		if (!Files.isRegularFile(path)) {
			items.add(notAnExport(path, name, "not a regular file"));
			return;
		}
		if (!top && path.getFileName().toString().startsWith(".")) {
			items.add(notAnExport(path, name, "a hidden file"));
			return;
		}
		Optional<SourceFormat> detected = detect(path, top);
		if (detected.isPresent()) {
			items.add(new Item(path, name, Kind.EXPORT, detected.get(), size(path), 1, null));
			return;
		}
		if (this.format.isPresent()) {
			Optional<SourceFormat> other = this.sources.detect(path);
			if (other.isPresent()) {
				items.add(notAnExport(path, name,
						"a " + other.get().key() + " export; format=" + this.format.get().key() + " was asked for"));
				return;
			}
		}
		if (looksLikeAnExport(path)) {
			items.add(new Item(path, name, Kind.UNREADABLE, null, size(path), 1, diagnose(path)));
			return;
		}
		items.add(notAnExport(path, name, "not an export of a known format"));
	}

	private Optional<SourceFormat> detect(Path file, boolean top) {
		if (this.format.isEmpty()) {
			return this.sources.detect(file);
		}
		SourceFormat wanted = this.format.get();
		// A single file named with its format is read as that format, whatever it looks
		// like: the reader then quarantines what it cannot read.
		return (top || this.sources.accepts(file, wanted)) ? Optional.of(wanted) : Optional.empty();
	}

	private boolean isSlackDirectory(Path directory) {
		return this.format.map((wanted) -> wanted == SourceFormat.SLACK).orElse(true)
				&& this.sources.accepts(directory, SourceFormat.SLACK);
	}

	private static Item notAnExport(Path path, String name, String reason) {
		return new Item(path, name, Kind.NOT_AN_EXPORT, null, size(path), 1, reason);
	}

	private static boolean looksLikeAnExport(Path file) {
		String fileName = file.getFileName().toString().toLowerCase(Locale.ROOT);
		int dot = fileName.lastIndexOf('.');
		String extension = (dot >= 0) ? fileName.substring(dot + 1) : "";
		return EXPORT_EXTENSIONS.contains(extension) || SafeZip.looksLikeZip(file);
	}

	/**
	 * Why a file that looks like an export cannot be read, in words that say what to do.
	 * @param file the file
	 * @return the reason
	 */
	static String diagnose(Path file) {
		byte[] head;
		try (InputStream in = Files.newInputStream(file)) {
			head = in.readNBytes(4096);
		}
		catch (IOException ex) {
			return "cannot be read: " + ex;
		}
		if (head.length == 0) {
			return "an empty file";
		}
		String fileName = file.getFileName().toString().toLowerCase(Locale.ROOT);
		if (SafeZip.looksLikeZip(file) || fileName.endsWith(".zip")) {
			try (SafeZip zip = SafeZip.open(file)) {
				Optional<SafeZip.Refusal> encrypted = zip.refused()
					.stream()
					.filter((refusal) -> refusal.reason().contains("encrypted"))
					.findFirst();
				if (encrypted.isPresent()) {
					return "a password-protected zip (entry " + encrypted.get().name()
							+ " is encrypted): export it again without a password";
				}
				for (SafeZip.Entry entry : zip.entries()) {
					Optional<String> damage = zip.damage(entry);
					if (damage.isPresent()) {
						return "a zip archive whose entry " + entry.name() + " is damaged: " + damage.get();
					}
				}
				return "a zip archive of no known export format (no WhatsApp chat text, no Slack users.json "
						+ "or channels.json)";
			}
			catch (SafeZipException ex) {
				return "not a readable zip archive: " + ex.reason();
			}
			catch (IOException ex) {
				return "not a readable zip archive: " + ex.getMessage();
			}
		}
		if (utf16(head)) {
			return "UTF-16 text; exports are read as UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8, and migrate "
					+ "the copy)";
		}
		if (fileName.endsWith(".json") || fileName.endsWith(".jsonl") || fileName.endsWith(".ndjson")) {
			return "JSON of no known export format (no Teams chatMessage, no WhatsApp Cloud API webhook body)";
		}
		return "text without a WhatsApp message header in its first lines (no known export format)";
	}

	/** A byte-order mark, or ASCII text with a NUL in every other byte. */
	private static boolean utf16(byte[] head) {
		if (head.length >= 2 && ((head[0] == (byte) 0xFF && head[1] == (byte) 0xFE)
				|| (head[0] == (byte) 0xFE && head[1] == (byte) 0xFF))) {
			return true;
		}
		int pairs = Math.min(head.length / 2, 64);
		int nulls = 0;
		for (int i = 0; i < pairs; i++) {
			if (head[2 * i] == 0 || head[2 * i + 1] == 0) {
				nulls++;
			}
		}
		return pairs >= 4 && nulls * 10 >= pairs * 9;
	}

	private static long size(Path path) {
		try {
			if (Files.isDirectory(path)) {
				try (Stream<Path> files = Files.walk(path)) {
					return files.filter(Files::isRegularFile).mapToLong((f) -> f.toFile().length()).sum();
				}
			}
			return Files.size(path);
		}
		catch (IOException | UncheckedIOException ex) {
			return 0;
		}
	}

	private static long files(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter(Files::isRegularFile).count();
		}
		catch (IOException | UncheckedIOException ex) {
			return 0;
		}
	}

	/** What a file under a source is. */
	enum Kind {

		/** An export of a known format: a partition reads it. */
		EXPORT("export"),

		/** Looks like an export but no format can read it: quarantined whole. */
		UNREADABLE("quarantined"),

		/** Not an export (a photo beside a chat, a note, a hidden file): listed. */
		NOT_AN_EXPORT("not-an-export");

		private final String key;

		Kind(String key) {
			this.key = key;
		}

		/** The name in reports and in the {@code migration_file} table. */
		String key() {
			return this.key;
		}

	}

	/**
	 * One file (or export directory) under a source.
	 *
	 * @param path its absolute path
	 * @param name its path relative to the source, for reports
	 * @param kind what it is
	 * @param format its format, for an export; else null
	 * @param size its size in bytes (all files, for a directory)
	 * @param files the files it holds: 1, or the files of an export directory
	 * @param reason why it is quarantined or not an export; null for an export
	 */
	record Item(Path path, String name, Kind kind, SourceFormat format, long size, long files, String reason) {
	}

	/**
	 * Everything found under a source, in a stable order.
	 *
	 * @param items the files and export directories
	 */
	record Inventory(List<Item> items) {

		List<Item> of(Kind kind) {
			return this.items.stream().filter((item) -> item.kind() == kind).toList();
		}

		/** The items a partition reads: exports and unreadable files. */
		List<Item> partitions() {
			return this.items.stream().filter((item) -> item.kind() != Kind.NOT_AN_EXPORT).toList();
		}

		/** How many files there are under the source. */
		long files() {
			return this.items.stream().mapToLong(Item::files).sum();
		}

		/** Files, exports, quarantined files and the rest, in one line. */
		String describe() {
			List<Item> exports = of(Kind.EXPORT);
			long inExports = exports.stream().mapToLong(Item::files).sum();
			return "files " + files() + " = " + inExports + " in " + exports.size() + " export(s) + "
					+ of(Kind.UNREADABLE).size() + " unreadable (quarantined whole) + " + of(Kind.NOT_AN_EXPORT).size()
					+ " not an export";
		}

	}

}
