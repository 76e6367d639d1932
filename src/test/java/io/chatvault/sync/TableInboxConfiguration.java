package io.chatvault.sync;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Registers the stand-in inbox in test contexts and in the child JVMs of the crash test
 * (which run on the test class path) when {@code chatvault.test.table-inbox=true}, in
 * place of the capture inbox.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "chatvault.test.table-inbox", havingValue = "true")
class TableInboxConfiguration {

	@Bean
	@Primary
	TableInbox tableInbox(JdbcTemplate jdbc) {
		return new TableInbox(jdbc);
	}

}
