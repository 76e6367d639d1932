package io.chatvault.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chatvault.crypto.DataKeys;
import io.chatvault.vault.HeldConversation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search that meets records of an erased (crypto-shredded) conversation counts them as
 * erased and goes on with the rest, instead of failing on their destroyed key.
 */
class SearchErasureIntegrationTests {

	@TempDir
	static Path home;

	@TempDir
	static Path exports;

	static SearchFixture fixture;

	@BeforeAll
	static void archive() throws IOException {
		fixture = new SearchFixture(home, exports);
	}

	@AfterAll
	static void close() {
		fixture.close();
	}

	@Test
	void erasedCandidatesAreCountedAndTheRestIsFound() {
		// given: alice's conversation erased
		List<String> bobHits = new ArrayList<>(
				fixture.search("signed OR signe", Search.Filters.NONE.forCustodians(java.util.Set.of("bob"))));
		assertThat(bobHits).isNotEmpty();
		DataKeys keys = fixture.access.context.getBean(DataKeys.class);
		for (HeldConversation conversation : fixture.reader.conversations("alice")) {
			keys.destroy(conversation.keyScope().name(), "GDPR art. 17, test");
		}

		// when
		List<String> found = new ArrayList<>();
		Search.Outcome outcome = fixture.search.run(fixture.search.parse("signed OR signe"), Search.Filters.NONE,
				(custodian) -> true, (hit) -> found.add(hit.record().messageId()));

		// then: alice's two French lines are erased, bob's line is still found
		assertThat(outcome.erased()).isEqualTo(2);
		assertThat(outcome.complete()).isTrue();
		assertThat(found).containsExactlyInAnyOrderElementsOf(bobHits);
	}

}
