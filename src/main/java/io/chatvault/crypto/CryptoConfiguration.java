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
 * Wires the key-encryption keys (the PKCS#12 keystore; a KMS or HSM implementation of
 * {@link KeyEncryptionKeys} can replace this bean), the data keys and the keystore's
 * doctor check.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ CryptoProperties.class, ChatVaultHome.class })
class CryptoConfiguration {

	@Bean
	Pkcs12KeyEncryptionKeys keyEncryptionKeys(CryptoProperties properties, ChatVaultHome home,
			Environment environment) {
		Path keystore = properties.optionalKeystore().orElseGet(() -> home.resolve("keys", "chatvault-kek.p12"));
		return new Pkcs12KeyEncryptionKeys(keystore, properties.optionalKeystorePassword()
			.or(() -> java.util.Optional.ofNullable(environment.getProperty("CHATVAULT_KEYSTORE_PASSWORD"))));
	}

	@Bean
	DataKeys dataKeys(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, KeyEncryptionKeys keks) {
		return new DataKeys(jdbc, transactionManager, keks);
	}

	@Bean
	KeystoreDoctorCheck keystoreDoctorCheck(Pkcs12KeyEncryptionKeys keys) {
		return new KeystoreDoctorCheck(keys);
	}

}
