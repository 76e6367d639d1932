package io.chatvault.crypto;

import java.nio.file.Path;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Encryption settings ({@code chatvault.crypto.*}).
 *
 * @param keystore the PKCS#12 keystore of the key-encryption keys; default
 * {@code <chatvault.home>/keys/chatvault-kek.p12}
 * @param keystorePassword its password (or env {@code CHATVAULT_KEYSTORE_PASSWORD}); when
 * neither is set, a generated password is kept in {@code <keystore>.password}, mode 0600
 * @param provider where the key-encryption keys live: {@code pkcs12} (the keystore file)
 * or {@code pkcs11} (a hardware security module, {@link Pkcs11})
 * @param pkcs11 the PKCS#11 token, when {@code provider} is {@code pkcs11}
 */
@Validated
@ConfigurationProperties("chatvault.crypto")
public record CryptoProperties(Path keystore, String keystorePassword, @DefaultValue("pkcs12") String provider,
		@DefaultValue Pkcs11 pkcs11) {

	public Optional<Path> optionalKeystore() {
		return Optional.ofNullable(this.keystore);
	}

	public Optional<String> optionalKeystorePassword() {
		return Optional.ofNullable(this.keystorePassword).filter((p) -> !p.isBlank());
	}

	/**
	 * A PKCS#11 token ({@code chatvault.crypto.pkcs11.*}).
	 *
	 * @param library the PKCS#11 module ({@code /usr/lib/softhsm/libsofthsm2.so}, the HSM
	 * vendor's library)
	 * @param slot the token's slot id
	 * @param pin the user PIN (env {@code CHATVAULT_CRYPTO_PKCS11_PIN})
	 * @param labelPrefix the label prefix of the key objects, followed by the version
	 */
	public record Pkcs11(String library, Long slot, String pin, @DefaultValue("chatvault-kek-") String labelPrefix) {
	}

}
