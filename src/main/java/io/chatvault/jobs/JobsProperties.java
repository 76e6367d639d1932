package io.chatvault.jobs;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How job runs are operated ({@code chatvault.jobs.*}).
 *
 * @param recoverGrace how recently an execution must not have been updated for a start
 * (or {@code chatvault recover}) to treat it as crashed; longer than the slowest chunk
 * @param shutdownWait how long a SIGTERM waits for the running chunk to finish before the
 * process gives up on a clean STOPPED end
 */
@Validated
@ConfigurationProperties("chatvault.jobs")
record JobsProperties(@NotNull @DefaultValue("2m") Duration recoverGrace,
		@NotNull @DefaultValue("10m") Duration shutdownWait) {

}
