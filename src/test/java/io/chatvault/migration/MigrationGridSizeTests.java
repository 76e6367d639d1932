package io.chatvault.migration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many exports are migrated at once: two per core unless set, and never more than the
 * connection pool can serve (two connections an export, two for the job).
 */
class MigrationGridSizeTests {

	@Test
	void theGridFitsThePool() {
		MigrationProperties set = new MigrationProperties(8, 1000, "unassigned", "UTC", false);
		assertThat(set.effectiveGridSize(0)).isEqualTo(8);
		assertThat(set.effectiveGridSize(18)).isEqualTo(8);
		assertThat(set.effectiveGridSize(10)).isEqualTo(4);
		assertThat(set.effectiveGridSize(6)).isEqualTo(2);
		assertThat(set.effectiveGridSize(3)).isEqualTo(1);
		MigrationProperties derived = new MigrationProperties(0, 1000, "unassigned", "UTC", false);
		assertThat(derived.effectiveGridSize()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());
	}

}
