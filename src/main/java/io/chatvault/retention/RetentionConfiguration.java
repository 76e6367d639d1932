package io.chatvault.retention;

import java.time.Clock;

import io.chatvault.audit.AuditLog;
import io.chatvault.storage.ObjectStore;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Wires legal holds (the policies are the vault's {@code RetentionPolicies}). */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

	@Bean
	LegalHolds legalHolds(JdbcTemplate jdbc, ObjectStore store, AuditLog audit, Clock clock,
			PlatformTransactionManager transactionManager) {
		return new LegalHolds(jdbc, store, audit, clock, transactionManager);
	}

}
