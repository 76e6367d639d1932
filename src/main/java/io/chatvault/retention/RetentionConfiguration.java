package io.chatvault.retention;

import java.time.Clock;

import io.chatvault.audit.AuditLog;
import io.chatvault.crypto.DataKeys;
import io.chatvault.storage.ObjectStore;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Wires legal holds and erasure (the policies are the vault's {@code RetentionPolicies}).
 */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

	@Bean
	Erasure erasure(JdbcTemplate jdbc, DataKeys dataKeys, AuditLog audit, Clock clock,
			PlatformTransactionManager transactionManager) {
		return new Erasure(jdbc, dataKeys, audit, clock, transactionManager);
	}

	@Bean
	LegalHolds legalHolds(JdbcTemplate jdbc, ObjectStore store, AuditLog audit, Clock clock,
			PlatformTransactionManager transactionManager) {
		return new LegalHolds(jdbc, store, audit, clock, transactionManager);
	}

}
