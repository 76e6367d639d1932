package io.chatvault.jobs;

import java.time.Instant;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Collectors;

import io.chatvault.cli.ExitCode;
import io.chatvault.cli.UsageException;

/**
 * One job as the catalogue describes it ({@code src/main/resources/jobs/<name>.yaml}):
 * what it does, when it runs, its parameters with their types and defaults, what its exit
 * codes mean and its thresholds. The scheduler files in {@code ops/} are generated from
 * these, and {@code chatvault run} fills in the parameters a schedule leaves out.
 *
 * @param name the job's name, the same as its {@code Job} bean's and its file's
 * @param description what it does, in a sentence or two
 * @param schedules when it runs; empty for a job run by hand
 * @param parameters its parameters, in the order of the file
 * @param exitCodes what each exit code it can end with means for this job
 * @param thresholds named limits the job works with (sample sizes, recall, ages)
 */
public record JobDescription(String name, String description, List<Schedule> schedules, List<Parameter> parameters,
		SortedMap<Integer, String> exitCodes, Map<String, Object> thresholds) {

	/**
	 * One parameter of a job.
	 *
	 * @param name the key typed as {@code key=value}
	 * @param type how its value is written and checked
	 * @param required whether a run needs it (and it has no default)
	 * @param defaultValue a literal value, or {@code current} / {@code previous} for a
	 * period derived from the clock; empty when there is none
	 * @param identifying whether it identifies the job instance (almost all do)
	 * @param description what it is
	 */
	public record Parameter(String name, ParameterType type, boolean required, Optional<String> defaultValue,
			boolean identifying, String description) {

		/** The default that derives the current period from the clock. */
		public static final String CURRENT = "current";

		/** The default that derives the period before the current one. */
		public static final String PREVIOUS = "previous";

		/** Whether the default is a period derived from the clock. */
		public boolean derived() {
			return this.defaultValue.filter(this::derivable).isPresent();
		}

		/**
		 * Whether a value names a period to derive from the clock ({@code current} or
		 * {@code previous} for a period parameter): what a schedule passes for a period
		 * that is not the job's default one ({@code week=previous}).
		 * @param value a value as given
		 * @return whether it is derived rather than literal
		 */
		public boolean derivable(String value) {
			return this.type.isPeriod() && (value.equals(CURRENT) || value.equals(PREVIOUS));
		}

		Map<String, Object> toJson() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("name", this.name);
			json.put("type", this.type.key());
			json.put("required", this.required);
			json.put("default", this.defaultValue.orElse(null));
			json.put("identifying", this.identifying);
			json.put("description", this.description);
			return json;
		}

	}

	/**
	 * One schedule of a job: a cadence, the time of day for daily and longer ones, and
	 * the parameters this schedule passes (a custodian group, for example); the periods
	 * are left out, so that {@code run} derives them.
	 *
	 * @param cadence how often
	 * @param at the time of day (UTC) for daily and longer cadences; midnight otherwise
	 * @param parameters the fixed parameters of this schedule
	 */
	public record Schedule(Cadence cadence, LocalTime at, Map<String, String> parameters) {

		/**
		 * A name for this schedule's scheduler files: the job's, with the fixed parameter
		 * values when the job has several schedules.
		 * @param job the job
		 * @return the name, such as {@code chatvault-sync-realtime}
		 */
		public String unitName(JobDescription job) {
			StringBuilder name = new StringBuilder("chatvault-").append(job.name());
			if (job.schedules().size() > 1) {
				List<String> fixed = this.parameters.values()
					.stream()
					.filter((value) -> !value.equals(Parameter.CURRENT) && !value.equals(Parameter.PREVIOUS))
					.toList();
				if (fixed.isEmpty()) {
					name.append('-').append(this.cadence.text());
				}
				// A flag names its schedule by its key (checksum-sampling-full), a value
				// by
				// itself (sync-trading).
				this.parameters.forEach((key, value) -> {
					if (fixed.contains(value)) {
						name.append('-').append(("true".equals(value) ? key : value).replaceAll("[^A-Za-z0-9]+", "-"));
					}
				});
			}
			return name.toString().toLowerCase(java.util.Locale.ROOT);
		}

		/** {@code chatvault run <job> k=v ...}: the command this schedule runs. */
		public List<String> arguments(JobDescription job) {
			List<String> arguments = new java.util.ArrayList<>(List.of("run", job.name()));
			this.parameters.forEach((key, value) -> arguments.add(key + "=" + value));
			return arguments;
		}

		Map<String, Object> toJson() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("cadence", this.cadence.text());
			json.put("when", this.cadence.describe(this.at));
			json.put("cron", this.cadence.cron(this.at).orElse(null));
			json.put("parameters", this.parameters);
			return json;
		}

	}

	/**
	 * The parameters of a run: those given, checked against this description, and the
	 * missing ones that have a default, derived as of {@code now}.
	 * @param given the parameters as typed ({@code key=value})
	 * @param now the current instant, from the application's clock
	 * @return the complete parameters, and which of them were derived
	 * @throws UsageException for an unknown parameter, a missing required one, or a value
	 * of the wrong form
	 */
	public Completion complete(Map<String, String> given, Instant now) {
		for (String key : given.keySet()) {
			if (parameter(key).isEmpty()) {
				throw invalid("unknown parameter '" + key + "'"
						+ (this.parameters.isEmpty() ? "; it takes none" : " (its parameters: "
								+ this.parameters.stream().map(Parameter::name).collect(Collectors.joining(", "))
								+ ")"));
			}
		}
		Map<String, String> complete = new LinkedHashMap<>();
		Map<String, String> derived = new LinkedHashMap<>();
		for (Parameter parameter : this.parameters) {
			String value = given.get(parameter.name());
			if (value != null && parameter.derivable(value)) {
				value = derive(parameter, given, now, value.equals(Parameter.PREVIOUS));
				derived.put(parameter.name(), value);
			}
			if (value == null && parameter.derived() && otherPeriodGiven(parameter, given)) {
				// A job of several periods (a month or a week) takes the one given.
				continue;
			}
			if (value == null && parameter.defaultValue().isPresent()) {
				value = parameter.derived() ? derive(parameter, given, now) : parameter.defaultValue().get();
				derived.put(parameter.name(), value);
			}
			if (value == null) {
				if (parameter.required()) {
					throw invalid(parameter.name() + "= is required: " + parameter.description());
				}
				continue;
			}
			if (!parameter.type().accepts(value)) {
				throw invalid(parameter.name() + " must be " + parameter.type().expected() + ", not '" + value + "'");
			}
			complete.put(parameter.name(), value);
		}
		// Keep the order typed for what the description does not order.
		given.forEach(complete::putIfAbsent);
		return new Completion(complete, derived);
	}

	/**
	 * The periods a run with these parameters would derive from the clock now.
	 * @param given the parameters given
	 * @param now the current instant
	 * @return the derived parameters that were not given
	 */
	public Map<String, String> periods(Map<String, String> given, Instant now) {
		Map<String, String> periods = new LinkedHashMap<>();
		for (Parameter parameter : this.parameters) {
			String value = given.get(parameter.name());
			if (value != null && parameter.derivable(value)) {
				periods.put(parameter.name(), derive(parameter, given, now, value.equals(Parameter.PREVIOUS)));
			}
			else if (parameter.derived() && value == null && !otherPeriodGiven(parameter, given)) {
				periods.put(parameter.name(), derive(parameter, given, now));
			}
		}
		return periods;
	}

	private boolean otherPeriodGiven(Parameter parameter, Map<String, String> given) {
		return given.keySet()
			.stream()
			.filter((name) -> !name.equals(parameter.name()))
			.anyMatch((name) -> parameter(name).map((other) -> other.type().isPeriod()).orElse(false));
	}

	private String derive(Parameter parameter, Map<String, String> given, Instant now) {
		return derive(parameter, given, now, parameter.defaultValue().get().equals(Parameter.PREVIOUS));
	}

	private String derive(Parameter parameter, Map<String, String> given, Instant now, boolean previous) {
		// Only a window end depends on the cadence; the calendar periods are what they
		// are.
		Cadence cadence = (parameter.type() == ParameterType.WINDOW_END) ? scheduleFor(given).cadence() : null;
		return parameter.type().derive(now, cadence, previous);
	}

	/**
	 * The parameter of that name.
	 * @param name the key
	 * @return the parameter, if the job has it
	 */
	public Optional<Parameter> parameter(String name) {
		return this.parameters.stream().filter((parameter) -> parameter.name().equals(name)).findFirst();
	}

	/**
	 * The schedule a run with these parameters belongs to: the first whose fixed
	 * parameters it all has, else the first schedule. Its cadence gives the window of a
	 * derived window end.
	 */
	Schedule scheduleFor(Map<String, String> given) {
		return this.schedules.stream()
			.filter((schedule) -> !schedule.parameters().isEmpty() && schedule.parameters()
				.entrySet()
				.stream()
				.allMatch((e) -> e.getValue().equals(given.get(e.getKey()))))
			.findFirst()
			.or(() -> this.schedules.stream().findFirst())
			.orElseThrow(() -> new IllegalStateException("job " + this.name + " has no schedule to derive from"));
	}

	/**
	 * The meaning of an exit code for this job, or the general one.
	 * @param code an exit code
	 * @return what it means
	 */
	public String meaning(ExitCode code) {
		return this.exitCodes.getOrDefault(code.code(),
				code.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
	}

	/** Whether the job carries its own cadence (it is not only run by hand). */
	public boolean scheduled() {
		return this.schedules.stream().anyMatch((schedule) -> schedule.cadence().kind() != Cadence.Kind.ONCE);
	}

	Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", this.name);
		json.put("description", this.description);
		json.put("schedules", this.schedules.stream().map(Schedule::toJson).toList());
		json.put("parameters", this.parameters.stream().map(Parameter::toJson).toList());
		Map<String, String> codes = new LinkedHashMap<>();
		this.exitCodes.forEach((code, meaning) -> codes.put(String.valueOf(code), meaning));
		json.put("exitCodes", codes);
		json.put("thresholds", this.thresholds);
		return json;
	}

	private UsageException invalid(String problem) {
		return new UsageException("invalid parameters for job " + this.name + ": " + problem);
	}

	/**
	 * The parameters of a run after {@link #complete}.
	 *
	 * @param parameters all of them, in the catalogue's order
	 * @param derived those that were filled in from a default
	 */
	public record Completion(Map<String, String> parameters, Map<String, String> derived) {

	}

}
