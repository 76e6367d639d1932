package io.chatvault.vault;

import java.time.Clock;

import java.util.Optional;

import javax.sql.DataSource;

import io.chatvault.crypto.DataKeys;
import io.chatvault.storage.ObjectStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Wires the vault over the object store bean (primary plus replica), the data keys and
 * the index: the write path ({@link Vault}), the readers ({@link VaultReader}), the
 * catalog for checksum sampling ({@link VaultCatalog}) and the status figures.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(VaultProperties.class)
class VaultConfiguration {

	/** Threads that seal and write packs while the callers go on. */
	private static final int WRITER_THREADS = 4;

	@Bean
	RetentionPolicies retentionPolicies(JdbcTemplate jdbc, VaultProperties properties) {
		return new RetentionPolicies(jdbc, properties.retention());
	}

	@Bean(destroyMethod = "close")
	StoreWriter vaultStoreWriter(ObjectStore store) {
		return new StoreWriter(store, WRITER_THREADS, "vault-writer");
	}

	@Bean
	Holders vaultHolders(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		return new Holders(jdbc, transactionManager);
	}

	@Bean
	MediaVault mediaVault(ObjectStore store, StoreWriter vaultStoreWriter, DataKeys dataKeys, JdbcTemplate jdbc,
			VaultProperties properties) {
		return new MediaVault(store, vaultStoreWriter, dataKeys, jdbc, properties.media());
	}

	@Bean
	Originals vaultOriginals(ObjectStore store, StoreWriter vaultStoreWriter, DataKeys dataKeys, JdbcTemplate jdbc,
			Holders vaultHolders, RetentionPolicies retention, PlatformTransactionManager transactionManager,
			VaultProperties properties, Clock clock) {
		return new Originals(store, vaultStoreWriter, dataKeys, jdbc, vaultHolders, retention, transactionManager,
				properties, clock);
	}

	@Bean
	RecordReader vaultRecordReader(ObjectStore store, DataKeys dataKeys, JdbcTemplate jdbc, Holders vaultHolders) {
		return new RecordReader(store, dataKeys, jdbc, vaultHolders);
	}

	@Bean
	PackedVault vault(ObjectStore store, DataKeys dataKeys, MediaVault media, Originals vaultOriginals,
			RetentionPolicies retention, Holders vaultHolders, DataSource dataSource, JdbcTemplate jdbc,
			PlatformTransactionManager transactionManager, Clock clock, StoreWriter vaultStoreWriter,
			VaultProperties properties, ObjectProvider<RecordTokens> tokens, RecordReader vaultRecordReader) {
		return new PackedVault(store, dataKeys, media, vaultOriginals, retention, vaultHolders, dataSource, jdbc,
				transactionManager, clock, vaultStoreWriter, properties, Optional.ofNullable(tokens.getIfAvailable()),
				vaultRecordReader);
	}

	@Bean
	PackedVaultReader vaultReader(RecordReader vaultRecordReader, Originals vaultOriginals, ObjectStore store,
			DataKeys dataKeys, MediaVault media, Holders vaultHolders, JdbcTemplate jdbc) {
		return new PackedVaultReader(vaultRecordReader, vaultOriginals, new StoredFiles(store, dataKeys, jdbc), media,
				vaultHolders, jdbc);
	}

	@Bean
	PackedVaultCatalog vaultCatalog(ObjectStore store, JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
			DataKeys dataKeys, RecordReader vaultRecordReader, Originals vaultOriginals) {
		return new PackedVaultCatalog(store, jdbc, transactionManager,
				new ContentChecks(store, dataKeys, jdbc, vaultRecordReader, vaultOriginals));
	}

	@Bean
	VaultStatus vaultStatus(JdbcTemplate jdbc) {
		return new VaultStatus(jdbc);
	}

}
