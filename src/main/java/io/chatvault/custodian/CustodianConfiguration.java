package io.chatvault.custodian;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Custodian groups from configuration, unless another {@link CustodianGroups} bean (the
 * custodian registry) is present.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CustodianGroupsProperties.class)
class CustodianConfiguration {

	@Bean
	@ConditionalOnMissingBean(CustodianGroups.class)
	ConfiguredCustodianGroups configuredCustodianGroups(CustodianGroupsProperties properties) {
		return new ConfiguredCustodianGroups(properties);
	}

}
