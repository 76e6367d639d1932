package io.chatvault.restore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.chatvault.access.AccessFixture;
import io.chatvault.access.GrantScope;
import io.chatvault.access.Role;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditVerifier;
import io.chatvault.cli.ExitCode;
import io.chatvault.message.Sha256;
import io.chatvault.migration.GeneratedWhatsAppExport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chatvault restore} through the command line, as a person with a token runs it,
 * over exports migrated for two custodians: the restored WhatsApp files equal the
 * imported ones (SHA-256), every record the index holds for the custodian is restored
 * once, every file is listed with its SHA-256, a non-empty target is refused, and every
 * restore (and every refusal) is in the audit log with what an investigator needs, the
 * chain still verifying.
 */
class RestoreIntegrationTests {

	@TempDir
	static Path home;

	static AccessFixture fixture;

	static String compliance;

	static String alice;

	static String auditor;

	static Path aliceZip;

	static Path bobText;

	@BeforeAll
	static void migrateTwoCustodians() throws IOException {
		fixture = AccessFixture.start(home, "chatvault.migration.progress=false");
		fixture.custodian("alice", "sales");
		fixture.custodian("bob", "sales");
		compliance = fixture.principal("cora", Optional.empty(), Role.COMPLIANCE, GrantScope.ALL);
		alice = fixture.principal("alice-p", Optional.of("alice"), Role.EMPLOYEE, GrantScope.custodian("alice"));
		auditor = fixture.principal("audrey", Optional.empty(), Role.AUDITOR, GrantScope.NONE);
		Path exports = Files.createDirectories(home.resolve("exports"));
		aliceZip = exports.resolve("WhatsApp Chat with Site Team.zip");
		GeneratedWhatsAppExport.writeZip(aliceZip, "Site Team", 1500, 7,
				new GeneratedWhatsAppExport.MediaMix(0.6, 0.3, 0, 0.1));
		bobText = exports.resolve("WhatsApp Chat with Bob.txt");
		GeneratedWhatsAppExport.writeText(bobText, 1200, 11);
		assertThat(fixture.cli(null, "migrate", aliceZip.toString(), "custodian=alice", "zone=Europe/Berlin").code())
			.isEqualTo(ExitCode.COMPLETED);
		assertThat(fixture.cli(null, "migrate", bobText.toString(), "custodian=bob").code())
			.isEqualTo(ExitCode.COMPLETED);
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void theRestoredWhatsAppFilesAreTheImportedOnesAndEveryIndexedRecordIsRestoredOnce() throws IOException {
		// given
		Path target = home.resolve("restore-alice");
		Map<String, String> imported = zipEntries(aliceZip);

		// when
		AccessFixture.Cli result = fixture.cli(compliance, "restore", "custodian=alice", "--to", target.toString());

		// then
		assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.COMPLETED);
		Map<String, String> restored = filesUnder(target, "originals");
		assertThat(restored.values()).containsAll(imported.values());
		assertThat(restored.keySet())
			.anySatisfy((name) -> assertThat(name).endsWith("WhatsApp Chat with Site Team.txt"));
		assertThat(restored
			.get(restored.keySet().stream().filter((name) -> name.endsWith(".txt")).findFirst().orElseThrow()))
			.isEqualTo(imported.get("WhatsApp Chat with Site Team.txt"));
		List<String> ids = restoredIds(target);
		assertThat(ids).doesNotHaveDuplicates().hasSize((int) indexRows("alice"));
		assertThat(ids).containsExactlyInAnyOrderElementsOf(fixture.jdbc.queryForList(
				"SELECT encode(m.message_id, 'hex') FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation "
						+ "JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = 'alice'",
				String.class));
		Map<String, String> media = filesUnder(target, "media");
		assertThat(media).isNotEmpty();
		assertThat(imported.values()).containsAll(media.values());
		assertThat(everyFileMatchesItsSum(target)).isTrue();
		String transcript = Files.readString(onlyFile(target, Restorer.TRANSCRIPT));
		assertThat(transcript).contains("Times: Europe/Berlin", "[attachment ", "-> media/", "(deleted");
		String manifest = Files.readString(target.resolve(Restorer.MANIFEST));
		assertThat(manifest).contains("\"records\" : " + ids.size(), "\"custodian\" : \"alice\"");
	}

	@Test
	void aTextExportComesBackBitExact() throws IOException {
		// given
		Path target = home.resolve("restore-bob");

		// when
		AccessFixture.Cli result = fixture.cli(compliance, "restore", "custodian=bob", "--to", target.toString());

		// then
		assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.COMPLETED);
		Map<String, String> restored = filesUnder(target, "originals");
		assertThat(restored).hasSize(1);
		assertThat(restored.keySet().iterator().next()).endsWith("WhatsApp Chat with Bob.txt");
		assertThat(restored.values().iterator().next()).isEqualTo(sha256(bobText));
		assertThat(restoredIds(target)).hasSize(1200);
	}

	@Test
	void aRangeRestoresItsRecordsAloneAndNoExportFile() throws IOException {
		// given
		Path target = home.resolve("restore-bob-range");

		// when
		AccessFixture.Cli result = fixture.cli(compliance, "restore", "custodian=bob", "from=2021-01-04",
				"to=2021-01-04", "--to", target.toString());

		// then
		assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.COMPLETED);
		long inRange = fixture.jdbc.queryForObject("SELECT count(*) FROM vault_message m JOIN vault_conversation c "
				+ "ON c.id = m.conversation JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = 'bob' "
				+ "AND m.sent_at >= '2021-01-04T00:00:00Z' AND m.sent_at < '2021-01-05T00:00:00Z'", Long.class);
		assertThat(inRange).isPositive().isLessThan(1200);
		assertThat(restoredIds(target)).hasSize((int) inRange);
		assertThat(filesUnder(target, "originals")).isEmpty();
	}

	@Test
	void everyRestoreIsInTheAuditLogWithWhatAnInvestigatorNeedsAndTheChainVerifies() throws IOException {
		// given
		Path target = home.resolve("restore-audited");
		long before = fixture.lastSequence();

		// when
		AccessFixture.Cli result = fixture.cli(alice, "restore", "custodian=alice", "--to", target.toString());
		AccessFixture.Cli verify = fixture.cli(auditor, "audit", "verify");

		// then
		assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.COMPLETED);
		List<AuditEvent> entries = fixture.entriesAfter(before, "content.restore");
		assertThat(entries).extracting(AuditEvent::outcome).containsExactly("authorized", "success");
		AuditEvent read = entries.get(1);
		assertThat(read.actor()).isEqualTo("alice-p");
		assertThat(read.role()).isEqualTo("employee");
		assertThat(read.target()).isEqualTo("custodians:alice");
		assertThat(read.details()).containsKeys("tokenId", "client", "authorizedAt", "query", "from", "to")
			.containsEntry("operation", "content.restore")
			.containsEntry("custodians", List.of("alice"))
			.containsEntry("conversations", "all");
		assertThat(((Number) read.details().get("records")).longValue()).isEqualTo(indexRows("alice"));
		assertThat(((Number) read.details().get("bytes")).longValue()).isEqualTo(totalSize(target));
		assertThat(read.details().get("client").toString()).contains("@");
		assertThat(read.details().get("query").toString()).contains("custodian=alice", target.toString());
		assertThat(verify.code()).as(verify.out() + verify.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(fixture.context.getBean(AuditVerifier.class).verify().intact()).isTrue();
	}

	@Test
	void aColleaguesHistoryIsRefusedWithExitElevenLoggedAndNothingWritten() {
		// given
		Path target = home.resolve("restore-refused");
		long before = fixture.lastSequence();

		// when
		AccessFixture.Cli result = fixture.cli(alice, "restore", "custodian=bob", "--to", target.toString());
		AccessFixture.Cli anonymous = fixture.cli(null, "restore", "custodian=bob", "--to", target.toString());

		// then
		assertThat(result.code()).isEqualTo(ExitCode.ACCESS_DENIED);
		assertThat(result.err().strip())
			.startsWith("chatvault: access denied: alice-p may not content.restore custodian bob")
			.doesNotContain("\n");
		assertThat(anonymous.code()).isEqualTo(ExitCode.ACCESS_DENIED);
		List<AuditEvent> entries = fixture.entriesAfter(before);
		assertThat(entries).extracting(AuditEvent::action).containsExactly("access.denied", "access.denied");
		assertThat(entries).extracting((entry) -> entry.details().get("reason"))
			.containsExactly("outside-scope", "no-token");
		assertThat(target).doesNotExist();
	}

	@Test
	void aTargetThatIsNotEmptyIsRefusedInOneLineBeforeAnythingIsRead() throws IOException {
		// given
		Path target = Files.createDirectories(home.resolve("restore-occupied"));
		Files.writeString(target.resolve("keep.txt"), "mine");
		long before = fixture.lastSequence();

		// when
		AccessFixture.Cli result = fixture.cli(compliance, "restore", "custodian=alice", "--to", target.toString());

		// then
		assertThat(result.code()).isEqualTo(ExitCode.USAGE);
		assertThat(result.err().strip()).contains("is not empty").doesNotContain("\n");
		assertThat(fixture.entriesAfter(before, "content.restore")).isEmpty();
		try (Stream<Path> files = Files.list(target)) {
			assertThat(files).containsExactly(target.resolve("keep.txt"));
		}
	}

	static long indexRows(String custodian) {
		return fixture.jdbc.queryForObject(
				"SELECT count(*) FROM vault_message m JOIN vault_conversation c "
						+ "ON c.id = m.conversation JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = ?",
				Long.class, custodian);
	}

	static List<String> restoredIds(Path target) throws IOException {
		try (Stream<Path> files = Files.walk(target)) {
			return files.filter((file) -> file.getFileName().toString().equals(Restorer.RECORDS)).flatMap((file) -> {
				try {
					return Files.readAllLines(file, StandardCharsets.UTF_8).stream();
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}).map((line) -> line.substring(7, 71)).toList();
		}
	}

	static Map<String, String> filesUnder(Path target, String directory) throws IOException {
		Map<String, String> found = new HashMap<>();
		try (Stream<Path> files = Files.walk(target)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				if (target.relativize(file).toString().contains("/" + directory + "/")) {
					found.put(target.relativize(file).toString(), sha256(file));
				}
			}
		}
		return found;
	}

	static Path onlyFile(Path target, String name) throws IOException {
		try (Stream<Path> files = Files.walk(target)) {
			return files.filter((file) -> file.getFileName().toString().equals(name)).findFirst().orElseThrow();
		}
	}

	static boolean everyFileMatchesItsSum(Path target) throws IOException {
		List<String> sums = Files.readAllLines(target.resolve("SHA256SUMS"), StandardCharsets.UTF_8);
		try (Stream<Path> files = Files.walk(target)) {
			assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(sums.size() + 2);
		}
		for (String line : sums) {
			assertThat(sha256(target.resolve(line.substring(66)))).as(line).isEqualTo(line.substring(0, 64));
		}
		return true;
	}

	static long totalSize(Path target) throws IOException {
		long size = 0;
		for (String line : Files.readAllLines(target.resolve("SHA256SUMS"), StandardCharsets.UTF_8)) {
			size += Files.size(target.resolve(line.substring(66)));
		}
		return size;
	}

	static String sha256(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return Sha256.hex(in).sha256();
		}
	}

	static Map<String, String> zipEntries(Path zip) throws IOException {
		Map<String, String> entries = new HashMap<>();
		try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
			ZipEntry entry;
			while ((entry = in.getNextEntry()) != null) {
				entries.put(entry.getName(), Sha256.hex(in.readAllBytes()));
			}
		}
		return entries;
	}

}
