package io.chatvault.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.chatvault.access.AccessFixture;
import io.chatvault.cli.ExitCode;
import io.chatvault.search.SearchFixture;
import io.chatvault.vault.HeldConversation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An export over an archive where one conversation was erased (GDPR, crypto-shredded):
 * the erased records are counted and left out, everything else is exported.
 */
class ExportErasureIntegrationTests {

	@TempDir
	static Path home;

	@TempDir
	static Path exports;

	@TempDir
	static Path out;

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
	void aScopeExportLeavesTheErasedConversationOutAndCountsIt() throws IOException {
		// given: alice's conversation erased
		List<HeldConversation> alice = fixture.reader.conversations("alice");
		assertThat(alice).hasSize(1);
		AccessFixture.Cli erase = fixture.access.cli(fixture.compliance, "erase", "--conversation",
				alice.get(0).source() + ":" + alice.get(0).conversationId(), "--reason", "DSR-9");
		assertThat(erase.code()).as(erase.out() + erase.err()).isEqualTo(ExitCode.COMPLETED);
		Set<String> bobs = new TreeSet<>(fixture.access.jdbc.queryForList("SELECT encode(m.message_id, 'hex') "
				+ "FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation "
				+ "JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = 'bob'", String.class));
		long aliceRecords = fixture.access.jdbc.queryForObject("SELECT count(*) FROM vault_message", Long.class)
				- bobs.size();
		Path target = out.resolve("all");

		// when
		AccessFixture.Cli export = fixture.access.cli(fixture.compliance, "export", target.toString());

		// then
		assertThat(export.code()).as(export.out() + export.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(export.out()).contains("exported " + bobs.size() + " record(s)")
			.contains("left out " + aliceRecords + " erased record(s)");
		JsonNode manifest = JsonMapper.builder().build().readTree(Files.readAllBytes(target.resolve("manifest.json")));
		assertThat(manifest.get("records").asLong()).isEqualTo(bobs.size());
		assertThat(manifest.get("erased").asLong()).isEqualTo(aliceRecords);
		try (var files = Files.walk(target)) {
			assertThat(files.filter((p) -> p.toString().endsWith(".eml")).count()).isEqualTo(bobs.size());
		}
	}

}
