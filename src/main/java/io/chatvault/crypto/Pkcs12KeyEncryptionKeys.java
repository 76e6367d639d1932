package io.chatvault.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESWrapPadEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Key-encryption keys in a PKCS#12 keystore file: one AES-256 secret key entry per
 * version ({@code kek-1}, {@code kek-2}, ...), wrapping data keys with AES key wrap with
 * padding (RFC 5649, BouncyCastle). The keystore is created on first use; each change is
 * written to a temporary file and moved into place, so a crash never leaves a
 * half-written keystore.
 *
 * <p>
 * The password comes from configuration. In the zero-configuration embedded default there
 * is none: a strong random password is then generated into a file beside the keystore
 * ({@code <keystore>.password}, mode 0600). That keeps the archive working out of the box
 * but protects the keys no better than the data directory's permissions, which the
 * keystore doctor check says.
 */
public final class Pkcs12KeyEncryptionKeys implements KeyEncryptionKeys {

	private static final String ALIAS_PREFIX = "kek-";

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

	private final Path keystoreFile;

	private final char[] configuredPassword;

	private final SecureRandom random = new SecureRandom();

	private KeyStore keyStore;

	/**
	 * Keys already read: each read from the keystore derives the entry's key from the
	 * password (PBKDF2), which costs milliseconds.
	 */
	private final java.util.Map<Integer, SecretKey> keys = new java.util.HashMap<>();

	private char[] password;

	/**
	 * Creates the keys; nothing is read or written before the first use.
	 * @param keystoreFile the PKCS#12 file
	 * @param configuredPassword the configured password, or empty to use (or generate)
	 * the password file beside the keystore
	 */
	public Pkcs12KeyEncryptionKeys(Path keystoreFile, Optional<String> configuredPassword) {
		this.keystoreFile = keystoreFile.toAbsolutePath();
		this.configuredPassword = configuredPassword.filter((p) -> !p.isEmpty()).map(String::toCharArray).orElse(null);
	}

	/** The password file used when no password is configured. */
	public Path passwordFile() {
		return this.keystoreFile.resolveSibling(this.keystoreFile.getFileName() + ".password");
	}

	public Path keystoreFile() {
		return this.keystoreFile;
	}

	/** Whether the password is (or will be) read from the file beside the keystore. */
	public boolean passwordFromFile() {
		return this.configuredPassword == null;
	}

	@Override
	public String description() {
		return "pkcs12:" + this.keystoreFile;
	}

	@Override
	public synchronized int currentVersion() {
		List<Integer> versions = versions();
		if (versions.isEmpty()) {
			return underFileLock(() -> {
				// Another process may have added the first version meanwhile.
				this.keyStore = load();
				List<Integer> now = versions();
				return now.isEmpty() ? addVersion(1) : now.get(now.size() - 1);
			});
		}
		return versions.get(versions.size() - 1);
	}

	@Override
	public synchronized List<Integer> versions() {
		KeyStore store = keyStore();
		List<Integer> versions = new ArrayList<>();
		try {
			for (String alias : Collections.list(store.aliases())) {
				if (alias.startsWith(ALIAS_PREFIX)) {
					versions.add(Integer.parseInt(alias.substring(ALIAS_PREFIX.length())));
				}
			}
		}
		catch (GeneralSecurityException | NumberFormatException ex) {
			throw new KeyUnavailableException("Cannot list the keys of " + this.keystoreFile + ": " + ex.getMessage(),
					ex);
		}
		Collections.sort(versions);
		return versions;
	}

	@Override
	public WrappedKey wrap(byte[] dataKey) {
		int version = currentVersion();
		AESWrapPadEngine engine = new AESWrapPadEngine();
		engine.init(true, new KeyParameter(kek(version).getEncoded()));
		return new WrappedKey(version, engine.wrap(dataKey, 0, dataKey.length));
	}

	@Override
	public byte[] unwrap(WrappedKey wrapped) {
		AESWrapPadEngine engine = new AESWrapPadEngine();
		engine.init(false, new KeyParameter(kek(wrapped.kekVersion()).getEncoded()));
		try {
			return engine.unwrap(wrapped.bytes(), 0, wrapped.bytes().length);
		}
		catch (InvalidCipherTextException ex) {
			throw new KeyUnavailableException("A data key does not unwrap with key-encryption key version "
					+ wrapped.kekVersion() + " of " + this.keystoreFile + ": wrong keystore or altered key", ex);
		}
	}

	@Override
	public synchronized int rotate() {
		return underFileLock(() -> {
			// Read what other processes wrote, so that no version is lost or numbered
			// twice.
			this.keyStore = load();
			List<Integer> versions = versions();
			return addVersion(versions.isEmpty() ? 1 : versions.get(versions.size() - 1) + 1);
		});
	}

	@Override
	public synchronized void retire(int version) {
		underFileLock(() -> {
			this.keyStore = load();
			List<Integer> versions = versions();
			if (!versions.isEmpty() && versions.get(versions.size() - 1) == version) {
				throw new IllegalArgumentException("key-encryption key version " + version + " is the current one");
			}
			try {
				if (this.keyStore.containsAlias(ALIAS_PREFIX + version)) {
					this.keyStore.deleteEntry(ALIAS_PREFIX + version);
					save(this.keyStore);
				}
			}
			catch (GeneralSecurityException ex) {
				throw new KeyUnavailableException(
						"Cannot retire version " + version + " in " + this.keystoreFile + ": " + ex.getMessage(), ex);
			}
			this.keys.remove(version);
			return null;
		});
	}

	private int addVersion(int next) {
		KeyStore store = keyStore();
		byte[] key = new byte[32];
		this.random.nextBytes(key);
		try {
			store.setEntry(ALIAS_PREFIX + next, new KeyStore.SecretKeyEntry(new SecretKeySpec(key, "AES")),
					new KeyStore.PasswordProtection(this.password));
		}
		catch (GeneralSecurityException ex) {
			throw new KeyUnavailableException("Cannot add a key to " + this.keystoreFile + ": " + ex.getMessage(), ex);
		}
		save(store);
		return next;
	}

	private synchronized SecretKey kek(int version) {
		SecretKey cached = this.keys.get(version);
		if (cached != null) {
			return cached;
		}
		KeyStore store = keyStore();
		try {
			if (!store.containsAlias(ALIAS_PREFIX + version)) {
				// Another process may have rotated since this one read the keystore.
				this.keyStore = load();
				store = this.keyStore;
			}
			KeyStore.Entry entry = store.getEntry(ALIAS_PREFIX + version,
					new KeyStore.PasswordProtection(this.password));
			if (entry instanceof KeyStore.SecretKeyEntry secret) {
				this.keys.put(version, secret.getSecretKey());
				return secret.getSecretKey();
			}
		}
		catch (GeneralSecurityException ex) {
			throw new KeyUnavailableException(
					"Cannot read key-encryption key version " + version + " of " + this.keystoreFile, ex);
		}
		throw new KeyUnavailableException("Key-encryption key version " + version + " is not in " + this.keystoreFile
				+ " (versions: " + versions() + "): restore the keystore that wrapped this data key");
	}

	private KeyStore keyStore() {
		if (this.keyStore == null) {
			this.keyStore = underFileLock(this::load);
		}
		return this.keyStore;
	}

	/** Reads the keystore, creating it (and the password file) if there is none yet. */
	private KeyStore load() {
		try {
			boolean exists = Files.exists(this.keystoreFile);
			this.password = resolvePassword(exists);
			KeyStore store = KeyStore.getInstance("PKCS12");
			if (exists) {
				try (InputStream in = Files.newInputStream(this.keystoreFile)) {
					store.load(in, this.password);
				}
			}
			else {
				store.load(null, this.password);
				save(store);
			}
			return store;
		}
		catch (IOException ex) {
			if (ex.getCause() instanceof java.security.UnrecoverableKeyException) {
				throw new KeyUnavailableException("Wrong password for the keystore " + this.keystoreFile
						+ ": check chatvault.crypto.keystore-password (CHATVAULT_KEYSTORE_PASSWORD)", ex);
			}
			throw new KeyUnavailableException("Cannot open the keystore " + this.keystoreFile + ": " + ex.getMessage(),
					ex);
		}
		catch (GeneralSecurityException ex) {
			throw new KeyUnavailableException("Cannot open the keystore " + this.keystoreFile + ": " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Runs an action holding an exclusive lock on {@code <keystore>.lock}: two processes
	 * starting at once must not each create a keystore (one would overwrite the other's
	 * keys), nor rotate to the same version.
	 */
	private <T> T underFileLock(java.util.function.Supplier<T> action) {
		Path lockFile = this.keystoreFile.resolveSibling(this.keystoreFile.getFileName() + ".lock");
		try {
			createPrivateDirectory(this.keystoreFile.getParent());
			try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
					java.nio.channels.FileLock lock = lock(channel)) {
				return action.get();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KeyUnavailableException("Interrupted while waiting for " + lockFile, ex);
		}
		catch (IOException ex) {
			throw new KeyUnavailableException("Cannot lock " + lockFile + ": " + ex.getMessage(), ex);
		}
	}

	private char[] resolvePassword(boolean keystoreExists) throws IOException {
		if (this.configuredPassword != null) {
			return this.configuredPassword;
		}
		Path file = passwordFile();
		if (Files.exists(file)) {
			return Files.readString(file, StandardCharsets.US_ASCII).strip().toCharArray();
		}
		if (keystoreExists) {
			throw new KeyUnavailableException(
					"The keystore " + this.keystoreFile + " exists but no password is configured and there is no "
							+ file + ": set chatvault.crypto.keystore-password (CHATVAULT_KEYSTORE_PASSWORD)");
		}
		byte[] secret = new byte[32];
		this.random.nextBytes(secret);
		String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		writeAtomically(file, generated.getBytes(StandardCharsets.US_ASCII));
		return generated.toCharArray();
	}

	private void save(KeyStore store) {
		try {
			java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
			store.store(bytes, this.password);
			writeAtomically(this.keystoreFile, bytes.toByteArray());
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new KeyUnavailableException("Cannot write the keystore " + this.keystoreFile + ": " + ex.getMessage(),
					ex);
		}
	}

	private static java.nio.channels.FileLock lock(FileChannel channel) throws IOException, InterruptedException {
		while (true) {
			try {
				return channel.lock();
			}
			catch (java.nio.channels.OverlappingFileLockException ex) {
				// Held by another instance in this JVM (file locks are per process).
				Thread.sleep(10);
			}
		}
	}

	private static boolean posix() {
		return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
	}

	private static void createPrivateDirectory(Path directory) throws IOException {
		if (!Files.isDirectory(directory)) {
			Files.createDirectories(directory);
			if (posix()) {
				Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
			}
		}
	}

	private static void writeAtomically(Path target, byte[] content) throws IOException {
		Path directory = target.getParent();
		boolean posix = posix();
		createPrivateDirectory(directory);
		Path temporary = Files.createTempFile(directory, target.getFileName().toString(), ".tmp");
		try {
			if (posix) {
				Files.setPosixFilePermissions(temporary, OWNER_ONLY);
			}
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
					OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
				out.write(content);
				out.flush();
				channel.force(true);
			}
			Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

}
