package io.chatvault.search;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * Checks that a job is given exactly its one period parameter, well-formed.
 *
 * @param job the job's name, for messages
 * @param key the parameter
 * @param pattern what a value looks like
 * @param example an example value
 */
record PeriodParameter(String job, String key, Pattern pattern, String example) implements JobParametersValidator {

	static PeriodParameter day(String job) {
		return new PeriodParameter(job, "day", Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}"), "2025-03-01");
	}

	static PeriodParameter half(String job) {
		return new PeriodParameter(job, "half", Pattern.compile("[0-9]{4}-H[12]"), "2025-H1");
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		Set<String> names = new TreeSet<>();
		for (JobParameter<?> parameter : parameters) {
			names.add(parameter.name());
		}
		if (!names.equals(Set.of(this.key))) {
			throw new InvalidJobParametersException(this.job + " takes one parameter, " + this.key + "=" + this.example
					+ " (given: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
		}
		String value = String.valueOf(parameters.getParameter(this.key).value());
		if (!this.pattern.matcher(value).matches()) {
			throw new InvalidJobParametersException(
					this.key + " must look like " + this.example + ", not '" + value + "'");
		}
	}

}
