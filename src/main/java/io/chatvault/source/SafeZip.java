package io.chatvault.source;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Safe, streaming read access to a zip archive (WhatsApp export zips, Slack workspace
 * exports), for every parser.
 *
 * <p>
 * Nothing is ever extracted to a path taken from the archive: entries are read as
 * streams. Still, entry names are used to match attachments and to name conversations, so
 * names that would escape the archive ({@code ../}, absolute paths, drive letters,
 * backslashes, NUL) are refused: such an entry is listed by {@link #refused()} with its
 * reason, so that the parser can quarantine it, and cannot be opened.
 *
 * <p>
 * Zip bombs are refused by limits ({@link Limits}): the entry count and the declared
 * sizes are checked when the archive is opened, and because declared sizes can lie, the
 * bytes actually inflated are counted while reading: per entry, per entry against its
 * compressed size (ratio), and over the whole archive (which also defeats overlapping
 * entries that inflate the same data many times). Nested archives are opened through
 * {@link #openNested(Entry)}, which counts the depth.
 *
 * <p>
 * Every error is a {@link SafeZipException} naming the archive and the entry.
 */
public final class SafeZip implements Closeable {

	private final Path archive;

	private final String archiveName;

	private final Limits limits;

	private final int depth;

	private final ZipFile zip;

	private final Map<String, Entry> entries;

	private final List<Refusal> refused;

	private final List<Path> temporaryFiles = new ArrayList<>();

	private long inflatedTotal;

	private SafeZip(Path archive, String archiveName, Limits limits, int depth) throws IOException {
		this.archive = archive;
		this.archiveName = archiveName;
		this.limits = limits;
		this.depth = depth;
		if (depth > limits.maxNesting()) {
			throw new SafeZipException(archiveName, "",
					"archives nested " + depth + " deep; at most " + limits.maxNesting() + " levels are read");
		}
		try {
			this.zip = new ZipFile(archive.toFile());
		}
		catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException ex) {
			throw new SafeZipException(archiveName, "", "no such file", ex);
		}
		catch (IOException ex) {
			throw new SafeZipException(archiveName, "",
					"not a readable zip archive (" + ex.getClass().getSimpleName() + ": " + ex.getMessage() + ")", ex);
		}
		try {
			if (this.zip.size() > limits.maxEntries()) {
				throw new SafeZipException(archiveName, "",
						"holds " + this.zip.size() + " entries; at most " + limits.maxEntries() + " are read");
			}
			Map<String, Entry> accepted = new LinkedHashMap<>();
			List<Refusal> refusals = new ArrayList<>();
			Set<String> seen = new HashSet<>();
			long declaredTotal = 0;
			Enumeration<? extends ZipEntry> all = this.zip.entries();
			while (all.hasMoreElements()) {
				ZipEntry zipEntry = all.nextElement();
				String name = zipEntry.getName();
				Optional<String> unsafe = unsafeName(name);
				if (unsafe.isPresent()) {
					refusals.add(new Refusal(name, unsafe.get()));
					continue;
				}
				if (!seen.add(name)) {
					refusals.add(new Refusal(name, "a second entry with the same name"));
					continue;
				}
				if (zipEntry.isDirectory()) {
					continue;
				}
				long size = zipEntry.getSize();
				if (size > limits.maxEntryBytes()) {
					refusals.add(new Refusal(name, "declares " + size + " uncompressed bytes; at most "
							+ limits.maxEntryBytes() + " are read from one entry"));
					continue;
				}
				declaredTotal += Math.max(size, 0);
				if (declaredTotal > limits.maxTotalBytes()) {
					throw new SafeZipException(archiveName, name, "entries declare more than " + limits.maxTotalBytes()
							+ " uncompressed bytes in total; refusing a possible zip bomb");
				}
				accepted.put(name, new Entry(name, size, zipEntry.getCompressedSize(), zipEntry.getCrc()));
			}
			this.entries = Collections.unmodifiableMap(accepted);
			this.refused = List.copyOf(refusals);
		}
		catch (IOException | RuntimeException ex) {
			this.zip.close();
			throw ex;
		}
	}

	/**
	 * Opens an archive with the {@link Limits#defaults() default limits}.
	 * @param archive the zip file
	 * @return the open archive, to be closed by the caller
	 * @throws SafeZipException if the archive is not a zip, or exceeds a limit
	 * @throws IOException if it cannot be read at all
	 */
	public static SafeZip open(Path archive) throws IOException {
		return open(archive, Limits.defaults());
	}

	/**
	 * Opens an archive.
	 * @param archive the zip file
	 * @param limits the limits against zip bombs
	 * @return the open archive, to be closed by the caller
	 * @throws SafeZipException if the archive is not a zip, or exceeds a limit
	 * @throws IOException if it cannot be read at all
	 */
	public static SafeZip open(Path archive, Limits limits) throws IOException {
		return new SafeZip(archive, archive.toString(), limits, 0);
	}

	/**
	 * Whether a file starts like a zip archive (local file header or empty-archive end
	 * record). Reads four bytes.
	 * @param file any file
	 * @return true if it looks like a zip
	 */
	public static boolean looksLikeZip(Path file) {
		if (!Files.isRegularFile(file)) {
			return false;
		}
		try (InputStream in = Files.newInputStream(file)) {
			byte[] magic = in.readNBytes(4);
			return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K'
					&& ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Why an entry name is unsafe, if it is.
	 * @param name an entry name
	 * @return the reason, or empty for a safe name
	 */
	static Optional<String> unsafeName(String name) {
		if (name.isEmpty()) {
			return Optional.of("an empty entry name");
		}
		if (name.indexOf('\0') >= 0) {
			return Optional.of("a NUL character in the entry name");
		}
		if (name.indexOf('\\') >= 0) {
			return Optional.of("a backslash in the entry name (a Windows path that may escape the archive)");
		}
		if (name.startsWith("/")) {
			return Optional.of("an absolute entry path");
		}
		if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
			return Optional.of("a drive letter in the entry path");
		}
		for (String segment : name.split("/", -1)) {
			if (segment.equals("..")) {
				return Optional.of("a '..' segment that escapes the archive");
			}
		}
		return Optional.empty();
	}

	/** The archive file. */
	public Path archive() {
		return this.archive;
	}

	/** How deep this archive is nested in others: 0 for an archive given by the user. */
	public int depth() {
		return this.depth;
	}

	/** The safe file entries (directories left out), in the archive's order. */
	public List<Entry> entries() {
		return List.copyOf(this.entries.values());
	}

	/** The entries that were refused, with the reason; parsers quarantine them. */
	public List<Refusal> refused() {
		return this.refused;
	}

	/**
	 * Finds a safe entry by its exact name.
	 * @param name the entry name
	 * @return the entry, or empty if there is none or it was refused
	 */
	public Optional<Entry> entry(String name) {
		return Optional.ofNullable(this.entries.get(name));
	}

	/**
	 * Opens an entry as a stream that stops with a {@link SafeZipException} as soon as a
	 * limit is passed.
	 * @param entry an entry of this archive
	 * @return the inflated bytes, to be closed by the caller
	 * @throws SafeZipException if the entry is not a safe entry of this archive
	 * @throws IOException if it cannot be read
	 */
	public InputStream open(Entry entry) throws IOException {
		if (this.entries.get(entry.name()) != entry && !entry.equals(this.entries.get(entry.name()))) {
			throw new SafeZipException(this.archiveName, entry.name(), "not a readable entry of this archive");
		}
		ZipEntry zipEntry = this.zip.getEntry(entry.name());
		if (zipEntry == null) {
			throw new SafeZipException(this.archiveName, entry.name(), "entry vanished from the archive");
		}
		try {
			return new BoundedEntryStream(this.zip.getInputStream(zipEntry), entry);
		}
		catch (ZipException ex) {
			throw new SafeZipException(this.archiveName, entry.name(), "corrupt entry (" + ex.getMessage() + ")", ex);
		}
	}

	/**
	 * Opens a zip archive held as an entry of this one. It is copied to a temporary file
	 * (within this archive's limits) that is deleted when this archive is closed.
	 * @param entry an entry holding a zip archive
	 * @return the nested archive, one level deeper, to be closed by the caller
	 * @throws SafeZipException if the nesting is too deep or a limit is passed
	 * @throws IOException if it cannot be read
	 */
	public SafeZip openNested(Entry entry) throws IOException {
		if (this.depth + 1 > this.limits.maxNesting()) {
			throw new SafeZipException(this.archiveName, entry.name(), "a nested archive " + (this.depth + 1)
					+ " levels deep; at most " + this.limits.maxNesting() + " levels are read");
		}
		Path copy = Files.createTempFile("chatvault-nested-", ".zip");
		this.temporaryFiles.add(copy);
		try (InputStream in = open(entry); OutputStream out = Files.newOutputStream(copy)) {
			in.transferTo(out);
		}
		return new SafeZip(copy, this.archiveName + "!" + entry.name(), this.limits.remaining(this.inflatedTotal),
				this.depth + 1);
	}

	/** The bytes inflated so far from all entries of this archive. */
	public long inflatedBytes() {
		return this.inflatedTotal;
	}

	@Override
	public void close() throws IOException {
		try {
			this.zip.close();
		}
		finally {
			for (Path temporary : this.temporaryFiles) {
				Files.deleteIfExists(temporary);
			}
		}
	}

	@Override
	public String toString() {
		return this.archiveName;
	}

	/**
	 * A safe file entry.
	 *
	 * @param name the entry name, a relative path with forward slashes
	 * @param size the declared uncompressed size, or -1 if unknown (the actual size is
	 * checked while reading)
	 * @param compressedSize the compressed size, or -1 if unknown
	 * @param crc the declared CRC-32, or -1
	 */
	public record Entry(String name, long size, long compressedSize, long crc) {

		/** The last path segment. */
		public String fileName() {
			int slash = this.name.lastIndexOf('/');
			return (slash >= 0) ? this.name.substring(slash + 1) : this.name;
		}

		/** The lowercase extension without the dot, or an empty string. */
		public String extension() {
			String file = fileName();
			int dot = file.lastIndexOf('.');
			return (dot > 0) ? file.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
		}

	}

	/**
	 * An entry that was refused, and why.
	 *
	 * @param name the entry name as stored in the archive
	 * @param reason why it is not read
	 */
	public record Refusal(String name, String reason) {
	}

	/**
	 * Limits against zip bombs. The defaults fit the largest real exports (a Slack
	 * workspace of many GB) while stopping the classic bombs quickly.
	 *
	 * @param maxTotalBytes the most uncompressed bytes read from all entries together
	 * @param maxEntryBytes the most uncompressed bytes read from one entry
	 * @param maxRatio the largest uncompressed/compressed ratio of an entry, checked once
	 * it has inflated more than {@code ratioThresholdBytes}
	 * @param ratioThresholdBytes below this size an entry may have any ratio (tiny
	 * entries of repeated text compress very well)
	 * @param maxEntries the most entries an archive may hold
	 * @param maxNesting the most levels of archives within archives
	 */
	public record Limits(long maxTotalBytes, long maxEntryBytes, double maxRatio, long ratioThresholdBytes,
			int maxEntries, int maxNesting) {

		public Limits {
			if (maxTotalBytes <= 0 || maxEntryBytes <= 0 || maxRatio <= 1 || ratioThresholdBytes < 0 || maxEntries <= 0
					|| maxNesting < 0) {
				throw new IllegalArgumentException("invalid zip limits");
			}
		}

		/**
		 * 256 GiB in total, 64 GiB per entry, ratio 1000 beyond 1 MiB, 1,000,000 entries,
		 * 2 levels of nesting.
		 */
		public static Limits defaults() {
			return new Limits(256L << 30, 64L << 30, 1000, 1L << 20, 1_000_000, 2);
		}

		/**
		 * These limits with another per-entry limit.
		 * @param bytes the most uncompressed bytes read from one entry
		 * @return the changed limits
		 */
		public Limits withEntryBytes(long bytes) {
			return new Limits(this.maxTotalBytes, bytes, this.maxRatio, this.ratioThresholdBytes, this.maxEntries,
					this.maxNesting);
		}

		Limits remaining(long used) {
			return new Limits(Math.max(1, this.maxTotalBytes - used), this.maxEntryBytes, this.maxRatio,
					this.ratioThresholdBytes, this.maxEntries, this.maxNesting);
		}

	}

	/** Counts the inflated bytes and stops at the first limit passed. */
	private final class BoundedEntryStream extends FilterInputStream {

		private final Entry entry;

		private long read;

		private final CRC32 crc = new CRC32();

		private boolean verified;

		BoundedEntryStream(InputStream in, Entry entry) {
			super(in);
			this.entry = entry;
		}

		@Override
		public int read() throws IOException {
			int b = guarded(() -> super.read());
			if (b >= 0) {
				this.crc.update(b);
				count(1);
			}
			else {
				verify();
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = guarded(() -> super.read(buffer, offset, length));
			if (n > 0) {
				this.crc.update(buffer, offset, n);
				count(n);
			}
			else if (n < 0) {
				verify();
			}
			return n;
		}

		@Override
		public long skip(long n) throws IOException {
			// Skipping inflates too: count it like a read.
			byte[] scratch = new byte[8192];
			long skipped = 0;
			while (skipped < n) {
				int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
				if (r < 0) {
					break;
				}
				skipped += r;
			}
			return skipped;
		}

		/**
		 * ZipFile does not check the CRC-32 of what it inflates; an archive is evidence,
		 * so a damaged entry must not pass for a good one.
		 */
		private void verify() throws SafeZipException {
			if (this.verified) {
				return;
			}
			this.verified = true;
			String name = this.entry.name();
			if (this.entry.size() >= 0 && this.read != this.entry.size()) {
				throw new SafeZipException(SafeZip.this.archiveName, name,
						"truncated entry: " + this.read + " of " + this.entry.size() + " bytes");
			}
			if (this.entry.crc() >= 0 && this.crc.getValue() != this.entry.crc()) {
				throw new SafeZipException(SafeZip.this.archiveName, name, "CRC-32 mismatch: the entry is damaged");
			}
		}

		private int guarded(IoRead read) throws IOException {
			try {
				return read.get();
			}
			catch (SafeZipException ex) {
				throw ex;
			}
			catch (IOException ex) {
				throw new SafeZipException(SafeZip.this.archiveName, this.entry.name(),
						"corrupt entry data (" + ex.getMessage() + ")", ex);
			}
		}

		private void count(int n) throws SafeZipException {
			this.read += n;
			SafeZip.this.inflatedTotal += n;
			Limits limits = SafeZip.this.limits;
			String name = this.entry.name();
			if (this.entry.size() >= 0 && this.read > this.entry.size()) {
				throw new SafeZipException(SafeZip.this.archiveName, name,
						"inflates to more than its declared " + this.entry.size() + " bytes");
			}
			if (this.read > limits.maxEntryBytes()) {
				throw new SafeZipException(SafeZip.this.archiveName, name,
						"inflates to more than " + limits.maxEntryBytes() + " bytes; refusing a possible zip bomb");
			}
			if (SafeZip.this.inflatedTotal > limits.maxTotalBytes()) {
				throw new SafeZipException(SafeZip.this.archiveName, name, "the archive inflates to more than "
						+ limits.maxTotalBytes() + " bytes in total; refusing a possible zip bomb");
			}
			long compressed = this.entry.compressedSize();
			if (this.read > limits.ratioThresholdBytes() && compressed > 0
					&& (double) this.read / compressed > limits.maxRatio()) {
				throw new SafeZipException(SafeZip.this.archiveName, name,
						"compression ratio above " + (long) limits.maxRatio() + ":1; refusing a possible zip bomb");
			}
		}

	}

	@FunctionalInterface
	private interface IoRead {

		int get() throws IOException;

	}

}
