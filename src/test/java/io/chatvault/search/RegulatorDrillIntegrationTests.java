package io.chatvault.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import io.chatvault.access.AccessFixture;
import io.chatvault.cli.ExitCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drill passes on a seeded archive, and fails naming the request when a record is
 * made unfindable (its tokens deleted), with its results in the tables the compliance
 * report reads either way.
 */
class RegulatorDrillIntegrationTests {

	@TempDir
	static Path home;

	@TempDir
	static Path exports;

	static SearchFixture fixture;

	@BeforeAll
	static void archive() throws IOException {
		fixture = new SearchFixture(home, exports, "chatvault.search.drill.requests[0].name=contract-2024",
				"chatvault.search.drill.requests[0].query=contract OR 合同 OR договор OR العقد",
				"chatvault.search.drill.requests[0].period=previous-year",
				"chatvault.search.drill.requests[1].name=bob-this-year",
				"chatvault.search.drill.requests[1].query=signed", "chatvault.search.drill.requests[1].period=2025",
				"chatvault.search.drill.requests[1].custodians=bob");
	}

	@AfterAll
	static void close() {
		fixture.close();
	}

	@Test
	void passesOnTheSeededArchiveThenFailsNamingTheQueryWhenARecordIsUnfindable() {
		// when
		AccessFixture.Cli passed = fixture.access.cli(null, "run", "regulator-drill", "half=2025-H1");

		// then
		assertThat(passed.code()).as(passed.out() + passed.err()).isEqualTo(ExitCode.COMPLETED);
		Map<String, Object> contract = request("2025-H1", "contract-2024");
		assertThat(contract).containsEntry("passed", true)
			.containsEntry("hits", 4L)
			.containsEntry("expected", 4L)
			.containsEntry("found", 4L);
		assertThat(((java.math.BigDecimal) contract.get("recall")).doubleValue()).isEqualTo(1.0);
		assertThat(String.valueOf(contract.get("redacted_query"))).doesNotContain("contract").contains("t:");
		assertThat(request("2025-H1", "bob-this-year")).containsEntry("hits", 1L).containsEntry("passed", true);

		// given: one 2024 contract line loses its tokens
		String victim = fixture
			.search("合同", Search.Filters.NONE.between(java.time.Instant.parse("2024-01-01T00:00:00Z"),
					java.time.Instant.parse("2025-01-01T00:00:00Z")))
			.iterator()
			.next();
		fixture.access.jdbc.update("UPDATE vault_message SET tokens = NULL WHERE message_id = decode(?, 'hex')",
				victim);

		// when
		AccessFixture.Cli failed = fixture.access.cli(null, "run", "regulator-drill", "half=2025-H2");

		// then
		assertThat(failed.code()).isEqualTo(ExitCode.INTEGRITY_FAILURE);
		assertThat(failed.out() + failed.err()).contains("contract-2024").contains("recall 0.7500 below 0.9990");
		assertThat(request("2025-H2", "contract-2024")).containsEntry("passed", false).containsEntry("found", 3L);
		assertThat(request("2025-H2", "bob-this-year")).containsEntry("passed", true);
		assertThat(fixture.access.jdbc
			.queryForMap("SELECT requests, failed, passed FROM search_drill_run WHERE half = ?", "2025-H2"))
			.containsEntry("requests", 2)
			.containsEntry("failed", 1)
			.containsEntry("passed", false);
	}

	private static Map<String, Object> request(String half, String name) {
		return fixture.access.jdbc.queryForMap("SELECT * FROM search_drill_request WHERE half = ? AND name = ?", half,
				name);
	}

}
