package io.chatvault.disposition;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The identifying parameters of disposition: {@code day=YYYY-MM-DD} and
 * {@code dry-run=true|false}, so a dry run of a day never blocks the real run of it.
 */
class DispositionParameters implements JobParametersValidator {

	static final String DAY = "day";

	static final String DRY_RUN = "dry-run";

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		Set<String> names = new TreeSet<>();
		for (JobParameter<?> parameter : parameters) {
			names.add(parameter.name());
		}
		if (!names.equals(Set.of(DAY, DRY_RUN))) {
			throw new InvalidJobParametersException(
					"disposition takes day=YYYY-MM-DD and dry-run=true|false (given: " + names + ")");
		}
		String day = String.valueOf(parameters.getParameter(DAY).value());
		try {
			LocalDate.parse(day);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidJobParametersException("day must be a date YYYY-MM-DD, not '" + day + "'");
		}
		String dryRun = String.valueOf(parameters.getParameter(DRY_RUN).value());
		if (!dryRun.equals("true") && !dryRun.equals("false")) {
			throw new InvalidJobParametersException("dry-run must be true or false, not '" + dryRun + "'");
		}
	}

}
