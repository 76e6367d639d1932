package io.chatvault.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.chatvault.access.AccessFixture;
import io.chatvault.cli.ExitCode;
import io.chatvault.search.SearchFixture;
import io.chatvault.vault.HeldConversation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restore, and the drill's completeness proof, over an archive where a GDPR erasure
 * destroyed data keys (issue 17: after an erasure everything else still reads): the
 * erased records are counted and left out, never a failure or a shortfall; what the
 * erasure did not touch comes back complete.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreErasureIntegrationTests {

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
	@Order(1)
	void aConversationErasureIsCountedByTheRestoreAndTheProof() throws IOException {
		// given: alice's conversation erased
		List<HeldConversation> alice = fixture.reader.conversations("alice");
		assertThat(alice).hasSize(1);
		long aliceRecords = records("alice");
		assertThat(aliceRecords).isPositive();
		erase("--conversation", alice.get(0).source() + ":" + alice.get(0).conversationId());
		Path target = out.resolve("alice");

		// when
		AccessFixture.Cli restore = fixture.access.cli(fixture.compliance, "restore", "custodian=alice", "--to",
				target.toString());

		// then: the restore completes and says what it left out; the proof finds no
		// shortfall
		assertThat(restore.code()).as(restore.out() + restore.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(restore.out()).contains("0 record(s)")
			.contains("left out " + aliceRecords + " erased record(s) and 1 erased export file(s)");
		assertThat(counts(target).get("erased").asLong()).isEqualTo(aliceRecords);
		try (var files = Files.walk(target)) {
			// the export file read for the erased conversation alone went with it
			assertThat(files.filter((p) -> p.toString().contains("/" + Restorer.ORIGINALS + "/"))
				.filter(Files::isRegularFile)).isEmpty();
		}
		RestoredCheck.Checked checked = new RestoredCheck(fixture.access.jdbc).check(target, "alice", null, null, true);
		assertThat(checked.problems).isEmpty();
		assertThat(checked.problemCount).isZero();
		assertThat(checked.erasedRecords).isEqualTo(aliceRecords);
		assertThat(checked.indexRecords).isZero();
	}

	@Test
	@Order(2)
	void whatTheErasureDidNotTouchStillComesBackComplete() throws IOException {
		long bobRecords = records("bob");
		Path target = out.resolve("bob");

		AccessFixture.Cli restore = fixture.access.cli(fixture.compliance, "restore", "custodian=bob", "--to",
				target.toString());

		assertThat(restore.code()).as(restore.out() + restore.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(restore.out()).contains(bobRecords + " record(s)").doesNotContain("erased");
		RestoredCheck.Checked checked = new RestoredCheck(fixture.access.jdbc).check(target, "bob", null, null, true);
		assertThat(checked.problems).isEmpty();
		assertThat(checked.erasedRecords).isZero();
		assertThat(checked.verifiedRecords).isEqualTo(bobRecords);
		assertThat(checked.originals).isPositive();
	}

	@Test
	@Order(3)
	void aCustodianErasureTakesTheirExportReceiptsWithIt() throws IOException {
		// given: bob erased as a custodian (records, receipts and original export files)
		long bobRecords = records("bob");
		erase("--custodian", "bob");
		Path target = out.resolve("bob-erased");

		// when
		AccessFixture.Cli restore = fixture.access.cli(fixture.compliance, "restore", "custodian=bob", "--to",
				target.toString());

		// then
		assertThat(restore.code()).as(restore.out() + restore.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(restore.out()).contains("left out " + bobRecords + " erased record(s)");
		JsonNode counts = counts(target);
		assertThat(counts.get("erased").asLong()).isEqualTo(bobRecords);
		assertThat(counts.get("erasedOriginals").asLong()).isEqualTo(1);
		assertThat(counts.get("originals").asLong()).isZero();
		RestoredCheck.Checked checked = new RestoredCheck(fixture.access.jdbc).check(target, "bob", null, null, true);
		assertThat(checked.problems).isEmpty();
		assertThat(checked.erasedRecords).isEqualTo(bobRecords);
		assertThat(checked.originals).isZero();
	}

	private static void erase(String... scope) {
		String[] args = new String[scope.length + 3];
		args[0] = "erase";
		System.arraycopy(scope, 0, args, 1, scope.length);
		args[scope.length + 1] = "--reason";
		args[scope.length + 2] = "DSR-17";
		AccessFixture.Cli erase = fixture.access.cli(fixture.compliance, args);
		assertThat(erase.code()).as(erase.out() + erase.err()).isEqualTo(ExitCode.COMPLETED);
	}

	private static long records(String custodian) {
		return fixture.access.jdbc.queryForObject("SELECT count(*) FROM vault_message m "
				+ "JOIN vault_conversation c ON c.id = m.conversation JOIN vault_custodian k ON k.id = c.custodian_id "
				+ "WHERE k.name = ?", Long.class, custodian);
	}

	private static JsonNode counts(Path target) throws IOException {
		return JsonMapper.builder().build().readTree(Files.readAllBytes(target.resolve("manifest.json"))).get("counts");
	}

}
