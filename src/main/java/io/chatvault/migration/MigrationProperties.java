package io.chatvault.migration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the migration job ({@code chatvault.migration.*}).
 *
 * @param gridSize how many exports are migrated at once, on local threads; 0 means two
 * per available core (a partition waits on PostgreSQL for part of each chunk, so one per
 * core leaves the cores idle for that part)
 * @param chunkSize records per chunk: one transaction, one vault write, one saved reader
 * position
 * @param defaultCustodian the custodian of an export when {@code custodian=} is not given
 * @param defaultZone the zone used to read zone-less timestamps when {@code zone=} is not
 * given
 * @param progress whether to show the live progress line in an interactive terminal
 */
@Validated
@ConfigurationProperties("chatvault.migration")
public record MigrationProperties(@DefaultValue("0") @Min(0) int gridSize, @DefaultValue("1000") @Min(1) int chunkSize,
		@DefaultValue("unassigned") @NotBlank String defaultCustodian,
		@DefaultValue("UTC") @NotBlank String defaultZone, @DefaultValue("true") boolean progress) {

	/** The number of exports migrated in parallel. */
	int effectiveGridSize() {
		return (this.gridSize > 0) ? this.gridSize : 2 * Runtime.getRuntime().availableProcessors();
	}

	/**
	 * The number of exports migrated in parallel with a connection pool of a given size:
	 * a partition can hold two connections at once (its chunk's transaction and the short
	 * transactions of its own that data keys, holders and originals commit in), and the
	 * job repository and the manager step need two more, so a larger grid would leave
	 * partitions waiting for a connection until the pool's timeout.
	 * @param poolSize the pool's maximum size, or 0 when unknown
	 * @return the grid size
	 */
	int effectiveGridSize(int poolSize) {
		int wanted = effectiveGridSize();
		return (poolSize > 0) ? Math.max(1, Math.min(wanted, (poolSize - 2) / 2)) : wanted;
	}

}
