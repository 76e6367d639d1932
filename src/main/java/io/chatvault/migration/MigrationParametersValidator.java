package io.chatvault.migration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.chatvault.source.SourceFormat;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * Checks the parameters of the migration job before a run starts: the source exists, the
 * format and zone are known, nothing else is given. Each problem is one line an operator
 * can act on.
 */
class MigrationParametersValidator implements JobParametersValidator {

	private final ExportSources sources;

	MigrationParametersValidator(ExportSources sources) {
		this.sources = sources;
	}

	private static final Set<String> KNOWN = Set.of(MigrationParameters.SOURCE, MigrationParameters.FORMAT,
			MigrationParameters.CUSTODIAN, MigrationParameters.ZONE);

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		Map<String, String> raw = new LinkedHashMap<>();
		for (JobParameter<?> parameter : parameters) {
			raw.put(parameter.name(), String.valueOf(parameter.value()));
		}
		try {
			MigrationParameters migration = normalize(raw);
			if (!migration.source().equals(Path.of(raw.get(MigrationParameters.SOURCE)))) {
				throw new IllegalArgumentException("source " + raw.get(MigrationParameters.SOURCE)
						+ " is not an absolute real path; use " + migration.source());
			}
			checkHasExports(migration);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidJobParametersException(ex.getMessage());
		}
	}

	/**
	 * Refuses a source in which no export of a known format is found: most likely a
	 * mistyped path or a wrong format.
	 * @param parameters normalized parameters
	 * @throws IllegalArgumentException if there is nothing to migrate
	 */
	void checkHasExports(MigrationParameters parameters) {
		if (new ExportPartitioner(this.sources, parameters).inventory().partitions().isEmpty()) {
			throw new IllegalArgumentException("no chat export "
					+ parameters.format().map((f) -> "of format " + f.key()).orElse("of a known format") + " found in "
					+ parameters.source());
		}
	}

	/**
	 * Checks and normalizes parameters given as text: the source becomes its absolute
	 * real path, so that the same input named two ways is the same job instance.
	 * @param raw the parameters as typed
	 * @return the normalized parameters
	 * @throws IllegalArgumentException naming the first problem, in one line
	 */
	static MigrationParameters normalize(Map<String, String> raw) {
		Set<String> unknown = raw.keySet()
			.stream()
			.filter((key) -> !KNOWN.contains(key))
			.collect(Collectors.toCollection(java.util.TreeSet::new));
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException("unknown parameter(s) " + String.join(", ", unknown)
					+ " for job migration; expected source=<file-or-dir> [format=auto] [custodian=<id>] [zone=<IANA zone>]");
		}
		String source = raw.get(MigrationParameters.SOURCE);
		if (source == null || source.isBlank()) {
			throw new IllegalArgumentException(
					"missing parameter source=<file-or-dir>: the export or directory of exports to migrate");
		}
		Path path = Path.of(source);
		if (!Files.exists(path)) {
			throw new IllegalArgumentException("source " + source + " does not exist");
		}
		if (!Files.isReadable(path)) {
			throw new IllegalArgumentException("source " + source + " is not readable");
		}
		Path real;
		try {
			real = path.toRealPath();
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("source " + source + " cannot be resolved: " + ex.getMessage());
		}
		String format = raw.get(MigrationParameters.FORMAT);
		Optional<SourceFormat> sourceFormat = Optional.empty();
		if (format != null && !MigrationParameters.AUTO.equalsIgnoreCase(format)) {
			sourceFormat = SourceFormat.fromKey(format);
			if (sourceFormat.isEmpty()) {
				throw new IllegalArgumentException("unknown format " + format + "; expected auto or one of "
						+ Arrays.stream(SourceFormat.values())
							.map(SourceFormat::key)
							.collect(Collectors.joining(", ")));
			}
		}
		String zone = raw.get(MigrationParameters.ZONE);
		Optional<ZoneId> zoneId = Optional.empty();
		if (zone != null) {
			try {
				zoneId = Optional.of(ZoneId.of(zone));
			}
			catch (DateTimeException ex) {
				throw new IllegalArgumentException(
						"unknown zone " + zone + "; expected an IANA zone such as Europe/Berlin or America/New_York");
			}
		}
		String custodian = raw.get(MigrationParameters.CUSTODIAN);
		if (custodian != null && custodian.isBlank()) {
			throw new IllegalArgumentException("custodian= is empty; give the custodian's id or leave it out");
		}
		return new MigrationParameters(real, sourceFormat, Optional.ofNullable(custodian), zoneId);
	}

}
