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

	private final Pkcs12KeyEncryptionKeys keys;

	KeystoreDoctorCheck(Pkcs12KeyEncryptionKeys keys) {
		this.keys = keys;
	}

	@Override
	public String name() {
		return "keystore";
	}

	@Override
	public Finding check() {
		if (!Files.exists(this.keys.keystoreFile())) {
			if (this.keys.passwordFromFile()) {
				return Finding.ok("warning: no keystore yet at " + this.keys.keystoreFile()
						+ "; the first archive run will create it with a generated password kept beside it. "
						+ "Set chatvault.crypto.keystore-password (CHATVAULT_KEYSTORE_PASSWORD) before the first run.");
			}
			return Finding.ok("no keystore yet at " + this.keys.keystoreFile()
					+ "; the first archive run will create it with the configured password");
		}
		try {
			int current = this.keys.currentVersion();
			String detail = this.keys.description() + " opens; current key-encryption key version " + current + " of "
					+ this.keys.versions().size();
			if (this.keys.passwordFromFile()) {
				return Finding.ok("warning: " + detail + ", but its password is the generated one in "
						+ this.keys.passwordFile()
						+ ": anyone who can read the data directory can decrypt the archive. "
						+ "Move the password to chatvault.crypto.keystore-password (CHATVAULT_KEYSTORE_PASSWORD), delete "
						+ this.keys.passwordFile() + ", and keep a copy of the keystore off this machine.");
			}
			return Finding.ok(detail);
		}
		catch (RuntimeException ex) {
			return Finding.problem(ex.getMessage(),
					"check chatvault.crypto.keystore and chatvault.crypto.keystore-password (CHATVAULT_KEYSTORE_PASSWORD)");
		}
	}

}
