package io.chatvault.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * The metrics of the job run of this process: when it ends, adds its outcome (exit code,
 * items, end time, last success) to Spring Batch's timers and writes them all where the
 * node exporter's textfile collector reads them and/or pushes them to a Pushgateway,
 * named after the run (job and schedule parameters).
 * <p>
 * Exporting never fails a run: a problem is logged as a warning.
 */
@Component
public class RunMetrics {

	private static final Log logger = LogFactory.getLog(RunMetrics.class);

	private final MeterRegistry registry;

	private final MetricsProperties properties;

	private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

	RunMetrics(MeterRegistry registry, MetricsProperties properties) {
		this.registry = registry;
		this.properties = properties;
	}

	/**
	 * Records how the run ended and exports the metrics.
	 * @param execution the ended execution
	 * @param exitCode the process exit code it maps to
	 * @param schedule the identifying parameters that are not its period (a custodian
	 * group, a source): they name the run in the exported metrics, so that the runs of
	 * one schedule replace each other's metrics and those of two schedules do not
	 */
	public void ended(JobExecution execution, int exitCode, Map<String, String> schedule) {
		String job = execution.getJobInstance().getJobName();
		Tags tags = Tags.of("job_name", job);
		set("chatvault.run.exit.code", "The exit code of the last run (README: Exit codes)", tags, exitCode);
		set("chatvault.run.success", "1 when the last run completed (possibly with quarantine or findings)", tags,
				(exitCode == 0 || exitCode == 7 || exitCode == 9) ? 1 : 0);
		set("chatvault.run.execution.id", "The execution id of the last run (chatvault show <id>)", tags,
				execution.getId());
		if (execution.getEndTime() != null) {
			double end = execution.getEndTime().atZone(ZoneId.systemDefault()).toInstant().toEpochMilli() / 1000.0;
			set("chatvault.run.end.timestamp.seconds", "When the last run ended, seconds since the epoch", tags, end);
			if (execution.getStatus() == BatchStatus.COMPLETED) {
				set("chatvault.run.last.success.timestamp.seconds",
						"When the last completed run ended: alert when it is older than its cadence", tags, end);
			}
		}
		long read = 0;
		long written = 0;
		long skipped = 0;
		long filtered = 0;
		for (StepExecution step : execution.getStepExecutions()) {
			read += step.getReadCount();
			written += step.getWriteCount();
			skipped += step.getSkipCount();
			filtered += step.getFilterCount();
		}
		String items = "Items of the last run over all its steps, by what happened to them";
		set("chatvault.run.items", items, tags.and("kind", "read"), read);
		set("chatvault.run.items", items, tags.and("kind", "written"), written);
		set("chatvault.run.items", items, tags.and("kind", "skipped"), skipped);
		set("chatvault.run.items", items, tags.and("kind", "filtered"), filtered);
		export(runKey(job, schedule));
	}

	/**
	 * A gauge that shows the last value set (a second run in one process replaces it).
	 */
	private void set(String name, String description, Tags tags, double value) {
		String key = name + tags;
		AtomicReference<Double> holder = this.values.computeIfAbsent(key, (id) -> {
			AtomicReference<Double> created = new AtomicReference<>(value);
			Gauge.builder(name, created, AtomicReference::get)
				.description(description)
				.tags(tags)
				.register(this.registry);
			return created;
		});
		holder.set(value);
	}

	/**
	 * The metrics in the Prometheus text format.
	 * @return the exposition, or empty when the registry is not a Prometheus one
	 */
	public String scrape() {
		return (this.registry instanceof PrometheusMeterRegistry prometheus) ? prometheus.scrape() : "";
	}

	private void export(String key) {
		String text = scrape();
		if (this.properties.textfileDirectory() != null) {
			writeTextfile(this.properties.textfileDirectory(), key, labelled(text, key));
		}
		if (this.properties.pushgatewayUrl() != null) {
			push(this.properties.pushgatewayUrl(), key, text);
		}
	}

	/**
	 * Writes {@code chatvault_<run>.prom} so that the collector never reads half a file:
	 * a temporary file in the same directory, then an atomic rename.
	 */
	void writeTextfile(Path directory, String key, String text) {
		try {
			Files.createDirectories(directory);
			Path target = directory.resolve("chatvault_" + key + ".prom");
			// The collector reads only *.prom: the temporary name is not one.
			Path temporary = Files.createTempFile(directory, ".chatvault_" + key, ".tmp");
			try {
				Files.writeString(temporary, text, StandardCharsets.UTF_8);
				temporary.toFile().setReadable(true, false);
				try {
					Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				}
				catch (AtomicMoveNotSupportedException ex) {
					Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
			finally {
				Files.deleteIfExists(temporary);
			}
			logger.debug("Metrics written to " + target);
		}
		catch (IOException | UncheckedIOException ex) {
			logger.warn("Cannot write the run's metrics to " + directory + " (chatvault.metrics.textfile-directory): "
					+ ex.getMessage());
		}
	}

	/**
	 * PUT replaces this run's group on the Pushgateway, so stale meters do not linger.
	 */
	void push(URI gateway, String key, String text) {
		String path = "/metrics/job/" + encode(this.properties.pushgatewayJob()) + "/chatvault_run/" + encode(key);
		URI uri = URI.create(gateway.toString().replaceAll("/+$", "") + path);
		try {
			HttpClient client = HttpClient.newBuilder().connectTimeout(this.properties.pushTimeout()).build();
			HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
				.timeout(this.properties.pushTimeout())
				.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
				.PUT(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				logger.warn("The Pushgateway " + uri + " refused the run's metrics: HTTP " + response.statusCode() + " "
						+ response.body().lines().findFirst().orElse(""));
			}
		}
		catch (IOException ex) {
			logger.warn("Cannot push the run's metrics to " + uri + " (chatvault.metrics.pushgateway-url): " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The exposition with a {@code chatvault_run} label on every sample: the collector
	 * merges the files of all runs, and two files must not hold the same series. (A
	 * Pushgateway adds the grouping key's labels itself.)
	 */
	static String labelled(String exposition, String key) {
		String label = "chatvault_run=\"" + key + "\"";
		StringBuilder text = new StringBuilder(exposition.length() + 1024);
		for (String line : exposition.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				text.append(line);
			}
			else {
				int brace = line.indexOf('{');
				int space = line.indexOf(' ');
				if (brace >= 0 && (space < 0 || brace < space)) {
					boolean empty = line.charAt(brace + 1) == '}';
					text.append(line, 0, brace + 1)
						.append(label)
						.append(empty ? "" : ",")
						.append(line.substring(brace + 1));
				}
				else {
					text.append(line, 0, space).append('{').append(label).append('}').append(line.substring(space));
				}
			}
			text.append('\n');
		}
		return text.toString();
	}

	/**
	 * A name for a run in file names and labels: the job, then the schedule's parameters.
	 */
	static String runKey(String job, Map<String, String> schedule) {
		List<String> parts = new java.util.ArrayList<>(List.of(job));
		schedule.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach((entry) -> parts.add(entry.getValue()));
		String key = parts.stream()
			.map((part) -> part.replaceAll("[^A-Za-z0-9]+", "_"))
			.collect(Collectors.joining("_"))
			.replaceAll("_+", "_")
			.replaceAll("^_|_$", "")
			.toLowerCase(Locale.ROOT);
		return (key.length() > 100) ? key.substring(0, 100) : key;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
