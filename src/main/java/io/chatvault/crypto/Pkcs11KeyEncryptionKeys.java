package io.chatvault.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Key-encryption keys in a PKCS#11 token (a hardware security module; SoftHSM2 in
 * development and tests) through the JDK's SunPKCS11 provider: one AES-256 secret key
 * object per version, labelled {@code <prefix><n>} ({@code chatvault-kek-1}, ...),
 * generated in the token and never leaving it. A data key is wrapped by AES-GCM inside
 * the token: {@code 0x01 | nonce (12) | ciphertext | tag (16)}, the version bound as
 * associated data. Retiring a version destroys its key object.
 */
public final class Pkcs11KeyEncryptionKeys implements KeyEncryptionKeys {

	private static final byte FORMAT = 1;

	private static final int NONCE_LENGTH = 12;

	private final String library;

	private final long slot;

	private final char[] pin;

	private final String prefix;

	private final SecureRandom random = new SecureRandom();

	private Provider provider;

	private KeyStore keyStore;

	private final Map<Integer, SecretKey> keys = new HashMap<>();

	/**
	 * Creates the keys; the token is opened at first use.
	 * @param library the PKCS#11 module ({@code /usr/lib/softhsm/libsofthsm2.so})
	 * @param slot the slot id of the token
	 * @param pin the user PIN
	 * @param prefix the label prefix of the key objects ({@code chatvault-kek-})
	 */
	public Pkcs11KeyEncryptionKeys(String library, long slot, String pin, String prefix) {
		this.library = library;
		this.slot = slot;
		this.pin = pin.toCharArray();
		this.prefix = prefix;
	}

	@Override
	public String description() {
		return "pkcs11:" + this.library + " slot " + this.slot + " (" + this.prefix + "<n>)";
	}

	private synchronized KeyStore keyStore() {
		if (this.keyStore == null) {
			try {
				Provider base = Security.getProvider("SunPKCS11");
				if (base == null) {
					throw new KeyUnavailableException("The JDK has no SunPKCS11 provider: cannot use " + description());
				}
				String config = "--name=ChatVault-" + this.slot + "\nlibrary=" + this.library + "\nslot=" + this.slot
						+ "\n";
				this.provider = base.configure(config);
				KeyStore store = KeyStore.getInstance("PKCS11", this.provider);
				store.load(null, this.pin);
				this.keyStore = store;
			}
			catch (GeneralSecurityException | java.io.IOException | java.security.ProviderException ex) {
				throw new KeyUnavailableException("Cannot open the PKCS#11 token " + description() + ": "
						+ ex.getMessage() + " (check chatvault.crypto.pkcs11.library, slot and pin)", ex);
			}
		}
		return this.keyStore;
	}

	@Override
	public synchronized int currentVersion() {
		List<Integer> versions = versions();
		return versions.isEmpty() ? rotate() : versions.get(versions.size() - 1);
	}

	@Override
	public synchronized List<Integer> versions() {
		List<Integer> versions = new ArrayList<>();
		try {
			for (String alias : Collections.list(keyStore().aliases())) {
				if (alias.startsWith(this.prefix)) {
					try {
						versions.add(Integer.parseInt(alias.substring(this.prefix.length())));
					}
					catch (NumberFormatException ex) {
						// another application's object with a similar label
					}
				}
			}
		}
		catch (GeneralSecurityException ex) {
			throw new KeyUnavailableException("Cannot list the keys of " + description() + ": " + ex.getMessage(), ex);
		}
		Collections.sort(versions);
		return versions;
	}

	@Override
	public WrappedKey wrap(byte[] dataKey) {
		int version = currentVersion();
		byte[] nonce = new byte[NONCE_LENGTH];
		this.random.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider());
			cipher.init(Cipher.ENCRYPT_MODE, kek(version), new GCMParameterSpec(128, nonce));
			cipher.updateAAD(associatedData(version));
			byte[] sealed = cipher.doFinal(dataKey);
			return new WrappedKey(version,
					ByteBuffer.allocate(1 + NONCE_LENGTH + sealed.length).put(FORMAT).put(nonce).put(sealed).array());
		}
		catch (GeneralSecurityException ex) {
			throw new KeyUnavailableException(
					"Cannot wrap a data key with version " + version + " of " + description() + ": " + ex.getMessage(),
					ex);
		}
	}

	@Override
	public byte[] unwrap(WrappedKey wrapped) {
		byte[] bytes = wrapped.bytes();
		if (bytes.length < 1 + NONCE_LENGTH + 16 || bytes[0] != FORMAT) {
			throw new KeyUnavailableException("A data key wrapped by version " + wrapped.kekVersion()
					+ " is not in the PKCS#11 format of " + description());
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider());
			cipher.init(Cipher.DECRYPT_MODE, kek(wrapped.kekVersion()),
					new GCMParameterSpec(128, bytes, 1, NONCE_LENGTH));
			cipher.updateAAD(associatedData(wrapped.kekVersion()));
			return cipher.doFinal(bytes, 1 + NONCE_LENGTH, bytes.length - 1 - NONCE_LENGTH);
		}
		catch (AEADBadTagException ex) {
			throw new KeyUnavailableException("A data key does not unwrap with key-encryption key version "
					+ wrapped.kekVersion() + " of " + description() + ": wrong token or altered key", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new KeyUnavailableException("Cannot unwrap a data key with version " + wrapped.kekVersion() + " of "
					+ description() + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public synchronized int rotate() {
		List<Integer> versions = versions();
		int next = versions.isEmpty() ? 1 : versions.get(versions.size() - 1) + 1;
		try {
			KeyGenerator generator = KeyGenerator.getInstance("AES", provider());
			generator.init(256);
			SecretKey key = generator.generateKey();
			keyStore().setEntry(this.prefix + next, new KeyStore.SecretKeyEntry(key), null);
		}
		catch (GeneralSecurityException ex) {
			throw new KeyUnavailableException("Cannot add a key to " + description() + ": " + ex.getMessage(), ex);
		}
		this.keys.remove(next);
		return next;
	}

	@Override
	public synchronized void retire(int version) {
		List<Integer> versions = versions();
		if (!versions.isEmpty() && versions.get(versions.size() - 1) == version) {
			throw new IllegalArgumentException("key-encryption key version " + version + " is the current one");
		}
		try {
			if (keyStore().containsAlias(this.prefix + version)) {
				keyStore().deleteEntry(this.prefix + version);
			}
		}
		catch (GeneralSecurityException ex) {
			throw new KeyUnavailableException(
					"Cannot retire version " + version + " in " + description() + ": " + ex.getMessage(), ex);
		}
		this.keys.remove(version);
	}

	private synchronized Provider provider() {
		keyStore();
		return this.provider;
	}

	private synchronized SecretKey kek(int version) {
		SecretKey cached = this.keys.get(version);
		if (cached != null) {
			return cached;
		}
		try {
			java.security.Key key = keyStore().getKey(this.prefix + version, null);
			if (key instanceof SecretKey secret) {
				this.keys.put(version, secret);
				return secret;
			}
		}
		catch (GeneralSecurityException ex) {
			throw new KeyUnavailableException(
					"Cannot read key-encryption key version " + version + " of " + description(), ex);
		}
		throw new KeyUnavailableException("Key-encryption key version " + version + " is not in " + description()
				+ " (versions: " + versions() + "): it was retired, or this is another token");
	}

	private static byte[] associatedData(int version) {
		return ("chatvault-kek-v" + version).getBytes(StandardCharsets.US_ASCII);
	}

}
