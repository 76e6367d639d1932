package io.chatvault.custodian;

import java.time.Clock;

import io.chatvault.access.Custodians;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Custodian groups from the custodian registry and configuration (configuration alone
 * where there is no registry), unless another {@link CustodianGroups} bean is present.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CustodianGroupsProperties.class)
class CustodianConfiguration {

	@Bean
	@ConditionalOnMissingBean(CustodianGroups.class)
	CustodianGroups custodianGroups(CustodianGroupsProperties properties, ObjectProvider<Custodians> registry,
			ObjectProvider<Clock> clock) {
		ConfiguredCustodianGroups configured = new ConfiguredCustodianGroups(properties);
		Custodians custodians = registry.getIfAvailable();
		if (custodians == null) {
			return configured;
		}
		return new RegistryCustodianGroups(configured, custodians, clock.getIfAvailable(Clock::systemUTC),
				properties.groupsRefresh());
	}

}
