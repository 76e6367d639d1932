package io.chatvault.jobs;

import picocli.CommandLine.Parameters;

/**
 * The {@code <execution>} argument of {@code show}, {@code restart}, {@code stop} and
 * {@code recover}, mixed into each ({@code @Mixin}).
 */
class ExecutionArgument {

	@Parameters(index = "0", paramLabel = "<execution>", description = "The execution id (chatvault jobs).")
	String value;

	/**
	 * The id.
	 * @return the execution id
	 * @throws io.chatvault.cli.UsageException if the argument is not a number
	 */
	long id() {
		return Outcomes.executionId(this.value);
	}

}
