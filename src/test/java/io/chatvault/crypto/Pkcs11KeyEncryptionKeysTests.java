package io.chatvault.crypto;

import java.util.UUID;

import io.chatvault.testsupport.TestPkcs11;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key-encryption keys in a SoftHSM2 token (ops/dev/softhsm.sh): versions, wrap and unwrap
 * inside the token, rotation, retirement, and a second instance (another process) reading
 * what the first wrapped.
 */
class Pkcs11KeyEncryptionKeysTests {

	private static Pkcs11KeyEncryptionKeys keys(String prefix) {
		TestPkcs11.Token token = TestPkcs11.token();
		return new Pkcs11KeyEncryptionKeys(token.library(), token.slot(), token.pin(), prefix);
	}

	@Test
	void wrapsInTheTokenRotatesAndRetires() {
		// given
		String prefix = "t-" + UUID.randomUUID().toString().substring(0, 8) + "-kek-";
		Pkcs11KeyEncryptionKeys keys = keys(prefix);
		byte[] dataKey = new byte[32];
		new java.security.SecureRandom().nextBytes(dataKey);

		// when
		WrappedKey first = keys.wrap(dataKey);
		int second = keys.rotate();
		WrappedKey rewrapped = keys.wrap(keys.unwrap(first));

		// then
		assertThat(first.kekVersion()).isEqualTo(1);
		assertThat(second).isEqualTo(2);
		assertThat(rewrapped.kekVersion()).isEqualTo(2);
		assertThat(keys(prefix).unwrap(rewrapped)).isEqualTo(dataKey);
		assertThat(keys(prefix).versions()).containsExactly(1, 2);
		byte[] altered = rewrapped.bytes().clone();
		altered[20] ^= 1;
		assertThatThrownBy(() -> keys.unwrap(new WrappedKey(2, altered))).isInstanceOf(KeyUnavailableException.class)
			.hasMessageContaining("wrong token or altered key");
		assertThatThrownBy(() -> keys.unwrap(new WrappedKey(1, rewrapped.bytes())))
			.isInstanceOf(KeyUnavailableException.class);

		// when
		keys.retire(1);

		// then
		assertThat(keys(prefix).versions()).containsExactly(2);
		assertThatThrownBy(() -> keys(prefix).unwrap(first)).isInstanceOf(KeyUnavailableException.class)
			.hasMessageContaining("retired");
		assertThatThrownBy(() -> keys.retire(2)).isInstanceOf(IllegalArgumentException.class);
	}

}
