package io.chatvault.migration;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;

import io.chatvault.source.SourceFormat;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * The identifying parameters of a migration run: which input, read how, for whom. The
 * same input with the same options is the same job instance, so a second run is "already
 * complete" and a failed one restarts where it stopped.
 *
 * @param source the absolute real path of the export file or of a directory of exports
 * @param format the format, or empty to detect each export's format
 * @param custodian the custodian, or empty for the configured default
 * @param zone the custodian's zone, or empty for the configured default
 */
record MigrationParameters(Path source, Optional<SourceFormat> format, Optional<String> custodian,
		Optional<ZoneId> zone) {

	static final String SOURCE = "source";

	static final String FORMAT = "format";

	static final String CUSTODIAN = "custodian";

	static final String ZONE = "zone";

	static final String AUTO = "auto";

	/**
	 * Reads validated job parameters.
	 * @param parameters parameters that passed {@link MigrationParametersValidator}
	 * @return the parameters
	 */
	static MigrationParameters of(JobParameters parameters) {
		String format = parameters.getString(FORMAT);
		String custodian = parameters.getString(CUSTODIAN);
		String zone = parameters.getString(ZONE);
		return new MigrationParameters(Path.of(parameters.getString(SOURCE)),
				(format == null || AUTO.equalsIgnoreCase(format)) ? Optional.empty() : SourceFormat.fromKey(format),
				Optional.ofNullable(custodian).filter((c) -> !c.isBlank()), Optional.ofNullable(zone).map(ZoneId::of));
	}

	/**
	 * The job parameters of this run, all identifying. {@code format=auto} is left out,
	 * so that it names the same instance as no format at all.
	 * @return the job parameters
	 */
	JobParameters toJobParameters() {
		JobParametersBuilder builder = new JobParametersBuilder().addString(SOURCE, this.source.toString());
		this.format.ifPresent((f) -> builder.addString(FORMAT, f.key()));
		this.custodian.ifPresent((c) -> builder.addString(CUSTODIAN, c));
		this.zone.ifPresent((z) -> builder.addString(ZONE, z.getId()));
		return builder.toJobParameters();
	}

}
