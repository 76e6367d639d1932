package io.chatvault.crypto;

import java.nio.file.Files;

import io.chatvault.cli.DoctorCheck;

/**
 * Checks that the keystore opens with its password and holds a key-encryption key, and
 * warns when its password is the generated one kept beside it: the zero-configuration
 * default, which protects the keys no better than the data directory's permissions. The
 * warning does not fail {@code doctor} (the archive works; it is a risk to decide on), so
 * it is an ok finding whose detail starts with "warning:" and says how to fix it.
 */
class KeystoreDoctorCheck implements DoctorCheck {

	private final KeyEncryptionKeys anyKeys;

	KeystoreDoctorCheck(KeyEncryptionKeys keys) {
		this.anyKeys = keys;
	}

	@Override
	public String name() {
		return "keystore";
	}

	@Override
	public Finding check() {
		if (!(this.anyKeys instanceof Pkcs12KeyEncryptionKeys keys)) {
			try {
				return Finding.ok(this.anyKeys.description() + " opens; current key-encryption key version "
						+ this.anyKeys.currentVersion() + " of " + this.anyKeys.versions().size());
			}
			catch (RuntimeException ex) {
				return Finding.problem(ex.getMessage(),
						"check chatvault.crypto.pkcs11.library, .slot and .pin, and that the token is present");
			}
		}
		if (!Files.exists(keys.keystoreFile())) {
			if (keys.passwordFromFile()) {
				return Finding.ok("warning: no keystore yet at " + keys.keystoreFile()
						+ "; the first archive run will create it with a generated password kept beside it. "
						+ "Set chatvault.crypto.keystore-password (CHATVAULT_KEYSTORE_PASSWORD) before the first run.");
			}
			return Finding.ok("no keystore yet at " + keys.keystoreFile()
					+ "; the first archive run will create it with the configured password");
		}
		try {
			int current = keys.currentVersion();
			String detail = keys.description() + " opens; current key-encryption key version " + current + " of "
					+ keys.versions().size();
			if (keys.passwordFromFile()) {
				return Finding.ok("warning: " + detail + ", but its password is the generated one in "
						+ keys.passwordFile() + ": anyone who can read the data directory can decrypt the archive. "
						+ "Move the password to chatvault.crypto.keystore-password (CHATVAULT_KEYSTORE_PASSWORD), delete "
						+ keys.passwordFile() + ", and keep a copy of the keystore off this machine.");
			}
			return Finding.ok(detail);
		}
		catch (RuntimeException ex) {
			return Finding.problem(ex.getMessage(),
					"check chatvault.crypto.keystore and chatvault.crypto.keystore-password (CHATVAULT_KEYSTORE_PASSWORD)");
		}
	}

}
