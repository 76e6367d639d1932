package io.chatvault.search;

import io.chatvault.crypto.DataKeys;
import io.chatvault.vault.RecordTokens;
import io.chatvault.vault.VaultReader;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The search beans: the key, the tokens, the tokens the vault writes at archive time (a
 * {@link RecordTokens}), the index and the search itself.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SearchProperties.class)
class SearchConfiguration {

	@Bean
	SearchKey searchKey(DataKeys dataKeys) {
		return new SearchKey(dataKeys);
	}

	@Bean
	SearchTokens searchTokens(SearchKey searchKey, SearchProperties properties) {
		return new SearchTokens(searchKey, properties.prefixLengths());
	}

	@Bean
	SearchIndex searchIndex(SearchTokens searchTokens, JdbcTemplate jdbc) {
		return new SearchIndex(searchTokens, jdbc);
	}

	/** The tokens the vault writes at archive time; without this bean it writes none. */
	@Bean
	@ConditionalOnBooleanProperty(name = "chatvault.search.index-at-archive", matchIfMissing = true)
	RecordTokens searchRecordTokens(SearchIndex searchIndex) {
		return searchIndex.recordTokens();
	}

	@Bean
	Search search(JdbcTemplate jdbc, VaultReader reader, SearchTokens searchTokens,
			PlatformTransactionManager transactionManager) {
		return new Search(jdbc, reader, searchTokens, transactionManager);
	}

}
