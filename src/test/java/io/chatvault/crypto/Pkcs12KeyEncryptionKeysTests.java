package io.chatvault.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class Pkcs12KeyEncryptionKeysTests {

	@TempDir
	Path home;

	@Test
	void firstUseCreatesTheKeystoreWithAGeneratedPasswordReadableOnlyByTheOwner() throws IOException {
		// given
		Path keystore = this.home.resolve("keys/chatvault-kek.p12");
		Pkcs12KeyEncryptionKeys keys = new Pkcs12KeyEncryptionKeys(keystore, Optional.empty());

		// when
		WrappedKey wrapped = keys.wrap(new byte[32]);

		// then
		assertThat(wrapped.kekVersion()).isEqualTo(1);
		assertThat(wrapped.bytes()).hasSize(40);
		assertThat(keystore).exists();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.passwordFile())))
			.isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");
		assertThat(Files.readString(keys.passwordFile()).strip()).hasSize(43);
	}

	@Test
	void rotationAddsAVersionAndOldWrappedKeysStillUnwrapAfterReopening() {
		// given
		Path keystore = this.home.resolve("kek.p12");
		Pkcs12KeyEncryptionKeys keys = new Pkcs12KeyEncryptionKeys(keystore, Optional.of("s3cret-pass"));
		byte[] dataKey = StreamingAeadTests.randomBytes(32, 1);
		WrappedKey before = keys.wrap(dataKey);

		// when
		int rotated = keys.rotate();
		WrappedKey after = keys.wrap(dataKey);
		Pkcs12KeyEncryptionKeys reopened = new Pkcs12KeyEncryptionKeys(keystore, Optional.of("s3cret-pass"));

		// then
		assertThat(rotated).isEqualTo(2);
		assertThat(after.kekVersion()).isEqualTo(2);
		assertThat(reopened.versions()).isEqualTo(List.of(1, 2));
		assertThat(reopened.unwrap(before)).isEqualTo(dataKey);
		assertThat(reopened.unwrap(after)).isEqualTo(dataKey);
		assertThat(keys.passwordFile()).doesNotExist();
	}

	@Test
	void twoInstancesStartingAtOnceShareOneKeystore() throws Exception {
		// given
		Path keystore = this.home.resolve("shared/kek.p12");
		Pkcs12KeyEncryptionKeys one = new Pkcs12KeyEncryptionKeys(keystore, Optional.empty());
		Pkcs12KeyEncryptionKeys two = new Pkcs12KeyEncryptionKeys(keystore, Optional.empty());
		byte[] dataKey = StreamingAeadTests.randomBytes(32, 5);

		// when
		java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
		java.util.concurrent.Future<WrappedKey> first = threads.submit(() -> one.wrap(dataKey));
		java.util.concurrent.Future<WrappedKey> second = threads.submit(() -> two.wrap(dataKey));
		WrappedKey wrappedByOne = first.get();
		WrappedKey wrappedByTwo = second.get();
		threads.shutdown();

		// then
		assertThat(one.versions()).isEqualTo(List.of(1));
		assertThat(two.versions()).isEqualTo(List.of(1));
		assertThat(two.unwrap(wrappedByOne)).isEqualTo(dataKey);
		assertThat(one.unwrap(wrappedByTwo)).isEqualTo(dataKey);
	}

	@Test
	void aRotationByAnotherProcessIsSeenWhenItsVersionIsNeeded() {
		// given
		Path keystore = this.home.resolve("kek.p12");
		Pkcs12KeyEncryptionKeys reader = new Pkcs12KeyEncryptionKeys(keystore, Optional.of("p"));
		Pkcs12KeyEncryptionKeys rotator = new Pkcs12KeyEncryptionKeys(keystore, Optional.of("p"));
		reader.currentVersion();

		// when
		rotator.rotate();
		WrappedKey wrapped = rotator.wrap(new byte[32]);

		// then
		assertThat(wrapped.kekVersion()).isEqualTo(2);
		assertThat(reader.unwrap(wrapped)).isEqualTo(new byte[32]);
	}

	@Test
	void wrongPasswordIsOneClearLine() {
		// given
		Path keystore = this.home.resolve("kek.p12");
		new Pkcs12KeyEncryptionKeys(keystore, Optional.of("right")).currentVersion();

		// when / then
		assertThatExceptionOfType(KeyUnavailableException.class)
			.isThrownBy(() -> new Pkcs12KeyEncryptionKeys(keystore, Optional.of("wrong")).currentVersion())
			.withMessage("Wrong password for the keystore " + keystore.toAbsolutePath()
					+ ": check chatvault.crypto.keystore-password (CHATVAULT_KEYSTORE_PASSWORD)");
	}

	@Test
	void alteredWrappedKeyDoesNotUnwrap() {
		// given
		Pkcs12KeyEncryptionKeys keys = new Pkcs12KeyEncryptionKeys(this.home.resolve("kek.p12"), Optional.of("p"));
		WrappedKey wrapped = keys.wrap(new byte[32]);
		wrapped.bytes()[3] ^= 1;

		// when / then
		assertThatExceptionOfType(KeyUnavailableException.class).isThrownBy(() -> keys.unwrap(wrapped))
			.withMessageContaining("does not unwrap with key-encryption key version 1");
	}

	@Test
	void doctorWarnsAboutTheGeneratedPassword() {
		// given
		Pkcs12KeyEncryptionKeys keys = new Pkcs12KeyEncryptionKeys(this.home.resolve("kek.p12"), Optional.empty());
		keys.currentVersion();

		// when
		var finding = new KeystoreDoctorCheck(keys).check();

		// then: a warning, not a failure, since the archive works
		assertThat(finding.ok()).isTrue();
		assertThat(finding.detail()).startsWith("warning: pkcs12:")
			.contains("generated one in " + keys.passwordFile())
			.contains("CHATVAULT_KEYSTORE_PASSWORD");
	}

	@Test
	void doctorReportsAWrongPasswordAsAProblem() {
		// given
		Path keystore = this.home.resolve("kek.p12");
		new Pkcs12KeyEncryptionKeys(keystore, Optional.of("right")).currentVersion();

		// when
		var finding = new KeystoreDoctorCheck(new Pkcs12KeyEncryptionKeys(keystore, Optional.of("wrong"))).check();

		// then
		assertThat(finding.ok()).isFalse();
		assertThat(finding.detail()).startsWith("Wrong password for the keystore");
		assertThat(finding.fix()).contains("CHATVAULT_KEYSTORE_PASSWORD");
	}

}
