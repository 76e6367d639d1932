package io.chatvault.metrics;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a run's metrics go when it ends ({@code chatvault.metrics.*}). Both are optional
 * and may be combined; with neither, the metrics stay in the process (and {@code serve}
 * exposes them on its Prometheus endpoint).
 *
 * @param textfileDirectory the node exporter's textfile collector directory (its
 * {@code --collector.textfile.directory}): each run writes {@code chatvault_<run>.prom}
 * there atomically
 * @param pushgatewayUrl a Prometheus Pushgateway, e.g. {@code http://pushgateway:9091}:
 * each run replaces its group there
 * @param pushgatewayJob the {@code job} of the Pushgateway grouping key
 * @param pushTimeout how long a push may take; a failed push is logged, never fails the
 * run
 */
@ConfigurationProperties("chatvault.metrics")
public record MetricsProperties(Path textfileDirectory, URI pushgatewayUrl,
		@DefaultValue("chatvault") String pushgatewayJob, @DefaultValue("10s") Duration pushTimeout) {

}
