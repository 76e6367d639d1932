package io.chatvault.crypto;

import java.nio.file.Path;

import io.chatvault.ChatVaultHome;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Wires the key-encryption keys ({@code chatvault.crypto.provider}: the PKCS#12 keystore
 * by default, or a PKCS#11 token), the data keys and the keystore's doctor check.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ CryptoProperties.class, ChatVaultHome.class })
class CryptoConfiguration {

	@Bean
	KeyEncryptionKeys keyEncryptionKeys(CryptoProperties properties, ChatVaultHome home, Environment environment) {
		if ("pkcs11".equals(properties.provider())) {
			CryptoProperties.Pkcs11 token = properties.pkcs11();
			if (token.library() == null || token.slot() == null || token.pin() == null) {
				throw new IllegalStateException(
						"chatvault.crypto.provider=pkcs11 needs chatvault.crypto.pkcs11.library, "
								+ ".slot and .pin (CHATVAULT_CRYPTO_PKCS11_PIN)");
			}
			return new Pkcs11KeyEncryptionKeys(token.library(), token.slot(), token.pin(), token.labelPrefix());
		}
		if (!"pkcs12".equals(properties.provider())) {
			throw new IllegalStateException(
					"chatvault.crypto.provider must be pkcs12 or pkcs11, not '" + properties.provider() + "'");
		}
		Path keystore = properties.optionalKeystore().orElseGet(() -> home.resolve("keys", "chatvault-kek.p12"));
		return new Pkcs12KeyEncryptionKeys(keystore, properties.optionalKeystorePassword()
			.or(() -> java.util.Optional.ofNullable(environment.getProperty("CHATVAULT_KEYSTORE_PASSWORD"))));
	}

	@Bean
	DataKeys dataKeys(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, KeyEncryptionKeys keks) {
		return new DataKeys(jdbc, transactionManager, keks);
	}

	@Bean
	KeystoreDoctorCheck keystoreDoctorCheck(KeyEncryptionKeys keys) {
		return new KeystoreDoctorCheck(keys);
	}

}
