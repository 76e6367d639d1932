package io.chatvault.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The embedded write-once store: one file per object under a root directory
 * ({@code CHATVAULT_HOME/objects} by default). A put writes a temporary file in the
 * object's directory, forces it to disk and publishes it with a hard link, which fails if
 * the name exists, so that a crash never leaves a partial object visible and a second put
 * never replaces the first. Retention and legal hold live in a read-only sidecar file
 * next to the object ({@code .<name>.retention}), written before the object is published;
 * deletes are refused until the retain-until instant has passed and while a legal hold is
 * set.
 *
 * <p>
 * Files are made read-only, which guards against accidents but not against the root
 * account: for regulatory immutability put the directory on WORM storage or use S3 Object
 * Lock (see docs/storage.md).
 */
public final class FilesystemObjectStore implements ObjectStore {

	/**
	 * What a segment of an object key may hold (compiled once: every read resolves a
	 * key).
	 */
	private static final java.util.regex.Pattern SEGMENT = java.util.regex.Pattern.compile("[A-Za-z0-9._=+-]+");

	static final String TEMP_SUFFIX = ".tmp";

	private static final String SIDECAR_SUFFIX = ".retention";

	private static final Duration STALE_AFTER = Duration.ofHours(1);

	private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");

	private final Path root;

	private final Clock clock;

	/** Serializes commits within this JVM; {@link FileLock} serializes processes. */
	private final ReentrantLock commitLock = new ReentrantLock();

	private final Path lockFile;

	/**
	 * Opens (and creates if needed) a store under a directory.
	 * @param root the directory
	 */
	public FilesystemObjectStore(Path root) {
		this(root, Clock.systemUTC());
	}

	/**
	 * Opens a store with a clock, so that tests can see retention end.
	 * @param root the directory
	 * @param clock the clock retention is judged by
	 */
	public FilesystemObjectStore(Path root, Clock clock) {
		this.root = root.toAbsolutePath().normalize();
		this.clock = clock;
		this.lockFile = this.root.resolve(".lock");
		try {
			Files.createDirectories(this.root);
			if (!Files.exists(this.lockFile)) {
				Files.createFile(this.lockFile);
			}
		}
		catch (FileAlreadyExistsException ex) {
			// another process created the lock file first
		}
		catch (IOException ex) {
			throw new ObjectStoreException("Cannot create the object store directory " + this.root + ": " + ex, ex);
		}
	}

	/** The directory objects live in. */
	public Path root() {
		return this.root;
	}

	@Override
	public String name() {
		return "file:" + this.root;
	}

	@Override
	public PutOutcome put(String key, byte[] content, WriteOptions options) {
		Path target = resolve(key);
		if (Files.exists(target)) {
			return PutOutcome.ALREADY_PRESENT;
		}
		Path dir = target.getParent();
		Path dataTemp = null;
		Path sidecarTemp = null;
		try {
			createDirectories(dir);
			dataTemp = writeTemp(dir, target, content);
			sidecarTemp = writeTemp(dir, sidecarOf(target), Retention.of(options).serialize());
			return commit(target, dataTemp, sidecarTemp);
		}
		catch (IOException ex) {
			throw new ObjectStoreException("Cannot write " + key + " to " + name() + ": " + ex.getMessage(), ex);
		}
		finally {
			deleteQuietly(dataTemp);
			deleteQuietly(sidecarTemp);
		}
	}

	private PutOutcome commit(Path target, Path dataTemp, Path sidecarTemp) throws IOException {
		return underCommitLock(() -> {
			if (Files.exists(target)) {
				return PutOutcome.ALREADY_PRESENT;
			}
			// The sidecar first: an object must never be visible without its retention.
			// A sidecar left without its object by a crash is replaced by the next put.
			Files.move(sidecarTemp, sidecarOf(target), StandardCopyOption.ATOMIC_MOVE,
					StandardCopyOption.REPLACE_EXISTING);
			try {
				Files.createLink(target, dataTemp);
			}
			catch (FileAlreadyExistsException ex) {
				return PutOutcome.ALREADY_PRESENT;
			}
			forceDirectory(target.getParent());
			return PutOutcome.CREATED;
		});
	}

	@Override
	public Optional<InputStream> get(String key) {
		Path target = resolve(key);
		try {
			return Optional.of(Files.newInputStream(target));
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new ObjectStoreException("Cannot read " + key + " from " + name() + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public byte[] read(String key, long offset, int length) {
		if (offset < 0 || length < 0) {
			throw new IllegalArgumentException("offset and length must not be negative: " + offset + ", " + length);
		}
		Path target = resolve(key);
		try (FileChannel channel = FileChannel.open(target, StandardOpenOption.READ)) {
			long size = channel.size();
			if (offset + length > size) {
				throw new ObjectStoreException("Object " + key + " in " + name() + " has " + size
						+ " bytes; cannot read " + length + " from offset " + offset);
			}
			ByteBuffer buffer = ByteBuffer.allocate(length);
			while (buffer.hasRemaining()) {
				if (channel.read(buffer, offset + buffer.position()) < 0) {
					throw new ObjectStoreException("Object " + key + " in " + name() + " ended early");
				}
			}
			return buffer.array();
		}
		catch (NoSuchFileException ex) {
			throw new ObjectStoreException("No object " + key + " in " + name(), ex);
		}
		catch (IOException ex) {
			throw new ObjectStoreException("Cannot read " + key + " from " + name() + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public Optional<StoredObject> head(String key) {
		Path target = resolve(key);
		try {
			long size = Files.size(target);
			Retention retention = readRetention(key, target);
			return Optional.of(new StoredObject(key, size, retention.retainUntil(), retention.legalHold()));
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new ObjectStoreException("Cannot read " + key + " from " + name() + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public void delete(String key) {
		Path target = resolve(key);
		try {
			underCommitLock(() -> {
				if (!Files.exists(target)) {
					return null;
				}
				Retention retention = readRetention(key, target);
				if (retention.legalHold()) {
					throw new RetentionViolationException(
							"Object " + key + " in " + name() + " is on legal hold and cannot be deleted");
				}
				if (clock.instant().isBefore(retention.retainUntil())) {
					throw new RetentionViolationException("Object " + key + " in " + name() + " is retained until "
							+ retention.retainUntil() + " and cannot be deleted");
				}
				Files.delete(target);
				Files.deleteIfExists(sidecarOf(target));
				forceDirectory(target.getParent());
				return null;
			});
		}
		catch (IOException ex) {
			throw new ObjectStoreException("Cannot delete " + key + " from " + name() + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public void setLegalHold(String key, boolean on) {
		Path target = resolve(key);
		try {
			underCommitLock(() -> {
				if (!Files.exists(target)) {
					throw new ObjectStoreException("No object " + key + " in " + name());
				}
				Retention retention = readRetention(key, target);
				if (retention.legalHold() != on) {
					Path sidecar = sidecarOf(target);
					Path temp = writeTemp(target.getParent(), sidecar, retention.withLegalHold(on).serialize());
					try {
						Files.move(temp, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
					}
					finally {
						deleteQuietly(temp);
					}
					forceDirectory(target.getParent());
				}
				return null;
			});
		}
		catch (IOException ex) {
			throw new ObjectStoreException(
					"Cannot set the legal hold of " + key + " in " + name() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Removes temporary files left by writes that crashed, older than an hour (a younger
	 * one may belong to a write in progress in another process). They are never visible
	 * as objects; this only reclaims their space.
	 * @return how many were removed
	 */
	public int removeStaleTemporaryFiles() {
		Instant cutoff = clock.instant().minus(STALE_AFTER);
		List<Path> stale = new ArrayList<>();
		try (Stream<Path> files = Files.walk(this.root)) {
			files.filter((path) -> isTempName(path.getFileName().toString())).forEach((path) -> {
				try {
					if (Files.getLastModifiedTime(path).toInstant().isBefore(cutoff)) {
						stale.add(path);
					}
				}
				catch (IOException ex) {
					// vanished meanwhile: its write finished or another cleaner took it
				}
			});
		}
		catch (IOException | UncheckedIOException ex) {
			throw new ObjectStoreException("Cannot list " + this.root + ": " + ex.getMessage(), ex);
		}
		stale.forEach(FilesystemObjectStore::deleteQuietly);
		return stale.size();
	}

	static boolean isTempName(String fileName) {
		return fileName.startsWith(".") && fileName.endsWith(TEMP_SUFFIX);
	}

	private Retention readRetention(String key, Path target) throws IOException {
		try {
			return Retention.parse(Files.readString(sidecarOf(target), StandardCharsets.UTF_8));
		}
		catch (NoSuchFileException ex) {
			// Never written by this store: treat as retained forever rather than
			// deletable.
			throw new ObjectStoreException("Object " + key + " in " + name() + " has no retention record "
					+ sidecarOf(target).getFileName() + "; it was not written by ChatVault");
		}
	}

	/**
	 * Maps a key to its file, refusing anything that could escape the root or collide
	 * with the store's own hidden files (temporary files, sidecars, the lock).
	 */
	Path resolve(String key) {
		if (key == null || key.isEmpty() || key.length() > 1024) {
			throw new IllegalArgumentException("Object key must have 1 to 1024 characters: " + key);
		}
		for (String segment : key.split("/", -1)) {
			if (segment.isEmpty() || segment.startsWith(".") || !SEGMENT.matcher(segment).matches()) {
				throw new IllegalArgumentException("Invalid object key " + key
						+ ": segments of letters, digits and . _ = + -, not starting with a dot, separated by /");
			}
		}
		return this.root.resolve(key);
	}

	private static Path sidecarOf(Path target) {
		return target.resolveSibling("." + target.getFileName() + SIDECAR_SUFFIX);
	}

	private static Path writeTemp(Path dir, Path target, byte[] content) throws IOException {
		Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
		try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			ByteBuffer buffer = ByteBuffer.wrap(content);
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			channel.force(true);
		}
		Files.setPosixFilePermissions(temp, READ_ONLY);
		return temp;
	}

	private void createDirectories(Path dir) throws IOException {
		if (Files.isDirectory(dir)) {
			return;
		}
		Path firstMissing = dir;
		while (firstMissing.getParent() != null && !Files.isDirectory(firstMissing.getParent())) {
			firstMissing = firstMissing.getParent();
		}
		Files.createDirectories(dir);
		// New directory entries are durable only once their parents are forced.
		for (Path d = dir.getParent(); d != null && d.startsWith(firstMissing.getParent()); d = d.getParent()) {
			forceDirectory(d);
		}
	}

	private static void forceDirectory(Path dir) throws IOException {
		try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

	private <T> T underCommitLock(IoAction<T> action) throws IOException {
		this.commitLock.lock();
		try (FileChannel channel = FileChannel.open(this.lockFile, StandardOpenOption.WRITE);
				FileLock lock = channel.lock()) {
			return action.run();
		}
		finally {
			this.commitLock.unlock();
		}
	}

	private static void deleteQuietly(Path path) {
		if (path != null) {
			try {
				Files.deleteIfExists(path);
			}
			catch (IOException ex) {
				// a leftover temporary file is harmless and cleaned up later
			}
		}
	}

	@FunctionalInterface
	private interface IoAction<T> {

		T run() throws IOException;

	}

	/** The content of a sidecar: retain-until, lock mode and legal hold. */
	record Retention(Instant retainUntil, WriteOptions.LockMode lockMode, boolean legalHold) {

		static Retention of(WriteOptions options) {
			return new Retention(RetentionDates.wholeSecondsUp(options.retainUntil()), options.lockMode(),
					options.legalHold());
		}

		Retention withLegalHold(boolean on) {
			return new Retention(this.retainUntil, this.lockMode, on);
		}

		byte[] serialize() {
			return ("retainUntil=" + this.retainUntil + "\nlockMode=" + this.lockMode + "\nlegalHold=" + this.legalHold
					+ "\n")
				.getBytes(StandardCharsets.UTF_8);
		}

		static Retention parse(String text) {
			Instant retainUntil = null;
			WriteOptions.LockMode lockMode = null;
			Boolean legalHold = null;
			for (String line : text.split("\n")) {
				int eq = line.indexOf('=');
				if (eq < 0) {
					continue;
				}
				String value = line.substring(eq + 1).trim();
				switch (line.substring(0, eq).trim()) {
					case "retainUntil" -> retainUntil = Instant.parse(value);
					case "lockMode" -> lockMode = WriteOptions.LockMode.valueOf(value);
					case "legalHold" -> legalHold = Boolean.parseBoolean(value);
					default -> {
						// later versions may add fields
					}
				}
			}
			if (retainUntil == null || lockMode == null || legalHold == null) {
				throw new ObjectStoreException("Corrupt retention record: " + text.replace('\n', ' '));
			}
			return new Retention(retainUntil, lockMode, legalHold);
		}

	}

}
