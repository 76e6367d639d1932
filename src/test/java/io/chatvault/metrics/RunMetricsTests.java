package io.chatvault.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class RunMetricsTests {

	@TempDir
	Path directory;

	@Test
	void everySampleIsLabelledWithTheRun() {
		// given
		String exposition = """
				# HELP up whether
				# TYPE up gauge
				up 1.0
				requests_total{method="GET",path="/a b"} 3.0
				empty_labels{} 2.0
				""";

		// when
		String labelled = RunMetrics.labelled(exposition, "sync_realtime");

		// then
		assertThat(labelled).isEqualTo("""
				# HELP up whether
				# TYPE up gauge
				up{chatvault_run="sync_realtime"} 1.0
				requests_total{chatvault_run="sync_realtime",method="GET",path="/a b"} 3.0
				empty_labels{chatvault_run="sync_realtime"} 2.0
				""");
	}

	@Test
	void aRunIsNamedByItsJobAndScheduleParameters() {
		assertThat(RunMetrics.runKey("sync", Map.of("group", "Real Time"))).isEqualTo("sync_real_time");
		assertThat(RunMetrics.runKey("migration", Map.of("source", "/srv/exports/", "zone", "Europe/Berlin")))
			.isEqualTo("migration_srv_exports_europe_berlin");
		assertThat(RunMetrics.runKey("checksum-sampling", Map.of())).isEqualTo("checksum_sampling");
	}

	@Test
	void theTextfileIsReplacedWhole() throws IOException {
		// given
		RunMetrics metrics = new RunMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
				new MetricsProperties(this.directory, null, "chatvault", java.time.Duration.ofSeconds(1)));
		metrics.writeTextfile(this.directory, "sync", "old 1.0\n");

		// when
		metrics.writeTextfile(this.directory, "sync", "new 2.0\n");

		// then
		assertThat(Files.readString(this.directory.resolve("chatvault_sync.prom"))).isEqualTo("new 2.0\n");
		try (var files = Files.list(this.directory)) {
			assertThat(files).hasSize(1);
		}
	}

}
