package io.chatvault.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

import io.chatvault.access.AccessFixture;
import io.chatvault.cli.ExitCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records archived without tokens are found once {@code search-backfill} has run; a
 * second run writes nothing.
 */
class SearchBackfillIntegrationTests {

	@TempDir
	static Path home;

	@TempDir
	static Path exports;

	static SearchFixture fixture;

	@BeforeAll
	static void archiveWithoutTokens() throws IOException {
		fixture = new SearchFixture(home, exports, "chatvault.search.index-at-archive=false");
	}

	@AfterAll
	static void close() {
		fixture.close();
	}

	@Test
	void backfillIndexesEveryRecordOnceAndResumesAsNothingToDo() {
		// given
		long archived = fixture.access.jdbc.queryForObject("SELECT count(*) FROM vault_message", Long.class);
		assertThat(fixture.search("contract OR 合同", Search.Filters.NONE)).isEmpty();

		// when
		AccessFixture.Cli first = fixture.access.cli(null, "run", "search-backfill", "day=2025-03-03");
		AccessFixture.Cli again = fixture.access.cli(null, "run", "search-backfill", "day=2025-03-04");

		// then
		assertThat(first.code()).as(first.out() + first.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(again.code()).as(again.out() + again.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(fixture.access.jdbc.queryForObject("SELECT count(*) FROM vault_message WHERE tokens IS NOT NULL",
				Long.class))
			.isEqualTo(archived);
		for (String query : Set.of("contract OR 合同", "договор", "\"sell before friday\"", "العقد")) {
			assertThat(fixture.search(query, Search.Filters.NONE)).as(query)
				.isNotEmpty()
				.isEqualTo(fixture.scan(query, Search.Filters.NONE));
		}
		assertThat(fixture.access.jdbc.queryForObject("SELECT write_count FROM batch_step_execution s JOIN "
				+ "batch_job_execution e USING (job_execution_id) JOIN batch_job_execution_params p USING "
				+ "(job_execution_id) WHERE s.step_name = 'search-backfill-step' AND p.parameter_value = '2025-03-04'",
				Long.class))
			.isZero();
	}

}
