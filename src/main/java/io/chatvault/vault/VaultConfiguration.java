package io.chatvault.vault;

import java.time.Clock;

import javax.sql.DataSource;

import io.chatvault.crypto.DataKeys;
import io.chatvault.storage.ObjectStore;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Wires the vault over the object store bean (primary plus replica), the data keys and
 * the index.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(VaultProperties.class)
class VaultConfiguration {

	@Bean
	RetentionPolicies retentionPolicies(JdbcTemplate jdbc, VaultProperties properties) {
		return new RetentionPolicies(jdbc, properties.retention());
	}

	@Bean
	MediaVault mediaVault(ObjectStore store, DataKeys dataKeys, JdbcTemplate jdbc, VaultProperties properties) {
		return new MediaVault(store, dataKeys, jdbc, properties.media());
	}

	@Bean
	PackedVault vault(ObjectStore store, DataKeys dataKeys, MediaVault media, RetentionPolicies retention,
			DataSource dataSource, JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		return new PackedVault(store, dataKeys, media, retention, dataSource, jdbc, transactionManager,
				Clock.systemUTC());
	}

	@Bean
	VaultStatus vaultStatus(JdbcTemplate jdbc) {
		return new VaultStatus(jdbc);
	}

}
