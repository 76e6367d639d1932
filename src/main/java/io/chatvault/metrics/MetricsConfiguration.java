package io.chatvault.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One Prometheus meter registry for the process, and the observation registry that turns
 * Spring Batch's own observations into meters in it: with an {@link ObservationRegistry}
 * bean, Spring Boot registers Batch's {@code BatchObservabilityBeanPostProcessor}, so
 * every job and step records {@code spring.batch.job}, {@code spring.batch.step} and
 * {@code spring.batch.chunk.write} timers (the per-item {@code spring.batch.item.*} ones
 * are switched off in {@code application.properties}: docs/metrics.md). A CLI run exports
 * them when it ends ({@link RunMetrics}); {@code serve} scrapes the same
 * {@link PrometheusMeterRegistry} bean for its endpoint. Both beans back off if another
 * configuration (Spring Boot's actuator) provides them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsProperties.class)
class MetricsConfiguration {

	/**
	 * The Prometheus client's registry the meter registry writes to: a bean, so that the
	 * actuator's Prometheus endpoint ({@code serve}) scrapes this one and not an empty
	 * registry of its own.
	 */
	@Bean
	@ConditionalOnMissingBean
	PrometheusRegistry prometheusRegistry() {
		return new PrometheusRegistry();
	}

	@Bean
	@ConditionalOnMissingBean(MeterRegistry.class)
	PrometheusMeterRegistry prometheusMeterRegistry(PrometheusRegistry prometheusRegistry) {
		return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, prometheusRegistry, Clock.SYSTEM);
	}

	/**
	 * The observation registry Spring Batch reports to. Its meter handler is added by
	 * Spring Boot's observation auto-configuration (the actuator is on the class path for
	 * {@code serve}), which applies every {@code ObservationHandler} bean to it: adding
	 * one here as well would record every observation twice.
	 */
	@Bean
	@ConditionalOnMissingBean
	ObservationRegistry observationRegistry() {
		return ObservationRegistry.create();
	}

}
