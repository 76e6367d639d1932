package io.chatvault.export;

import java.time.Clock;

import io.chatvault.search.Search;
import io.chatvault.vault.VaultReader;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The regulator export. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExportProperties.class)
class ExportConfiguration {

	@Bean
	RegulatorExport regulatorExport(VaultReader reader, Search search, ExportProperties properties, Clock clock) {
		return new RegulatorExport(reader, search, properties, clock);
	}

}
