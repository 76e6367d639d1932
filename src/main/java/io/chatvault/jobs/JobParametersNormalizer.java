package io.chatvault.jobs;

import java.util.Map;

/**
 * Turns a job's parameters as an operator typed them into their canonical identifying
 * form before the job instance is looked up: {@code source=exports} and
 * {@code source=/srv/chatvault/exports} must be the same instance, or "run this again"
 * would import twice. A job without a normalizer takes its parameters as typed.
 */
public interface JobParametersNormalizer {

	/** The job whose parameters this normalizes. */
	String jobName();

	/**
	 * Normalizes parameters.
	 * @param typed the parameters as typed
	 * @return the identifying parameters
	 * @throws io.chatvault.cli.UsageException naming the first problem, in one line
	 */
	Map<String, String> normalize(Map<String, String> typed);

}
