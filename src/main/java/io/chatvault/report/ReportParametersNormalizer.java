package io.chatvault.report;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chatvault.cli.UsageException;
import io.chatvault.jobs.JobParametersNormalizer;

import org.springframework.stereotype.Component;

/**
 * {@code to-file=report.xlsx} and {@code to-file=/home/op/report.xlsx} typed in
 * {@code /home/op} are the same delivery: the path is made absolute.
 */
@Component
class ReportParametersNormalizer implements JobParametersNormalizer {

	@Override
	public String jobName() {
		return ReportJobConfiguration.JOB;
	}

	@Override
	public Map<String, String> normalize(Map<String, String> typed) {
		Map<String, String> normalized = new LinkedHashMap<>(typed);
		String file = typed.get(ReportJobConfiguration.TO_FILE);
		if (file != null) {
			try {
				normalized.put(ReportJobConfiguration.TO_FILE, Path.of(file).toAbsolutePath().normalize().toString());
			}
			catch (InvalidPathException ex) {
				throw new UsageException("to-file=" + file + " is not a path: " + ex.getMessage());
			}
		}
		return normalized;
	}

}
