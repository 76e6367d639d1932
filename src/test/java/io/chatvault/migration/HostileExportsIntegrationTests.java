package io.chatvault.migration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.testsupport.ExportMutator;
import io.chatvault.testsupport.ForgedZip;
import io.chatvault.testsupport.GeneratedExports;
import io.chatvault.testsupport.TestDatabase;
import io.chatvault.storage.ObjectStoreException;
import io.chatvault.vault.Vault;
import io.chatvault.vault.VaultReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged and hostile exports, as an attacker and an unlucky operator hand them in: each
 * test builds its inputs, migrates them, and asserts the exit code, the line of output
 * that says what happened, what is archived (read back through the vault) and what is
 * quarantined (read back, bit-exact), and a balanced reconciliation that counts every
 * file.
 */
@SpringBootTest
@Import({ FaultInjection.class, ArchiveContents.class })
class HostileExportsIntegrationTests {

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	@TempDir
	static Path home;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DATABASE.register(registry);
		registry.add("chatvault.home", () -> home.toString());
		registry.add("chatvault.migration.chunk-size", () -> "5");
	}

	@TempDir
	Path exports;

	@Autowired
	CommandDispatcher dispatcher;

	@Autowired
	FaultInjection faults;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ArchiveContents archive;

	@Autowired
	Vault vault;

	@Autowired
	VaultReader reader;

	@Test
	void aForgedDuplicateChatNeverReachesTheArchiveAndTheArchiveIsKeptWhole() throws IOException {
		// given: the real chat, then a forged one of the same size with a valid CRC
		String real = GeneratedExports.whatsAppText("genuine", 3);
		String forged = real.replace("genuine", "forgery");
		ForgedZip zip = new ForgedZip();
		zip.add("_chat.txt", real);
		zip.add("_chat.txt", forged);
		Path forgedZip = zip.write(this.exports.resolve("WhatsApp Chat with Forged.zip"));
		Path good = GeneratedExports.write(this.exports.resolve("WhatsApp Chat with Good.txt"),
				GeneratedExports.whatsAppText("good", 4));

		// when
		Run run = migrate(this.exports, "forgery");

		// then
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(run.err()).as("a completed run prints no failure line").isEmpty();
		assertThat(run.output())
			.contains("  quarantined whole: WhatsApp Chat with Forged.zip: not a readable zip archive: a second entry "
					+ "named '_chat.txt': duplicate entries, of which different readers read different ones")
			.contains("reconciliation: read 5 = archived 4 + duplicates 0 + quarantined 1 (balanced)")
			.contains("files: 2 = 1 in 1 export(s) + 1 quarantined whole + 0 not an export");
		assertArchivedExactly("forgery", good);
		assertThat(archivedBodiesContain("forgery", "forgery")).isFalse();
		assertQuarantinedWhole(forgedZip, "a second entry named '_chat.txt'");
	}

	@Test
	void aDamagedExportAmongGoodOnesIsQuarantinedWholeAndTheGoodOnesAreArchived() throws IOException {
		// given: one export whose chat text fails its CRC-32, among three good ones
		ForgedZip damaged = new ForgedZip();
		// (longer than what detection reads, so it is taken for a WhatsApp export until
		// the whole entry is read)
		damaged.add("_chat.txt", GeneratedExports.whatsAppText("damaged", 300))
			.damagedTo(GeneratedExports.whatsAppText("dAmaged", 300).getBytes(StandardCharsets.UTF_8));
		Path damagedZip = damaged
			.write(Files.createDirectories(this.exports.resolve("b")).resolve("WhatsApp Chat with Damaged.zip"));
		Path first = GeneratedExports.write(this.exports.resolve("a/WhatsApp Chat with First.txt"),
				GeneratedExports.whatsAppText("first", 12));
		Path second = GeneratedExports.whatsAppZip("second", 7)
			.write(Files.createDirectories(this.exports.resolve("c")).resolve("WhatsApp Chat with Second.zip"));
		Path third = GeneratedExports.write(this.exports.resolve("c/WhatsApp Chat with Third.txt"),
				GeneratedExports.whatsAppText("third", 5));

		// when
		Run run = migrate(this.exports, "damage");

		// then
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(run.err()).as("a completed run prints no failure line").isEmpty();
		assertThat(run.output())
			.contains("reconciliation: read 25 = archived 24 + duplicates 0 + quarantined 1 (balanced)")
			.contains("quarantined in b/WhatsApp Chat with Damaged.zip (1), the first: " + damagedZip
					+ ":0: cannot be read as a whatsapp export: cannot read the chat text of " + damagedZip
					+ " (zip entry _chat.txt): CRC-32 mismatch: the entry is damaged")
			.contains("files: 4 = 4 in 4 export(s) + 0 quarantined whole + 0 not an export");
		assertArchivedExactly("damage", first, second, third);
		assertQuarantinedWhole(damagedZip, "CRC-32 mismatch");
	}

	@Test
	void aDirectoryWithExportsOfAllFourFormatsArchivesAllOfThem() throws IOException {
		// given
		Path slack = GeneratedExports.write(this.exports.resolve("slack.zip"), GeneratedExports.slackZip("slack", 6));
		Path whatsAppText = GeneratedExports.write(this.exports.resolve("alice/WhatsApp Chat with Ann.txt"),
				GeneratedExports.whatsAppText("wa", 5));
		Path whatsAppZip = GeneratedExports.whatsAppZip("wazip", 4)
			.write(whatsAppText.resolveSibling("WhatsApp Chat with Bob.zip"));
		Path teams = GeneratedExports.write(this.exports.resolve("teams/chat.json"),
				GeneratedExports.teamsPage("teams", 3));
		Path cloud = GeneratedExports.write(this.exports.resolve("cloud/capture.jsonl"),
				GeneratedExports.cloudWebhooks("cloud", 2));
		GeneratedExports.write(this.exports.resolve("alice/IMG-0001.jpg"), new byte[] { (byte) 0xFF, (byte) 0xD8 });

		// when
		Run run = migrate(this.exports, "four-formats");

		// then
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(run.err()).as("a completed run prints no failure line").isEmpty();
		assertThat(run.output())
			.contains("reconciliation: read 20 = archived 20 + duplicates 0 + quarantined 0 (balanced)")
			.contains("files: 6 = 5 in 5 export(s) + 0 quarantined whole + 1 not an export")
			.contains("  not an export: alice/IMG-0001.jpg (not an export of a known format)");
		assertThat(run.output()).containsPattern("slack.zip +slack ")
			.containsPattern("teams/chat.json +teams ")
			.containsPattern("cloud/capture.jsonl +whatsapp-cloud ");
		assertArchivedExactly("four-formats", slack, whatsAppText, whatsAppZip, teams, cloud);
	}

	@Test
	void unreadableFilesInADirectoryAreQuarantinedWholeAndTheRunSaysSo() throws IOException {
		// given: a truncated zip, a password-protected zip, a UTF-16 export, an empty
		// file
		byte[] whole = GeneratedExports.whatsAppZip("cut", 40).bytes();
		Path truncated = GeneratedExports.write(this.exports.resolve("WhatsApp Chat with Cut.zip"),
				java.util.Arrays.copyOf(whole, whole.length / 2));
		ForgedZip locked = new ForgedZip();
		locked.add("_chat.txt", "encrypted bytes").stored().encrypted();
		Path encrypted = locked.write(this.exports.resolve("WhatsApp Chat with Locked.zip"));
		Path utf16 = GeneratedExports.write(this.exports.resolve("WhatsApp Chat with Wide.txt"),
				("\uFEFF" + GeneratedExports.whatsAppText("wide", 3)).getBytes(StandardCharsets.UTF_16LE));
		Path empty = GeneratedExports.write(this.exports.resolve("notes.json"), "");
		ForgedZip small = new ForgedZip();
		small.add("_chat.txt", GeneratedExports.whatsAppText("small", 2))
			.damagedTo(GeneratedExports.whatsAppText("smAll", 2).getBytes(StandardCharsets.UTF_8));
		Path damaged = small.write(this.exports.resolve("WhatsApp Chat with Small.zip"));
		Path good = GeneratedExports.write(this.exports.resolve("WhatsApp Chat with Fine.txt"),
				GeneratedExports.whatsAppText("fine", 3));

		// when
		Run run = migrate(this.exports, "unreadable");

		// then
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(run.err()).as("a completed run prints no failure line").isEmpty();
		assertThat(run.output())
			.contains("  quarantined whole: WhatsApp Chat with Cut.zip: not a readable zip archive: not a readable zip "
					+ "archive (no end of central directory record: truncated, or not a zip)")
			.contains("  quarantined whole: WhatsApp Chat with Locked.zip: a password-protected zip (entry _chat.txt "
					+ "is encrypted): export it again without a password")
			.contains("  quarantined whole: WhatsApp Chat with Wide.txt: UTF-16 text; exports are read as UTF-8")
			.contains("  quarantined whole: notes.json: an empty file")
			.contains("  quarantined whole: WhatsApp Chat with Small.zip: a zip archive whose entry _chat.txt is "
					+ "damaged: CRC-32 mismatch: the entry is damaged")
			.contains("reconciliation: read 8 = archived 3 + duplicates 0 + quarantined 5 (balanced)")
			.contains("files: 6 = 1 in 1 export(s) + 5 quarantined whole + 0 not an export");
		assertArchivedExactly("unreadable", good);
		assertQuarantinedWhole(truncated, "no end of central directory record");
		assertQuarantinedWhole(encrypted, "password-protected");
		assertQuarantinedWhole(utf16, "UTF-16");
		assertQuarantinedWhole(empty, "an empty file");
		assertQuarantinedWhole(damaged, "CRC-32 mismatch");
	}

	@Test
	void aSingleUnreadableExportIsQuarantinedNotRefused() throws IOException {
		// given
		Path wide = GeneratedExports.write(this.exports.resolve("WhatsApp Chat with Wide.txt"),
				GeneratedExports.whatsAppText("wide", 3).getBytes(StandardCharsets.UTF_16BE));

		// when
		Run run = migrate(wide, "single");

		// then
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(run.err()).as("a completed run prints no failure line").isEmpty();
		assertThat(run.output())
			.contains("reconciliation: read 1 = archived 0 + duplicates 0 + quarantined 1 (balanced)");
		assertQuarantinedWhole(wide, "UTF-16 text; exports are read as UTF-8");
	}

	@Test
	void aZipBombBesideTheChatIsQuarantinedAsStoredWithoutInflatingAndTheChatIsArchived() throws IOException {
		// given: 300 MiB of newlines, about 300 KiB deflated
		ForgedZip zip = GeneratedExports.whatsAppZip("bombed", 6);
		zip.add("bomb.txt", "\n".repeat(300 << 20));
		Path bombed = zip.write(this.exports.resolve("WhatsApp Chat with Bomb.zip"));

		// when
		Run run = migrate(bombed, "bomb");

		// then
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(run.err()).as("a completed run prints no failure line").isEmpty();
		assertThat(run.output())
			.contains("reconciliation: read 7 = archived 6 + duplicates 0 + quarantined 1 (balanced)")
			.containsPattern("the first: .*bomb.txt:0: zip entry refused: declares a compression ratio of \\d+:1, "
					+ "above 1000:1; refusing a possible zip bomb");
		assertThat(archivedCount("bomb")).isEqualTo(6);
		Map<String, String> quarantine = quarantineOf(bombed);
		assertThat(quarantine).hasSize(1);
		byte[] kept = quarantined(quarantine.keySet().iterator().next());
		assertThat(kept.length).isBetween(1, 1 << 20);
		assertThat(new String(kept, 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("PK\u0003\u0004");
	}

	@Test
	void damagedMediaIsQuarantinedNotDowngradedToAReference() throws IOException {
		// given: a chat naming a photo whose bytes fail their CRC-32
		ForgedZip zip = new ForgedZip();
		zip.add("_chat.txt", "12/03/2024, 09:00 - Ravi Patel: IMG-20240312-WA0001.jpg (file attached)\n"
				+ "12/03/2024, 09:01 - Alice Morgan: nice\n");
		zip.add("IMG-20240312-WA0001.jpg", "real jpeg bytes").stored().damagedTo(bytes("fake jpeg bytes"));
		Path export = zip.write(this.exports.resolve("WhatsApp Chat with Photos.zip"));

		// when
		Run run = migrate(export, "media");

		// then
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(run.err()).as("a completed run prints no failure line").isEmpty();
		assertThat(run.output())
			.contains("reconciliation: read 3 = archived 2 + duplicates 0 + quarantined 1 (balanced)")
			.contains("IMG-20240312-WA0001.jpg:0: media entry IMG-20240312-WA0001.jpg is damaged: CRC-32 mismatch");
		assertThat(archivedCount("media")).isEqualTo(2);
		assertThat(archivedBodiesContain("media", "\"status\":\"QUARANTINED\"")).isTrue();
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM vault_message_attachment a JOIN vault_message m "
					+ "ON m.message_id = a.message_id JOIN vault_conversation c ON c.id = m.conversation "
					+ "JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = 'media'")
			.query(Long.class)
			.single()).isZero();
		Map<String, String> quarantine = quarantineOf(export);
		assertThat(quarantine.values()).singleElement().asString().contains("CRC-32 mismatch");
		assertThat(new String(quarantined(quarantine.keySet().iterator().next()), StandardCharsets.ISO_8859_1))
			.endsWith("fake jpeg bytes");
	}

	@Test
	void aDiskFullFailureIsOneLineAndTheSummaryCountsWhatWasArchived() throws IOException {
		// given: a chat of 60 messages; the store fills up after 40 are archived
		Path export = GeneratedExports.write(this.exports.resolve("WhatsApp Chat with Full.txt"),
				GeneratedExports.whatsAppText("full", 60));
		this.faults.failAfter(40,
				new ObjectStoreException("Cannot write packs/0a/0a1b to file:/vault: " + "No space left on device",
						new IOException("No space left on device")));

		// when
		Run failed = dispatch("migrate", export.toString(), "custodian=disk-full");

		// then: exit 3, one line on stderr, and the 40 archived are counted
		assertThat(failed.exitCode()).isEqualTo(ExitCode.JOB_FAILED);
		assertThat(failed.err().lines()).singleElement()
			.asString()
			.matches("chatvault: migration execution \\d+ FAILED: read \\d+, written 40, skipped 0; "
					+ "java.io.IOException: No space left on device \\(details: chatvault show \\d+; "
					+ "resume: chatvault restart \\d+\\)");
		assertThat(failed.output())
			.contains("reconciliation: read 40 = archived 40 + duplicates 0 + quarantined 0 (balanced)");
		assertThat(archivedCount("disk-full")).isEqualTo(40);

		// when space is freed and the run started again
		Run resumed = dispatch("migrate", export.toString(), "custodian=disk-full");

		// then
		assertThat(resumed.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(resumed.err()).isEmpty();
		assertThat(resumed.output())
			.contains("reconciliation: read 60 = archived 60 + duplicates 0 + quarantined 0 (balanced)");
		assertArchivedExactly("disk-full", export);
	}

	@Test
	void lineEndingsYearsAndDuplicateKeysAreReadRightOrQuarantinedWithAReason() throws IOException {
		// given: a WhatsApp chat with CR-only line ends; one with a year 9999 and an
		// unmarked Buddhist-looking year; a Slack, a Teams and a Cloud API export each
		// with
		// one record whose key is written twice
		Path crOnly = GeneratedExports.write(this.exports.resolve("WhatsApp Chat with Old Mac.txt"),
				GeneratedExports.whatsAppText("mac", 6).replace("\n", "\r"));
		Path years = GeneratedExports.write(this.exports.resolve("WhatsApp Chat with Years.txt"),
				"12/03/2024, 08:01 - Ravi Patel: before\n31/12/9999, 23:59 - Alice Morgan: far future\n"
						+ "15/12/2566, 10:30 - Ravi Patel: which year?\n12/03/2024, 08:05 - Alice Morgan: after\n");
		ForgedZip slack = new ForgedZip();
		slack.add("users.json", "[{\"id\":\"U01\",\"name\":\"ann\"},{\"id\":\"U02\",\"name\":\"bob\"}]");
		slack.add("channels.json", "[{\"id\":\"C02\",\"name\":\"general\",\"created\":1710000000}]");
		slack.add("general/2024-03-11.json",
				"[{\"type\":\"message\",\"user\":\"U01\",\"text\":\"dupkeys one\",\"ts\":\"1720150001.000100\"},"
						+ "{\"type\":\"message\",\"user\":\"U01\",\"user\":\"U02\",\"text\":\"dupkeys two\","
						+ "\"ts\":\"1720150002.000100\"}]");
		Path slackZip = slack.write(this.exports.resolve("slack.zip"));
		String teamsMessage = "{\"id\":\"%s\",\"messageType\":\"message\",\"createdDateTime\":\"2024-05-01T10:0%s:00Z\","
				+ "\"chatId\":\"19:dup@thread.v2\",\"body\":{\"contentType\":\"text\",\"content\":\"%s\"}}";
		Path teams = GeneratedExports.write(this.exports.resolve("teams/chat.json"), "["
				+ String.format(teamsMessage, "t1", "1", "dupkeys teams") + ","
				+ String.format(teamsMessage, "t2", "2", "real").replace("}}", "},\"body\":{\"content\":\"forged\"}}")
				+ "]");
		String[] webhooks = GeneratedExports.cloudWebhooks("dupkeys", 2).split("\\R");
		Path cloud = GeneratedExports.write(this.exports.resolve("cloud/capture.jsonl"),
				webhooks[0] + "\n" + webhooks[1].replace("\"from\":\"C1\"", "\"from\":\"C1\",\"from\":\"C2\"") + "\n");

		// when
		Run run = migrate(this.exports, "evidence");

		// then: 6 + 3 + 1 + 1 + 1 archived; the Buddhist-looking year and the three
		// records with a key written twice quarantined
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(run.err()).isEmpty();
		assertThat(run.output())
			.contains("reconciliation: read 16 = archived 12 + duplicates 0 + quarantined 4 (balanced)")
			.contains("files: 5 = 5 in 5 export(s) + 0 quarantined whole + 0 not an export");
		assertArchivedExactly("evidence", crOnly, years, slackZip, teams, cloud);
		assertThat(archivedBodiesContain("evidence", "mac message 6")).isTrue();
		assertThat(archivedBodiesContain("evidence", "forged")).isFalse();
		assertThat(archivedBodiesContain("evidence", "dupkeys two")).isFalse();
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation "
					+ "JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = 'evidence' "
					+ "AND m.sent_at >= TIMESTAMP WITH TIME ZONE '9999-12-31 23:59:00+00'")
			.query(Long.class)
			.single()).isOne();
		assertThat(quarantineOf(years).values()).singleElement().asString().contains("2566 is not rewritten");
		for (Path file : List.of(slackZip, teams, cloud)) {
			assertThat(quarantineOf(file).values()).as(file.toString())
				.singleElement()
				.asString()
				.contains("duplicate key \"")
				.contains("neither is taken as the record");
		}
	}

	@Test
	void aDirectoryOfMutatedExportsIsAccountedForFileByFile() throws IOException {
		// given: exports of every format, each mutated (zip structure, line ends, years,
		// keys, cuts), seeded
		int count = Integer.getInteger("chatvault.fuzz.exports", 25);
		long seed = Long.getLong("chatvault.fuzz.seed", 20261130L);
		Random seeds = new Random(seed);
		byte[] whatsAppZip = GeneratedExports.whatsAppZip("fz", 8).bytes();
		// (its own channel: message ids must not meet other tests' Slack exports)
		byte[] slackZip = fuzzSlackZip();
		List<Path> files = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ExportMutator mutator = new ExportMutator(seeds.nextLong());
			String tag = "fz" + i;
			Path file = switch (i % 5) {
				case 0 -> GeneratedExports.write(this.exports.resolve(i + "/WhatsApp Chat with F" + i + ".zip"),
						mutator.zip(whatsAppZip));
				case 1 -> GeneratedExports.write(this.exports.resolve(i + "/slack.zip"), mutator.zip(slackZip));
				case 2 -> GeneratedExports.write(this.exports.resolve(i + "/WhatsApp Chat with T" + i + ".txt"),
						mutator.text(bytes(GeneratedExports.whatsAppText(tag, 6))));
				case 3 -> GeneratedExports.write(this.exports.resolve(i + "/chat.json"),
						mutator.text(bytes(GeneratedExports.teamsPage(tag, 4))));
				default -> GeneratedExports.write(this.exports.resolve(i + "/capture.jsonl"),
						mutator.text(bytes(GeneratedExports.cloudWebhooks(tag, 3))));
			};
			files.add(file);
		}

		// when
		Run run = migrate(this.exports, "fuzz");

		// then: the run completes, balanced, and every file is an export kept bit-exact,
		// quarantined whole, or listed as not an export
		assertThat(run.exitCode()).isIn(ExitCode.COMPLETED, ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(run.err()).isEmpty();
		assertThat(run.output()).contains("(balanced)").containsPattern("files: " + count + " = ");
		Map<String, String> kinds = new HashMap<>();
		this.jdbc
			.sql("SELECT name, kind FROM migration_file WHERE job_instance_id = "
					+ "(SELECT max(job_instance_id) FROM migration_file)")
			.query((rs) -> {
				kinds.put(rs.getString(1), rs.getString(2));
			});
		java.util.Set<String> received = new java.util.HashSet<>();
		this.reader.receipts("fuzz").forEach((receipt) -> received.add(receipt.archiveSha256()));
		for (Path file : files) {
			String name = this.exports.relativize(file).toString();
			String kind = kinds.get(name);
			assertThat(kind).as(name).isNotNull();
			byte[] bytes = Files.readAllBytes(file);
			boolean kept = received.contains(io.chatvault.message.Sha256.hex(bytes));
			boolean quarantinedWhole = quarantineOf(file).keySet()
				.stream()
				.anyMatch((fingerprint) -> java.util.Arrays.equals(quarantinedOrEmpty(fingerprint), bytes));
			assertThat(kept || quarantinedWhole || kind.equals("not-an-export")).as(name + " (" + kind + ")").isTrue();
		}
	}

	private static byte[] fuzzSlackZip() {
		ForgedZip zip = new ForgedZip();
		zip.add("users.json", "[{\"id\":\"U01\",\"name\":\"ann\"}]");
		zip.add("channels.json", "[{\"id\":\"C03\",\"name\":\"fuzz\",\"created\":1710000000}]");
		StringBuilder day = new StringBuilder("[");
		for (int i = 1; i <= 5; i++) {
			day.append((i > 1) ? "," : "")
				.append("{\"type\":\"message\",\"user\":\"U01\",\"text\":\"fz message " + i + "\",\"ts\":\"173015000"
						+ i + ".000100\"}");
		}
		zip.add("fuzz/2024-10-28.json", day.append("]").toString());
		return zip.bytes();
	}

	private byte[] quarantinedOrEmpty(String fingerprint) {
		try {
			return quarantined(fingerprint);
		}
		catch (IOException | RuntimeException ex) {
			return new byte[0];
		}
	}

	private void assertArchivedExactly(String custodian, Path... exports) throws IOException {
		Map<String, String> expected = new HashMap<>();
		for (Path export : exports) {
			expected.putAll(this.archive.expected(export, custodian, ZoneId.of("UTC")));
		}
		assertThat(archivedCount(custodian)).isEqualTo(expected.size());
		assertThat(this.archive.mismatches(expected)).isEmpty();
	}

	private void assertQuarantinedWhole(Path file, String reason) throws IOException {
		Map<String, String> quarantine = quarantineOf(file);
		assertThat(quarantine).as("quarantine of " + file).hasSize(1);
		Map.Entry<String, String> entry = quarantine.entrySet().iterator().next();
		assertThat(entry.getValue()).contains(reason);
		assertThat(quarantined(entry.getKey())).isEqualTo(Files.readAllBytes(file));
	}

	/** Fingerprint to reason of what the vault quarantined from a file. */
	private Map<String, String> quarantineOf(Path file) {
		Map<String, String> found = new HashMap<>();
		this.jdbc.sql("SELECT fingerprint, reason FROM vault_quarantine WHERE origin_file = ?")
			.param(file.toString())
			.query((rs) -> {
				found.put(rs.getString(1), rs.getString(2));
			});
		return found;
	}

	private byte[] quarantined(String fingerprint) throws IOException {
		try (InputStream in = this.vault.openQuarantined(fingerprint)) {
			return in.readAllBytes();
		}
	}

	private long archivedCount(String custodian) {
		return this.jdbc
			.sql("SELECT count(*) FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation "
					+ "JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = ?")
			.param(custodian)
			.query(Long.class)
			.single();
	}

	private boolean archivedBodiesContain(String custodian, String text) {
		return this.jdbc.sql(
				"SELECT encode(m.message_id, 'hex') FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation "
						+ "JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = ?")
			.param(custodian)
			.query(String.class)
			.list()
			.stream()
			.map((id) -> new String(this.vault.readCanonical(id), StandardCharsets.UTF_8))
			.anyMatch((canonical) -> canonical.contains(text));
	}

	private Run migrate(Path source, String custodian) {
		return dispatch("migrate", source.toString(), "custodian=" + custodian);
	}

	/**
	 * Runs a command as the CLI does: the result on stdout, a failure's line on stderr.
	 */
	private Run dispatch(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		ExitCode code = this.dispatcher.dispatch(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		Run run = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
		System.out.println(run.output() + run.err());
		return run;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	record Run(ExitCode exitCode, String output, String err) {
	}

}
