package io.chatvault.hrsync;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The one identifying parameter of hr-sync: {@code hour=YYYY-MM-DDTHH} (UTC), the hour
 * the run is for. Nothing else is accepted, so the same hour is always the same instance.
 */
class HrSyncParameters implements JobParametersValidator {

	static final String HOUR = "hour";

	static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH");

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		Set<String> names = new TreeSet<>();
		for (JobParameter<?> parameter : parameters) {
			names.add(parameter.name());
		}
		if (!names.equals(Set.of(HOUR))) {
			throw new InvalidJobParametersException(
					"expected exactly hour=YYYY-MM-DDTHH (UTC), for example hour=2025-03-03T09; got "
							+ (names.isEmpty() ? "none" : String.join(", ", names)));
		}
		String hour = String.valueOf(parameters.getParameter(HOUR).value());
		try {
			LocalDateTime.parse(hour + ":00", DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm"));
		}
		catch (DateTimeParseException ex) {
			throw new InvalidJobParametersException(
					"hour=" + hour + " is not an hour in the form YYYY-MM-DDTHH, for example 2025-03-03T09");
		}
	}

}
