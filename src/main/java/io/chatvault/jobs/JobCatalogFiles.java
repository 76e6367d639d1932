package io.chatvault.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import io.chatvault.cli.ExitCode;

/**
 * Reads and checks the catalogue files ({@code classpath*:jobs/*.yaml}): every key known,
 * every type, cadence, default and exit code valid, the file named after its job. A
 * mistake in a file is a packaging bug, reported with the file and the key.
 */
final class JobCatalogFiles {

	static final String LOCATION = "classpath*:jobs/*.yaml";

	private static final Set<String> JOB_KEYS = Set.of("name", "description", "schedules", "parameters", "exit-codes",
			"thresholds");

	private static final Set<String> SCHEDULE_KEYS = Set.of("cadence", "at", "parameters");

	private static final Set<String> PARAMETER_KEYS = Set.of("type", "required", "default", "identifying",
			"description");

	private JobCatalogFiles() {
	}

	/**
	 * Reads every catalogue file on the class path.
	 * @return the descriptions by job name, sorted
	 * @throws IllegalStateException naming the file and key of the first mistake
	 */
	static Map<String, JobDescription> load() {
		Map<String, JobDescription> jobs = new TreeMap<>();
		Resource[] resources;
		try {
			resources = new PathMatchingResourcePatternResolver(JobCatalogFiles.class.getClassLoader())
				.getResources(LOCATION);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list the job catalogue " + LOCATION, ex);
		}
		for (Resource resource : resources) {
			JobDescription job = read(resource);
			JobDescription earlier = jobs.put(job.name(), job);
			if (earlier != null) {
				throw new IllegalStateException("jobs/" + resource.getFilename() + ": job " + job.name()
						+ " is described twice on the class path");
			}
		}
		return Collections.unmodifiableMap(jobs);
	}

	static JobDescription read(Resource resource) {
		String file = "jobs/" + resource.getFilename();
		try (InputStream in = resource.getInputStream()) {
			Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
			JobDescription job = new Reader(file).job(document);
			String expected = job.name() + ".yaml";
			if (!expected.equals(resource.getFilename())) {
				throw new IllegalStateException(
						file + ": the file of job " + job.name() + " must be named " + expected);
			}
			return job;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
		catch (RuntimeException ex) {
			if (ex instanceof IllegalStateException && ex.getMessage() != null && ex.getMessage().startsWith(file)) {
				throw ex;
			}
			throw new IllegalStateException(file + ": " + ex.getMessage(), ex);
		}
	}

	/** Reads one file's document, with the path of the key being read for messages. */
	private record Reader(String file) {

		JobDescription job(Object document) {
			Map<String, Object> job = map(document, "");
			known(job, JOB_KEYS, "");
			String name = text(job, "name", "");
			if (!name.matches("[a-z][a-z0-9-]*")) {
				throw problem("name", "'" + name + "' is not a job name (lower case, digits and dashes)");
			}
			List<JobDescription.Parameter> parameters = new ArrayList<>();
			map(job.getOrDefault("parameters", Map.of()), "parameters")
				.forEach((key, value) -> parameters.add(parameter(key, value)));
			List<JobDescription.Schedule> schedules = new ArrayList<>();
			List<?> listed = list(job.getOrDefault("schedules", List.of()), "schedules");
			for (int i = 0; i < listed.size(); i++) {
				schedules.add(schedule(listed.get(i), "schedules[" + i + "]", parameters));
			}
			TreeMap<Integer, String> exitCodes = new TreeMap<>();
			map(job.getOrDefault("exit-codes", Map.of()), "exit-codes").forEach((code, meaning) -> {
				int value;
				try {
					value = Integer.parseInt(code);
				}
				catch (NumberFormatException ex) {
					throw problem("exit-codes." + code, "not an exit code");
				}
				if (ExitCode.of(value).code() != value) {
					throw problem("exit-codes." + code, "not one of ChatVault's exit codes (0-12)");
				}
				exitCodes.put(value, string(meaning, "exit-codes." + code));
			});
			Map<String, Object> thresholds = new LinkedHashMap<>();
			map(job.getOrDefault("thresholds", Map.of()), "thresholds").forEach((key, value) -> {
				if (value instanceof Map || value instanceof List || value == null) {
					throw problem("thresholds." + key, "a threshold is a number, a text or true/false");
				}
				thresholds.put(key, value);
			});
			JobDescription description = new JobDescription(name, text(job, "description", ""), List.copyOf(schedules),
					List.copyOf(parameters), Collections.unmodifiableSortedMap(exitCodes),
					Collections.unmodifiableMap(thresholds));
			boolean window = parameters.stream().anyMatch((p) -> p.type() == ParameterType.WINDOW_END && p.derived());
			if (window && (schedules.isEmpty()
					|| schedules.stream().anyMatch((schedule) -> schedule.cadence().window().isEmpty()))) {
				throw problem("schedules", "a derived window-end needs every schedule to have a window cadence "
						+ "(an interval such as 15m, or daily)");
			}
			return description;
		}

		private JobDescription.Parameter parameter(String name, Object value) {
			String path = "parameters." + name;
			Map<String, Object> parameter = map(value, path);
			known(parameter, PARAMETER_KEYS, path + ".");
			ParameterType type;
			try {
				type = ParameterType.of(text(parameter, "type", path + "."));
			}
			catch (IllegalArgumentException ex) {
				throw problem(path + ".type", ex.getMessage());
			}
			boolean required = flag(parameter, "required", false, path + ".");
			boolean identifying = flag(parameter, "identifying", true, path + ".");
			Optional<String> defaultValue = Optional.ofNullable(parameter.get("default"))
				.map((v) -> scalar(v, path + ".default"));
			defaultValue.ifPresent((given) -> {
				boolean derivation = given.equals(JobDescription.Parameter.CURRENT)
						|| given.equals(JobDescription.Parameter.PREVIOUS);
				if (derivation && !type.isPeriod()) {
					throw problem(path + ".default", "only a period (day, week, month, quarter, half, hour, "
							+ "window-end) is derived from the clock");
				}
				if (!derivation && !type.accepts(given)) {
					throw problem(path + ".default", "'" + given + "' is not " + type.expected());
				}
				if (required) {
					throw problem(path, "a parameter with a default is not required");
				}
			});
			return new JobDescription.Parameter(name, type, required, defaultValue, identifying,
					text(parameter, "description", path + "."));
		}

		private JobDescription.Schedule schedule(Object value, String path, List<JobDescription.Parameter> parameters) {
			Map<String, Object> schedule = map(value, path);
			known(schedule, SCHEDULE_KEYS, path + ".");
			Cadence cadence;
			try {
				cadence = Cadence.parse(text(schedule, "cadence", path + "."));
			}
			catch (IllegalArgumentException ex) {
				throw problem(path + ".cadence", ex.getMessage());
			}
			LocalTime at = LocalTime.MIDNIGHT;
			if (schedule.containsKey("at")) {
				if (!cadence.hasTimeOfDay()) {
					throw problem(path + ".at", "a " + cadence.text() + " cadence has no time of day");
				}
				try {
					at = LocalTime.parse(scalar(schedule.get("at"), path + ".at"));
				}
				catch (DateTimeParseException ex) {
					throw problem(path + ".at", "a time of day HH:MM (UTC), not '" + schedule.get("at") + "'");
				}
			}
			Map<String, String> fixed = new LinkedHashMap<>();
			map(schedule.getOrDefault("parameters", Map.of()), path + ".parameters").forEach((key, given) -> {
				String text = scalar(given, path + ".parameters." + key);
				JobDescription.Parameter parameter = parameters.stream()
					.filter((p) -> p.name().equals(key))
					.findFirst()
					.orElseThrow(() -> problem(path + ".parameters." + key, "not a parameter of this job"));
				if (!parameter.type().accepts(text) && !parameter.derivable(text)) {
					throw problem(path + ".parameters." + key, "'" + text + "' is not " + parameter.type().expected());
				}
				fixed.put(key, text);
			});
			return new JobDescription.Schedule(cadence, at, Collections.unmodifiableMap(fixed));
		}

		private String text(Map<String, Object> map, String key, String prefix) {
			Object value = map.get(key);
			if (value == null) {
				throw problem(prefix + key, "missing");
			}
			String text = scalar(value, prefix + key).strip();
			if (text.isEmpty()) {
				throw problem(prefix + key, "empty");
			}
			return text;
		}

		private boolean flag(Map<String, Object> map, String key, boolean otherwise, String prefix) {
			Object value = map.get(key);
			if (value == null) {
				return otherwise;
			}
			if (value instanceof Boolean flag) {
				return flag;
			}
			throw problem(prefix + key, "true or false, not '" + value + "'");
		}

		private String scalar(Object value, String path) {
			if (value instanceof Map || value instanceof List) {
				throw problem(path, "a single value, not a list or map");
			}
			return String.valueOf(value);
		}

		private String string(Object value, String path) {
			return scalar(value, path).strip();
		}

		@SuppressWarnings("unchecked")
		private Map<String, Object> map(Object value, String path) {
			if (value == null) {
				return Map.of();
			}
			if (!(value instanceof Map<?, ?> map)) {
				throw problem(path.isEmpty() ? "(document)" : path, "a map of keys to values");
			}
			Map<String, Object> keyed = new LinkedHashMap<>();
			((Map<Object, Object>) map).forEach((key, entry) -> keyed.put(String.valueOf(key), entry));
			return keyed;
		}

		private List<?> list(Object value, String path) {
			if (value == null) {
				return List.of();
			}
			if (!(value instanceof List<?> list)) {
				throw problem(path, "a list");
			}
			return list;
		}

		private void known(Map<String, Object> map, Set<String> keys, String prefix) {
			for (String key : map.keySet()) {
				if (!keys.contains(key)) {
					throw problem(prefix + key, "unknown key (known: " + String.join(", ", new TreeSet<>(keys)) + ")");
				}
			}
		}

		private IllegalStateException problem(String path, String message) {
			return new IllegalStateException(this.file + ": " + path + ": " + message);
		}

	}

}
