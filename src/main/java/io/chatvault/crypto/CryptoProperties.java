package io.chatvault.crypto;

import java.nio.file.Path;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Encryption settings ({@code chatvault.crypto.*}).
 *
 * @param keystore the PKCS#12 keystore of the key-encryption keys; default
 * {@code <chatvault.home>/keys/chatvault-kek.p12}
 * @param keystorePassword its password (or env {@code CHATVAULT_KEYSTORE_PASSWORD}); when
 * neither is set, a generated password is kept in {@code <keystore>.password}, mode 0600
 */
@Validated
@ConfigurationProperties("chatvault.crypto")
public record CryptoProperties(Path keystore, String keystorePassword) {

	public Optional<Path> optionalKeystore() {
		return Optional.ofNullable(this.keystore);
	}

	public Optional<String> optionalKeystorePassword() {
		return Optional.ofNullable(this.keystorePassword).filter((p) -> !p.isBlank());
	}

}
