package io.chatvault.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.chatvault.message.ByteRange;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;

/**
 * Safe, streaming read access to a zip archive (WhatsApp export zips, Slack workspace
 * exports), for every parser.
 *
 * <p>
 * The archive is read from its own central directory, parsed here, never through
 * {@code java.util.zip}'s resolution: an archive is evidence, and a forger can build one
 * that two readers read differently. So every entry's local header is compared with its
 * central record (name, method, flags, CRC-32, sizes, and the data descriptor after the
 * data), entries may not overlap each other or the central directory, and no two entries
 * may have the same name. An archive that fails any of these is refused as a whole with a
 * {@link SafeZipException} at {@link #open}: nothing of it is read, so the caller
 * quarantines the file as it is, and no choice between two readings is ever made.
 *
 * <p>
 * Entries that are unsafe or unreadable on their own are refused one by one and listed by
 * {@link #refused()} with the reason and their stored bytes ({@link #stored(String)}), so
 * that parsers quarantine them and read the rest: names that would escape the archive
 * ({@code ../}, absolute paths, drive letters, backslashes, NUL), encrypted entries,
 * unsupported compression methods, and entries whose declared size or declared
 * compression ratio passes the {@link Limits}. Those limits act before anything is
 * inflated; while an entry is read, no more than its declared size is ever inflated (one
 * byte more proves a lie), so the bytes inflated per entry are bounded by the entry limit
 * and the ratio, and per archive by the declared total. The CRC-32 of every entry is
 * checked when it has been read to its end ({@link #damage(Entry)} reads an entry through
 * to tell whether it is intact before a parser trusts any of it).
 *
 * <p>
 * Every error is a {@link SafeZipException} naming {@code archive!entry}.
 */
public final class SafeZip implements Closeable {

	private static final int LOCAL_HEADER = 0x04034b50;

	private static final int CENTRAL_HEADER = 0x02014b50;

	private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;

	private static final int ZIP64_END = 0x06064b50;

	private static final int ZIP64_LOCATOR = 0x07064b50;

	private static final int DATA_DESCRIPTOR = 0x08074b50;

	private static final int FLAG_ENCRYPTED = 1;

	private static final int FLAG_DESCRIPTOR = 1 << 3;

	private static final int FLAG_STRONG_ENCRYPTION = 1 << 6;

	private static final int FLAG_UTF8 = 1 << 11;

	private static final int STORED = 0;

	private static final int DEFLATED = 8;

	private static final long MAGIC32 = 0xFFFFFFFFL;

	private static final int MAGIC16 = 0xFFFF;

	private static final Charset CP437 = cp437();

	private final Path archive;

	private final String archiveName;

	private final Limits limits;

	private final int depth;

	private final FileChannel channel;

	private final Map<String, Entry> entries;

	private final Map<String, Layout> layouts;

	private final List<Refusal> refused;

	private final List<Path> temporaryFiles = new ArrayList<>();

	private final Map<String, Optional<String>> damage = new HashMap<>();

	private long inflatedTotal;

	/** Where the central directory starts: no entry's bytes may reach into it. */
	private long centralDirectoryOffset;

	private SafeZip(Path archive, String archiveName, Limits limits, int depth) throws IOException {
		this.archive = archive;
		this.archiveName = archiveName;
		this.limits = limits;
		this.depth = depth;
		if (depth > limits.maxNesting()) {
			throw refusal("",
					"archives nested " + depth + " deep; at most " + limits.maxNesting() + " levels are read");
		}
		try {
			this.channel = FileChannel.open(archive, StandardOpenOption.READ);
		}
		catch (NoSuchFileException ex) {
			throw new SafeZipException(archiveName, "", "no such file", ex);
		}
		try {
			List<Layout> all = new CentralDirectory().parse();
			checkLocalHeaders(all);
			Map<String, Entry> accepted = new LinkedHashMap<>();
			Map<String, Layout> byName = new HashMap<>();
			List<Refusal> refusals = new ArrayList<>();
			long declaredTotal = 0;
			for (Layout layout : all) {
				byName.put(layout.name, layout);
				if (layout.unsafe != null) {
					refusals.add(new Refusal(layout.name, layout.unsafe));
					continue;
				}
				if (layout.directory()) {
					continue;
				}
				Optional<String> unreadable = unreadable(layout);
				if (unreadable.isPresent()) {
					refusals.add(new Refusal(layout.name, unreadable.get()));
					continue;
				}
				declaredTotal += layout.size;
				if (declaredTotal > limits.maxTotalBytes()) {
					throw refusal(layout.name, "entries declare more than " + limits.maxTotalBytes()
							+ " uncompressed bytes in total; refusing a possible zip bomb");
				}
				accepted.put(layout.name, layout.entry());
			}
			this.entries = Collections.unmodifiableMap(accepted);
			this.layouts = byName;
			this.refused = List.copyOf(refusals);
		}
		catch (IOException | RuntimeException ex) {
			this.channel.close();
			if (ex instanceof SafeZipException || ex instanceof RuntimeException) {
				throw ex;
			}
			throw new SafeZipException(archiveName, "", "not a readable zip archive (" + describe(ex) + ")", ex);
		}
	}

	/**
	 * Opens an archive with the {@link Limits#defaults() default limits}.
	 * @param archive the zip file
	 * @return the open archive, to be closed by the caller
	 * @throws SafeZipException if the archive is not a zip, is forged or damaged in its
	 * structure, or exceeds a limit as a whole
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
	 * @throws SafeZipException if the archive is not a zip, is forged or damaged in its
	 * structure, or exceeds a limit as a whole
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
	 * The bytes an entry occupies in the archive file, from its local header to the end
	 * of its data (and data descriptor), exactly as stored: what quarantine keeps of a
	 * refused or damaged entry, since inflating it is either impossible or the very
	 * danger.
	 * @param name an entry name, refused or not
	 * @return the range, or empty if the archive has no such entry
	 */
	public Optional<ByteRange> stored(String name) {
		Layout layout = this.layouts.get(name);
		if (layout == null) {
			return Optional.empty();
		}
		return Optional.of(new ByteRange(this.archive, layout.localOffset, layout.spanEnd - layout.localOffset));
	}

	/**
	 * An entry as a quarantined record: its stored bytes (never inflated) and the reason.
	 * @param file the input as named in locations
	 * @param entry the entry name, refused or not
	 * @param line the record number to give the location (0 for an entry as a whole)
	 * @param reason why it is quarantined
	 * @return the record
	 */
	public QuarantinedRecord quarantined(String file, String entry, long line, String reason) {
		SourceLocation origin = new SourceLocation(file, entry, line);
		return stored(entry).map((range) -> QuarantinedRecord.ofRange(origin, reason, range))
			.orElseGet(() -> new QuarantinedRecord(origin, reason, new byte[0]));
	}

	/**
	 * Opens an entry as a stream that stops with a {@link SafeZipException} as soon as
	 * anything is wrong: more bytes than declared, fewer, corrupt data, a CRC-32 that
	 * does not match (checked at the end), or the archive's inflation limit passed.
	 * @param entry an entry of this archive
	 * @return the inflated bytes, to be closed by the caller
	 * @throws SafeZipException if the entry is not a safe entry of this archive
	 * @throws IOException if it cannot be read
	 */
	public InputStream open(Entry entry) throws IOException {
		Entry known = this.entries.get(entry.name());
		if (known == null || !known.equals(entry)) {
			throw new SafeZipException(this.archiveName, entry.name(), "not a readable entry of this archive");
		}
		return new EntryStream(this.layouts.get(entry.name()));
	}

	/**
	 * Reads an entry through to its end, once, to tell whether it is intact (its CRC-32,
	 * its sizes, its compressed data) before a parser trusts any of its records: records
	 * archived from an entry found damaged only at its end could not be taken back.
	 * @param entry an entry of this archive
	 * @return the reason it cannot be trusted, or empty if it is intact
	 */
	public Optional<String> damage(Entry entry) {
		return this.damage.computeIfAbsent(entry.name(), (name) -> {
			try (InputStream in = open(entry)) {
				in.transferTo(OutputStream.nullOutputStream());
				return Optional.empty();
			}
			catch (SafeZipException ex) {
				return Optional.of(ex.reason());
			}
			catch (IOException ex) {
				return Optional.of("cannot be read: " + describe(ex));
			}
		});
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
			this.channel.close();
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

	/** Why a safely named entry cannot be read, judged before any byte is inflated. */
	private Optional<String> unreadable(Layout layout) {
		if ((layout.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0) {
			return Optional.of("an encrypted entry (a password-protected archive); its bytes cannot be read");
		}
		if (layout.method != STORED && layout.method != DEFLATED) {
			return Optional.of("compression method " + layout.method + " (" + methodName(layout.method)
					+ ") is not supported; only stored and deflated entries are read");
		}
		if (layout.size > this.limits.maxEntryBytes()) {
			return Optional.of("declares " + layout.size + " uncompressed bytes; at most " + this.limits.maxEntryBytes()
					+ " are read from one entry");
		}
		if (layout.method == DEFLATED && layout.size > 0 && layout.compressedSize == 0) {
			return Optional.of("declares " + layout.size + " uncompressed bytes from no compressed data");
		}
		if (layout.size > this.limits.ratioThresholdBytes() && layout.compressedSize > 0
				&& (double) layout.size / layout.compressedSize > this.limits.maxRatio()) {
			return Optional.of("declares a compression ratio of " + (layout.size / layout.compressedSize) + ":1, above "
					+ (long) this.limits.maxRatio() + ":1; refusing a possible zip bomb");
		}
		return Optional.empty();
	}

	private static String methodName(int method) {
		return switch (method) {
			case 1 -> "shrunk";
			case 6 -> "imploded";
			case 9 -> "deflate64";
			case 12 -> "bzip2";
			case 14 -> "LZMA";
			case 93 -> "zstd";
			case 95 -> "xz";
			case 99 -> "AES-encrypted";
			default -> "unknown";
		};
	}

	/**
	 * Compares each entry's local header with its central record and locates its data;
	 * then checks that no two entries share bytes. Java's ZipFile trusts the central
	 * directory and the streaming ZipInputStream the local headers: an archive on which
	 * they disagree is built to be read two ways.
	 */
	private void checkLocalHeaders(List<Layout> all) throws IOException {
		for (Layout layout : all) {
			String name = layout.name;
			ByteBuffer header = read(layout.localOffset, 30, name, "local header");
			if (header.getInt(0) != LOCAL_HEADER) {
				throw refusal(name, "no local header where the central directory says the entry starts (offset "
						+ layout.localOffset + ")");
			}
			int flags = header.getShort(6) & 0xFFFF;
			int method = header.getShort(8) & 0xFFFF;
			long crc = header.getInt(14) & MAGIC32;
			long compressed = header.getInt(18) & MAGIC32;
			long size = header.getInt(22) & MAGIC32;
			int nameLength = header.getShort(26) & 0xFFFF;
			int extraLength = header.getShort(28) & 0xFFFF;
			ByteBuffer variable = read(layout.localOffset + 30, nameLength + extraLength, name, "local header");
			byte[] localName = new byte[nameLength];
			variable.get(0, localName);
			if (!Arrays.equals(localName, layout.rawName)) {
				throw refusal(name, "the local header names the entry '" + decodeName(localName, flags)
						+ "': local and central headers disagree on the name");
			}
			int compared = FLAG_ENCRYPTED | FLAG_DESCRIPTOR | FLAG_STRONG_ENCRYPTION | FLAG_UTF8;
			if ((flags & compared) != (layout.flags & compared)) {
				throw refusal(name, "local and central headers disagree on the flags (" + Integer.toHexString(flags)
						+ " and " + Integer.toHexString(layout.flags) + ")");
			}
			if (method != layout.method) {
				throw refusal(name, "local and central headers disagree on the compression method (" + method + " and "
						+ layout.method + ")");
			}
			byte[] extra = new byte[extraLength];
			variable.get(nameLength, extra);
			long[] zip64 = zip64(extra, size == MAGIC32, compressed == MAGIC32, false, name, "local header");
			if (size == MAGIC32) {
				size = zip64[0];
			}
			if (compressed == MAGIC32) {
				compressed = zip64[1];
			}
			boolean descriptor = (flags & FLAG_DESCRIPTOR) != 0;
			// With a data descriptor the local header may carry zeros; values it does
			// carry must still agree.
			if (!descriptor || crc != 0 || compressed != 0 || size != 0) {
				if (crc != layout.crc) {
					throw refusal(name, "local and central headers disagree on the CRC-32");
				}
				if (compressed != layout.compressedSize || size != layout.size) {
					throw refusal(name, "local and central headers disagree on the sizes (" + compressed + "/" + size
							+ " and " + layout.compressedSize + "/" + layout.size + " bytes)");
				}
			}
			layout.dataStart = layout.localOffset + 30 + nameLength + extraLength;
			long dataEnd = layout.dataStart + layout.compressedSize;
			if (dataEnd < layout.dataStart || dataEnd > this.centralDirectoryOffset) {
				throw refusal(name, "the entry's data runs past the start of the central directory");
			}
			layout.spanEnd = dataEnd;
			if (descriptor) {
				layout.spanEnd = dataEnd + checkDescriptor(layout, dataEnd, zip64.length > 0 || layout.zip64);
			}
			if (layout.method == STORED && layout.compressedSize != layout.size) {
				throw refusal(name, "a stored entry whose sizes differ (" + layout.compressedSize + " and "
						+ layout.size + " bytes)");
			}
		}
		List<Layout> byOffset = new ArrayList<>(all);
		byOffset.sort(Comparator.comparingLong((Layout layout) -> layout.localOffset));
		for (int i = 1; i < byOffset.size(); i++) {
			Layout previous = byOffset.get(i - 1);
			Layout next = byOffset.get(i);
			if (next.localOffset < previous.spanEnd) {
				throw refusal(next.name, "its bytes overlap those of entry '" + previous.name
						+ "' (overlapping entries: a zip bomb or a forged archive)");
			}
		}
	}

	/** Checks the data descriptor after an entry's data; returns its length. */
	private int checkDescriptor(Layout layout, long at, boolean zip64) throws IOException {
		int sizes = zip64 ? 16 : 8;
		long available = this.centralDirectoryOffset - at;
		ByteBuffer first = read(at, (int) Math.min(4, Math.max(available, 0)), layout.name, "data descriptor");
		boolean signed = first.limit() == 4 && first.getInt(0) == DATA_DESCRIPTOR;
		int length = (signed ? 4 : 0) + 4 + sizes;
		if (length > available) {
			throw refusal(layout.name, "the data descriptor runs into the central directory");
		}
		ByteBuffer descriptor = read(at + (signed ? 4 : 0), 4 + sizes, layout.name, "data descriptor");
		long crc = descriptor.getInt(0) & MAGIC32;
		long compressed = zip64 ? descriptor.getLong(4) : descriptor.getInt(4) & MAGIC32;
		long size = zip64 ? descriptor.getLong(12) : descriptor.getInt(8) & MAGIC32;
		if (crc != layout.crc) {
			throw refusal(layout.name, "the data descriptor and the central header disagree on the CRC-32");
		}
		if (compressed != layout.compressedSize || size != layout.size) {
			throw refusal(layout.name, "the data descriptor and the central header disagree on the sizes (" + compressed
					+ "/" + size + " and " + layout.compressedSize + "/" + layout.size + " bytes)");
		}
		return length;
	}

	/** Reads the end records and the central directory. */
	private final class CentralDirectory {

		List<Layout> parse() throws IOException {
			long fileSize = SafeZip.this.channel.size();
			int tailLength = (int) Math.min(fileSize, 22 + MAGIC16);
			ByteBuffer tail = SafeZip.this.read(fileSize - tailLength, tailLength, "", "end of the archive");
			List<Integer> candidates = new ArrayList<>();
			for (int i = tailLength - 22; i >= 0; i--) {
				if (tail.getInt(i) == END_OF_CENTRAL_DIRECTORY
						&& i + 22 + (tail.getShort(i + 20) & 0xFFFF) == tailLength) {
					candidates.add(i);
				}
			}
			if (candidates.isEmpty()) {
				throw refusal("", "not a readable zip archive (no end of central directory record: "
						+ "truncated, or not a zip)");
			}
			if (candidates.size() > 1) {
				throw refusal("", "two end of central directory records (one hidden in the archive comment): "
						+ "the archive can be read two ways");
			}
			int end = candidates.get(0);
			long endOffset = fileSize - tailLength + end;
			int disk = tail.getShort(end + 4) & 0xFFFF;
			int centralDisk = tail.getShort(end + 6) & 0xFFFF;
			long onDisk = tail.getShort(end + 8) & 0xFFFF;
			long count = tail.getShort(end + 10) & 0xFFFF;
			long size = tail.getInt(end + 12) & MAGIC32;
			long offset = tail.getInt(end + 16) & MAGIC32;
			long directoryEnd = endOffset;
			if (count == MAGIC16 || onDisk == MAGIC16 || size == MAGIC32 || offset == MAGIC32) {
				if (endOffset < 20) {
					throw refusal("", "a zip64 archive without its zip64 end locator");
				}
				ByteBuffer locator = SafeZip.this.read(endOffset - 20, 20, "", "zip64 end locator");
				if (locator.getInt(0) != ZIP64_LOCATOR) {
					throw refusal("", "a zip64 archive without its zip64 end locator");
				}
				long zip64End = locator.getLong(8);
				if (zip64End < 0 || zip64End > endOffset - 20 - 56) {
					throw refusal("", "the zip64 end record is outside the archive");
				}
				ByteBuffer record = SafeZip.this.read(zip64End, 56, "", "zip64 end record");
				if (record.getInt(0) != ZIP64_END) {
					throw refusal("", "no zip64 end record where its locator says");
				}
				disk = record.getInt(16);
				centralDisk = record.getInt(20);
				onDisk = record.getLong(24);
				count = record.getLong(32);
				size = record.getLong(40);
				offset = record.getLong(48);
				directoryEnd = zip64End;
			}
			if (disk != 0 || centralDisk != 0 || onDisk != count) {
				throw refusal("", "an archive spanned over several disks is not read");
			}
			if (count > SafeZip.this.limits.maxEntries()) {
				throw refusal("",
						"holds " + count + " entries; at most " + SafeZip.this.limits.maxEntries() + " are read");
			}
			if (offset < 0 || size < 0 || offset + size != directoryEnd) {
				throw refusal("", "the central directory is not where the end record says (offset " + offset + ", size "
						+ size + "): damaged, or data hidden in the archive");
			}
			if (count * 46 > size) {
				throw refusal("", "the central directory is too small for its " + count + " entries");
			}
			SafeZip.this.centralDirectoryOffset = offset;
			return entries(offset, size, count);
		}

		private List<Layout> entries(long offset, long size, long count) throws IOException {
			List<Layout> layouts = new ArrayList<>((int) Math.min(count, 1 << 16));
			Map<String, String> names = new HashMap<>();
			try (InputStream in = new java.io.BufferedInputStream(
					new ByteRange(SafeZip.this.archive, offset, size).open(), 1 << 16)) {
				for (long index = 0; index < count; index++) {
					byte[] fixed = readFully(in, 46, "central directory");
					ByteBuffer header = ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN);
					if (header.getInt(0) != CENTRAL_HEADER) {
						throw refusal("", "central directory record " + (index + 1) + " of " + count + " is damaged");
					}
					Layout layout = new Layout();
					layout.flags = header.getShort(8) & 0xFFFF;
					layout.method = header.getShort(10) & 0xFFFF;
					layout.crc = header.getInt(16) & MAGIC32;
					layout.compressedSize = header.getInt(20) & MAGIC32;
					layout.size = header.getInt(24) & MAGIC32;
					int nameLength = header.getShort(28) & 0xFFFF;
					int extraLength = header.getShort(30) & 0xFFFF;
					int commentLength = header.getShort(32) & 0xFFFF;
					int diskStart = header.getShort(34) & 0xFFFF;
					layout.localOffset = header.getInt(42) & MAGIC32;
					layout.rawName = readFully(in, nameLength, "central directory");
					byte[] extra = readFully(in, extraLength, "central directory");
					readFully(in, commentLength, "central directory");
					layout.name = decodeName(layout.rawName, layout.flags);
					long[] zip64 = zip64(extra, layout.size == MAGIC32, layout.compressedSize == MAGIC32,
							layout.localOffset == MAGIC32, layout.name, "central header");
					int field = 0;
					if (layout.size == MAGIC32) {
						layout.size = zip64[field++];
						layout.zip64 = true;
					}
					if (layout.compressedSize == MAGIC32) {
						layout.compressedSize = zip64[field++];
						layout.zip64 = true;
					}
					if (layout.localOffset == MAGIC32) {
						layout.localOffset = zip64[field];
					}
					if (layout.size < 0 || layout.compressedSize < 0 || layout.localOffset < 0) {
						throw refusal(layout.name, "a negative size or offset in the central directory");
					}
					if (diskStart != 0 && diskStart != MAGIC16) {
						throw refusal(layout.name, "an entry on another disk of a spanned archive");
					}
					unicodePath(extra).ifPresent((other) -> {
						if (!other.equals(layout.name)) {
							throw new ForgedName(layout.name, other);
						}
					});
					String normalized = normalized(layout.name);
					String previous = names.putIfAbsent(normalized, layout.name);
					if (previous != null) {
						throw refusal(layout.name, "a second entry named '" + layout.name
								+ (previous.equals(layout.name) ? "'" : "' (the same path as '" + previous + "')")
								+ ": duplicate entries, of which different readers read different ones");
					}
					layout.unsafe = unsafeName(layout.name).orElse(null);
					layouts.add(layout);
				}
			}
			catch (ForgedName ex) {
				throw refusal(ex.name, "two names for one entry (the unicode path field says '" + ex.other
						+ "'): different readers read different names");
			}
			return layouts;
		}

	}

	/**
	 * Values of the zip64 extended information field, in the order the header's
	 * placeholders ask for them.
	 */
	private long[] zip64(byte[] extra, boolean size, boolean compressed, boolean offset, String name, String where)
			throws SafeZipException {
		int wanted = (size ? 1 : 0) + (compressed ? 1 : 0) + (offset ? 1 : 0);
		ByteBuffer buffer = ByteBuffer.wrap(extra).order(ByteOrder.LITTLE_ENDIAN);
		int at = 0;
		while (at + 4 <= extra.length) {
			int id = buffer.getShort(at) & 0xFFFF;
			int length = buffer.getShort(at + 2) & 0xFFFF;
			if (at + 4 + length > extra.length) {
				throw refusal(name, "a damaged extra field in the " + where);
			}
			if (id == 0x0001) {
				if (length < wanted * 8) {
					throw refusal(name, "a zip64 field too short for its sizes in the " + where);
				}
				long[] values = new long[wanted];
				for (int i = 0; i < wanted; i++) {
					values[i] = buffer.getLong(at + 4 + i * 8);
				}
				return values;
			}
			at += 4 + length;
		}
		if (wanted > 0) {
			throw refusal(name, "sizes that need a zip64 field the " + where + " does not have");
		}
		return new long[0];
	}

	/** The name in an Info-ZIP unicode path field (0x7075), if there is one. */
	private static Optional<String> unicodePath(byte[] extra) {
		ByteBuffer buffer = ByteBuffer.wrap(extra).order(ByteOrder.LITTLE_ENDIAN);
		int at = 0;
		while (at + 4 <= extra.length) {
			int id = buffer.getShort(at) & 0xFFFF;
			int length = buffer.getShort(at + 2) & 0xFFFF;
			if (at + 4 + length > extra.length) {
				return Optional.empty();
			}
			if (id == 0x7075 && length >= 5) {
				return Optional.of(new String(extra, at + 4 + 5, length - 5, StandardCharsets.UTF_8));
			}
			at += 4 + length;
		}
		return Optional.empty();
	}

	/**
	 * The path an extracting tool would write: "a//b", "./a/b" and "a/./b" are one file,
	 * so two entries with these names are duplicates too.
	 */
	private static String normalized(String name) {
		StringBuilder path = new StringBuilder();
		for (String segment : name.split("/", -1)) {
			if (segment.isEmpty() || segment.equals(".")) {
				continue;
			}
			path.append('/').append(segment);
		}
		return path.append(name.endsWith("/") ? "/" : "").toString();
	}

	/**
	 * Names are UTF-8 when the flag says so or the bytes are valid UTF-8 (as most tools
	 * write them without the flag), else CP437, the format's original code page.
	 */
	private static String decodeName(byte[] raw, int flags) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(raw))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return ((flags & FLAG_UTF8) != 0) ? new String(raw, StandardCharsets.UTF_8) : new String(raw, CP437);
		}
	}

	private static Charset cp437() {
		try {
			return Charset.forName("IBM437");
		}
		catch (RuntimeException ex) {
			return StandardCharsets.ISO_8859_1;
		}
	}

	private ByteBuffer read(long position, int length, String entry, String what) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
		long at = position;
		while (buffer.hasRemaining()) {
			int n = this.channel.read(buffer, at);
			if (n < 0) {
				throw refusal(entry, "the archive ends inside the " + what + " (truncated)");
			}
			at += n;
		}
		return buffer.flip();
	}

	private byte[] readFully(InputStream in, int length, String what) throws IOException {
		byte[] bytes = in.readNBytes(length);
		if (bytes.length != length) {
			throw refusal("", "the archive ends inside the " + what + " (truncated)");
		}
		return bytes;
	}

	private SafeZipException refusal(String entry, String reason) {
		return new SafeZipException(this.archiveName, entry, reason);
	}

	private static String describe(Exception ex) {
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

	/**
	 * A safe file entry.
	 *
	 * @param name the entry name, a relative path with forward slashes
	 * @param size the declared uncompressed size (checked while reading)
	 * @param compressedSize the compressed size
	 * @param crc the declared CRC-32
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
	 * workspace of many GB) while stopping the classic bombs before they inflate.
	 *
	 * @param maxTotalBytes the most uncompressed bytes all entries together may declare;
	 * the bytes actually inflated (entries may be read more than once: a survey, a check,
	 * the parse) may be at most four times this
	 * @param maxEntryBytes the most uncompressed bytes one entry may declare
	 * @param maxRatio the largest uncompressed/compressed ratio an entry may declare once
	 * it declares more than {@code ratioThresholdBytes}
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

		/** The most bytes inflated from one archive, all reads together. */
		long maxInflatedBytes() {
			return (this.maxTotalBytes > Long.MAX_VALUE / 4) ? Long.MAX_VALUE : this.maxTotalBytes * 4;
		}

		Limits remaining(long used) {
			return new Limits(Math.max(1, this.maxTotalBytes - used), this.maxEntryBytes, this.maxRatio,
					this.ratioThresholdBytes, this.maxEntries, this.maxNesting);
		}

	}

	/** Where an entry is and what its central record declares. */
	private static final class Layout {

		String name;

		byte[] rawName;

		int flags;

		int method;

		long crc;

		long compressedSize;

		long size;

		long localOffset;

		boolean zip64;

		long dataStart;

		long spanEnd;

		String unsafe;

		boolean directory() {
			return this.name.endsWith("/") && this.size == 0;
		}

		Entry entry() {
			return new Entry(this.name, this.size, this.compressedSize, this.crc);
		}

	}

	/** An entry with two names, found inside a lambda. */
	private static final class ForgedName extends RuntimeException {

		private final String name;

		private final String other;

		ForgedName(String name, String other) {
			super(null, null, false, false);
			this.name = name;
			this.other = other;
		}

	}

	/**
	 * The bytes of one entry: read from its data range only, inflated no further than its
	 * declared size, checked against its CRC-32 at the end.
	 */
	private final class EntryStream extends InputStream {

		private final Layout layout;

		private final InputStream compressed;

		private final Inflater inflater;

		private final byte[] input = new byte[1 << 16];

		private final CRC32 crc = new CRC32();

		private long produced;

		private boolean fedDummyByte;

		private boolean done;

		EntryStream(Layout layout) throws IOException {
			this.layout = layout;
			this.compressed = new ByteRange(SafeZip.this.archive, layout.dataStart, layout.compressedSize).open();
			this.inflater = (layout.method == DEFLATED) ? new Inflater(true) : null;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return (n < 0) ? -1 : one[0] & 0xFF;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (this.done) {
				return -1;
			}
			if (length == 0) {
				return 0;
			}
			if (this.produced == this.layout.size) {
				checkEnd();
				return -1;
			}
			int wanted = (int) Math.min(length, this.layout.size - this.produced);
			int n = (this.inflater != null) ? inflate(buffer, offset, wanted) : copy(buffer, offset, wanted);
			this.crc.update(buffer, offset, n);
			this.produced += n;
			SafeZip.this.inflatedTotal += n;
			if (SafeZip.this.inflatedTotal > SafeZip.this.limits.maxInflatedBytes()) {
				throw damaged("the archive inflated more than " + SafeZip.this.limits.maxInflatedBytes()
						+ " bytes in all; refusing a possible zip bomb");
			}
			return n;
		}

		private int copy(byte[] buffer, int offset, int length) throws IOException {
			int n = this.compressed.read(buffer, offset, length);
			if (n < 0) {
				throw damaged("truncated entry: " + this.produced + " of " + this.layout.size + " bytes");
			}
			return n;
		}

		private int inflate(byte[] buffer, int offset, int length) throws IOException {
			try {
				while (true) {
					int n = this.inflater.inflate(buffer, offset, length);
					if (n > 0) {
						return n;
					}
					if (this.inflater.finished()) {
						throw damaged("truncated entry: " + this.produced + " of " + this.layout.size + " bytes");
					}
					if (this.inflater.needsDictionary()) {
						throw damaged("corrupt entry data (a preset dictionary is not part of a zip entry)");
					}
					if (this.inflater.needsInput() && !feed()) {
						throw damaged("truncated entry: its compressed data ends after " + this.produced + " of "
								+ this.layout.size + " bytes");
					}
				}
			}
			catch (DataFormatException ex) {
				throw damaged("corrupt entry data (" + ex.getMessage() + ")");
			}
		}

		/** Gives the inflater more compressed bytes; false when there are none. */
		private boolean feed() throws IOException {
			int n = this.compressed.read(this.input, 0, this.input.length);
			if (n > 0) {
				this.inflater.setInput(this.input, 0, n);
				return true;
			}
			if (!this.fedDummyByte) {
				// A raw inflater may want one byte past the data to see the end.
				this.fedDummyByte = true;
				this.inflater.setInput(new byte[1], 0, 1);
				return true;
			}
			return false;
		}

		/**
		 * The declared size has been produced: the data must end here and match its
		 * CRC-32.
		 */
		private void checkEnd() throws IOException {
			this.done = true;
			if (this.inflater != null) {
				byte[] probe = new byte[1];
				try {
					while (!this.inflater.finished()) {
						if (this.inflater.inflate(probe) > 0) {
							throw damaged("inflates to more than its declared " + this.layout.size + " bytes");
						}
						if (this.inflater.needsDictionary() || (this.inflater.needsInput() && !feed())) {
							throw damaged("corrupt entry data (the compressed data does not end)");
						}
					}
				}
				catch (DataFormatException ex) {
					throw damaged("corrupt entry data (" + ex.getMessage() + ")");
				}
			}
			if (this.crc.getValue() != this.layout.crc) {
				throw damaged("CRC-32 mismatch: the entry is damaged");
			}
		}

		private SafeZipException damaged(String reason) {
			this.done = true;
			return new SafeZipException(SafeZip.this.archiveName, this.layout.name, reason);
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

		@Override
		public void close() throws IOException {
			try {
				this.compressed.close();
			}
			finally {
				if (this.inflater != null) {
					this.inflater.end();
				}
			}
		}

	}

}
