package io.chatvault.migration;

import java.util.LinkedHashMap;
import java.util.Map;

import io.chatvault.cli.UsageException;
import io.chatvault.jobs.JobParametersNormalizer;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.stereotype.Component;

/**
 * {@code source=} becomes its absolute real path and {@code format}, {@code custodian}
 * and {@code zone} are checked, whether the run comes from
 * {@code chatvault run migration} or {@code chatvault migrate}: the same input named two
 * ways is the same job instance.
 */
@Component
class MigrationParametersNormalizer implements JobParametersNormalizer {

	private final MigrationParametersValidator validator;

	MigrationParametersNormalizer(MigrationParametersValidator validator) {
		this.validator = validator;
	}

	@Override
	public String jobName() {
		return MigrationJobConfiguration.JOB_NAME;
	}

	@Override
	public Map<String, String> normalize(Map<String, String> typed) {
		MigrationParameters parameters;
		try {
			parameters = MigrationParametersValidator.normalize(typed);
			this.validator.checkHasExports(parameters);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException(ex.getMessage());
		}
		Map<String, String> text = new LinkedHashMap<>();
		for (JobParameter<?> parameter : parameters.toJobParameters()) {
			text.put(parameter.name(), String.valueOf(parameter.value()));
		}
		return text;
	}

}
