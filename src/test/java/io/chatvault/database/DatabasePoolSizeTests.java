package io.chatvault.database;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool ChatVault sizes serves the migration's default grid (two exports per core,
 * each of which can hold two connections at once) and the job's own two connections.
 */
class DatabasePoolSizeTests {

	@Test
	void thePoolServesTwoPartitionsPerCoreWithTwoConnectionsEach() {
		for (int cores = 1; cores <= 64; cores++) {
			assertThat(DatabaseConfiguration.poolSize(cores)).isGreaterThanOrEqualTo(2 * (2 * cores) + 2)
				.isGreaterThanOrEqualTo(10);
		}
		assertThat(DatabaseConfiguration.poolSize(2)).isEqualTo(10);
	}

}
