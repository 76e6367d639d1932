package io.chatvault.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.chatvault.access.AccessFixture;
import io.chatvault.cli.ExitCode;
import io.chatvault.vault.HeldConversation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The regulator drill and the search backfill on an archive where one conversation was
 * erased (GDPR, crypto-shredded): the drill's full scan counts the erased records and
 * judges the request on the rest, so it still passes when the search finds everything
 * readable and still fails when it misses a readable record, reporting the erased count
 * either way; the backfill skips the erased records and indexes the rest.
 */
class ErasedConversationSearchIntegrationTests {

	@TempDir
	static Path home;

	@TempDir
	static Path exports;

	static SearchFixture fixture;

	static long aliceRecords;

	@BeforeAll
	static void archiveThenEraseAlice() throws IOException {
		fixture = new SearchFixture(home, exports, "chatvault.search.drill.requests[0].name=contract-all",
				"chatvault.search.drill.requests[0].query=contract OR 合同",
				"chatvault.search.drill.requests[0].period=all");
		List<HeldConversation> alice = fixture.reader.conversations("alice");
		assertThat(alice).hasSize(1);
		aliceRecords = fixture.access.jdbc
			.queryForObject("SELECT count(*) FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation "
					+ "JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = 'alice'", Long.class);
		assertThat(aliceRecords).isGreaterThanOrEqualTo(SearchFixture.ALICE_2024.size());
		AccessFixture.Cli erase = fixture.access.cli(fixture.compliance, "erase", "--conversation",
				alice.get(0).source() + ":" + alice.get(0).conversationId(), "--reason", "DSR-7");
		assertThat(erase.code()).as(erase.out() + erase.err()).isEqualTo(ExitCode.COMPLETED);
		// the erased records keep no search tokens, bob's keep theirs
		assertThat(fixture.access.jdbc.queryForObject("SELECT count(*) FROM vault_message m "
				+ "JOIN vault_conversation c ON c.id = m.conversation JOIN vault_custodian k ON k.id = c.custodian_id "
				+ "WHERE k.name = 'alice' AND m.tokens <> '{}'", Long.class))
			.isZero();
		assertThat(fixture.access.jdbc.queryForObject("SELECT count(*) FROM vault_message m "
				+ "JOIN vault_conversation c ON c.id = m.conversation JOIN vault_custodian k ON k.id = c.custodian_id "
				+ "WHERE k.name = 'bob' AND m.tokens <> '{}'", Long.class))
			.isPositive();
	}

	@AfterAll
	static void close() {
		fixture.close();
	}

	@Test
	void countsTheErasedRecordsAndJudgesTheRequestOnTheRest() {
		// given: alice's conversation erased (GDPR), bob's records readable
		Set<String> bobMatches = fixture.scan("contract OR 合同", Search.Filters.NONE.forCustodians(Set.of("bob")));
		assertThat(bobMatches).hasSize(2);

		// when
		AccessFixture.Cli passed = fixture.access.cli(null, "run", "regulator-drill", "half=2025-H1");

		// then: alice's records are counted as erased, bob's matches are all found
		assertThat(passed.code()).as(passed.out() + passed.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(request("2025-H1")).containsEntry("passed", true)
			.containsEntry("erased", aliceRecords)
			.containsEntry("expected", 2L)
			.containsEntry("found", 2L)
			.containsEntry("hits", 2L);

		// given: one of bob's matches loses its tokens
		String victim = bobMatches.iterator().next();
		fixture.access.jdbc.update("UPDATE vault_message SET tokens = NULL WHERE message_id = decode(?, 'hex')",
				victim);

		// when
		AccessFixture.Cli failed = fixture.access.cli(null, "run", "regulator-drill", "half=2025-H2");

		// then: the drill still fails on what is readable
		assertThat(failed.code()).as(failed.out() + failed.err()).isEqualTo(ExitCode.INTEGRITY_FAILURE);
		assertThat(failed.out() + failed.err()).contains("recall 0.5000 below 0.9990");
		assertThat(request("2025-H2")).containsEntry("passed", false)
			.containsEntry("erased", aliceRecords)
			.containsEntry("expected", 2L)
			.containsEntry("found", 1L);
	}

	@Test
	void backfillSkipsTheErasedRecordsAndIndexesTheRest() {
		// given: alice's erased records and one of bob's have no tokens
		fixture.access.jdbc
			.update("UPDATE vault_message m SET tokens = NULL FROM vault_conversation c, vault_custodian k "
					+ "WHERE c.id = m.conversation AND k.id = c.custodian_id AND k.name = 'alice'");
		String bobs = fixture.scan("договор", Search.Filters.NONE.forCustodians(Set.of("bob"))).iterator().next();
		fixture.access.jdbc.update("UPDATE vault_message SET tokens = NULL WHERE message_id = decode(?, 'hex')", bobs);
		long bobWithoutTokens = bobWithoutTokens();

		// when
		AccessFixture.Cli backfill = fixture.access.cli(null, "run", "search-backfill", "day=2025-03-05");

		// then: bob's record is found again, alice's erased records are filtered, not
		// indexed
		assertThat(backfill.code()).as(backfill.out() + backfill.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(fixture.search("договор", Search.Filters.NONE)).contains(bobs);
		assertThat(fixture.access.jdbc.queryForMap("SELECT sum(write_count) AS written, sum(filter_count) AS filtered "
				+ "FROM batch_step_execution s JOIN batch_job_execution_params p USING (job_execution_id) "
				+ "WHERE s.step_name = 'search-backfill-step' AND p.parameter_value = '2025-03-05'"))
			.containsEntry("written", java.math.BigDecimal.valueOf(bobWithoutTokens))
			.containsEntry("filtered", java.math.BigDecimal.valueOf(aliceRecords));
		assertThat(fixture.access.jdbc.queryForObject("SELECT count(*) FROM vault_message m JOIN vault_conversation c "
				+ "ON c.id = m.conversation JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = 'alice' "
				+ "AND m.tokens IS NOT NULL", Long.class))
			.isZero();
		assertThat(bobWithoutTokens()).isZero();
	}

	private static long bobWithoutTokens() {
		return fixture.access.jdbc.queryForObject("SELECT count(*) FROM vault_message m JOIN vault_conversation c "
				+ "ON c.id = m.conversation JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = 'bob' "
				+ "AND m.tokens IS NULL", Long.class);
	}

	private static Map<String, Object> request(String half) {
		return fixture.access.jdbc.queryForMap("SELECT * FROM search_drill_request WHERE half = ? AND name = ?", half,
				"contract-all");
	}

}
