package io.chatvault.vault;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.chatvault.crypto.KeyUnavailableException;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.SourcePlatform;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.ChatSource;
import io.chatvault.source.Fixtures;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;
import io.chatvault.source.slack.SlackExportSource;
import io.chatvault.source.teams.TeamsGraphSource;
import io.chatvault.source.whatsapp.WhatsAppExportSource;
import io.chatvault.source.whatsappcloud.WhatsAppCloudSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The originals: every file of an export is kept bit-exact, each record points at its
 * exact source bytes, and a later export of the same chat, which repeats the earlier one,
 * stores little more than what is new. Exports go through the real readers, as the
 * migration job reads them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OriginalsIntegrationTests {

	private static final DateTimeFormatter HEADER = DateTimeFormatter.ofPattern("dd/MM/yyyy, HH:mm");

	Path directory;

	VaultFixture fixture;

	@BeforeAll
	void startVault(@TempDir Path directory) {
		this.directory = directory;
		this.fixture = new VaultFixture(directory);
	}

	@AfterAll
	void stopVault() {
		this.fixture.close();
	}

	@Test
	void aWhatsAppExportComesBackBitExactAndEveryMessageShowsItsExactLines() throws IOException {
		// given: multi-line messages, CRLF line ends, a byte-order mark
		Path export = this.directory.resolve("WhatsApp Chat with Lines.txt");
		writeChat(export, 3000, 1, true);

		// when
		Imported imported = importExport(new WhatsAppExportSource(), export, "alice@example.com", "lines-1");

		// then
		assertThat(imported.records()).hasSizeGreaterThan(2900);
		assertEverySourceIsTheRawFragment(imported.records());
		assertReassembles(imported.receipt(), export);
		assertThat(this.fixture.reader.receipts("alice@example.com"))
			.anySatisfy((receipt) -> assertThat(receipt.archiveSha256()).isEqualTo(sha256(export)));
	}

	@Test
	void zipAndJsonExportsPointAtTheirExactSourceBytes() throws IOException {
		List<Object[]> exports = List.of(
				new Object[] { new SlackExportSource(),
						Fixtures.publicFixture("slack-export-viewer/tests/testarchive.zip") },
				new Object[] { new WhatsAppExportSource(),
						Fixtures.publicFixture(
								"whatsapp-chat-parser-website/src/assets/whatsapp-chat-parser-example.zip") },
				new Object[] { new TeamsGraphSource(), Fixtures
					.publicFixture("zulip/zerver/tests/fixtures/microsoft_teams_fixtures/TeamsData_ZulipChat/teams/"
							+ "002145f2-eaba-4962-997d-6d841a9f50af/messages_002145f2-eaba-4962-997d-6d841a9f50af.json") },
				new Object[] { new WhatsAppCloudSource(), Fixtures.publicFixture("pywa/tests/data/updates") });
		int n = 0;
		for (Object[] export : exports) {
			// when
			Imported imported = importExport((ChatSource) export[0], (Path) export[1], "bob@example.com",
					"fixture-" + n++);

			// then
			assertThat(imported.records()).as(export[1].toString()).isNotEmpty();
			assertEverySourceIsTheRawFragment(imported.records());
			for (ExportReceipt.Entry entry : imported.receipt().entries()) {
				if (entry.sha256() != null) {
					try (InputStream in = this.fixture.reader.openOriginal(entry).orElseThrow()) {
						assertThat(MediaFiles.sha256(in)).as(entry.name()).isEqualTo(entry.sha256());
					}
				}
			}
		}
	}

	@Test
	void aLaterExportOfTheSameChatStoresLittleMoreThanWhatIsNew() throws IOException {
		// given: the second export repeats the first and adds 10%
		Path first = Files.createDirectories(this.directory.resolve("first")).resolve("WhatsApp Chat with Later.txt");
		Path second = Files.createDirectories(this.directory.resolve("second")).resolve("WhatsApp Chat with Later.txt");
		writeChat(first, 20_000, 7, false);
		writeChat(second, 22_000, 7, false);
		long before = storedBytes();
		importExport(new WhatsAppExportSource(), first, "carol@example.com", "later-1");
		long firstImport = storedBytes() - before;

		// when
		Imported again = importExport(new WhatsAppExportSource(), second, "carol@example.com", "later-2");
		long secondImport = storedBytes() - before - firstImport;

		// then
		assertThat(firstImport).isLessThan(Files.size(first));
		assertThat((double) secondImport / firstImport).isLessThan(0.15);
		assertReassembles(again.receipt(), second);
	}

	@Test
	void erasingTheConversationErasesItsSourceLinesToo() throws IOException {
		// given
		Path export = this.directory.resolve("WhatsApp Chat with Erased.txt");
		writeChat(export, 200, 3, false);
		Imported imported = importExport(new WhatsAppExportSource(), export, "dave@example.com", "erased-1");
		ChatRecord record = imported.records().get(0);

		// when
		this.fixture.dataKeys.destroy(HeldConversation.of(record, "dave@example.com").keyScope().name(), "test");

		// then
		assertThat(this.fixture.jdbc.queryForObject(
				"SELECT count(DISTINCT f.data_key_id) FROM vault_receipt_entry e "
						+ "JOIN vault_file f ON f.id = e.file_id WHERE e.receipt_id = ?",
				Long.class, imported.receipt().id()))
			.isEqualTo(1);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
			try (InputStream in = this.fixture.reader.openOriginal(imported.receipt().entries().get(0)).orElseThrow()) {
				in.readAllBytes();
			}
		}).withCauseInstanceOf(KeyUnavailableException.class);
	}

	@Test
	void everyStoredItemPassesTheDeepCheckAndAReorderedRecordDoesNot() throws IOException {
		// given: a vault of its own, so that other tests' erasures stay out of it
		Path export = this.directory.resolve("WhatsApp Chat with Checked.txt");
		writeChat(export, 500, 11, false);
		try (VaultFixture fixture = new VaultFixture(Files.createDirectories(this.directory.resolve("checked")))) {
			checkEverything(fixture,
					importExport(fixture, new WhatsAppExportSource(), export, "erin@example.com", "checked-1"));
		}
	}

	private static void checkEverything(VaultFixture fixture, Imported imported) {
		fixture.vault.quarantine(
				new io.chatvault.message.QuarantinedRecord(new io.chatvault.message.SourceLocation("x.txt", "", 1),
						"test", new byte[] { 1, 2, 3 }),
				"erin@example.com");

		// when / then
		for (VaultCatalog.ItemKind kind : VaultCatalog.ItemKind.values()) {
			List<VaultCatalog.StoredItem> items = fixture.catalog.items(kind, 0, 10_000);
			assertThat(items).as(kind.name()).hasSize((int) fixture.catalog.count(kind));
			if (kind != VaultCatalog.ItemKind.MEDIA_CHUNK) {
				assertThat(items).as(kind.name()).isNotEmpty();
			}
			for (VaultCatalog.StoredItem item : items) {
				VaultCatalog.Verification deep = fixture.catalog.verify(item, VaultCatalog.Depth.CONTENT);
				assertThat(deep.problem()).as(kind + " " + item.key()).isNull();
				assertThat(deep.records()).isEqualTo(item.records());
				assertThat(fixture.catalog.verifyReplica(item, VaultCatalog.Depth.CONTENT).ok()).isTrue();
			}
		}
		String id = io.chatvault.message.MessageIdentity.of(imported.records().get(0));
		long blockId = fixture.jdbc
			.queryForObject("SELECT block_id FROM vault_message WHERE message_id = decode(?, 'hex')", Long.class, id);
		fixture.jdbc.update("UPDATE vault_message SET ordinal = ordinal + 1 WHERE message_id = decode(?, 'hex')", id);
		VaultCatalog.StoredItem block = fixture.catalog.item(VaultCatalog.ItemKind.RECORD_BLOCK, blockId).orElseThrow();
		assertThat(fixture.catalog.verify(block, VaultCatalog.Depth.CONTENT).problem())
			.startsWith("the index places message " + id + " at record 1 of ")
			.endsWith(": moved or reordered");
		assertThat(fixture.catalog.verify(block).ok()).isTrue();
	}

	private void assertEverySourceIsTheRawFragment(List<ChatRecord> records) throws IOException {
		int checked = 0;
		java.util.Set<String> seen = new java.util.HashSet<>();
		for (ChatRecord record : records) {
			String id = io.chatvault.message.MessageIdentity.of(record);
			if (!record.origin().hasSpan() || !seen.add(id)) {
				// A record read twice (two test cases holding the same message) is stored
				// once, pointing at its first source.
				continue;
			}
			VaultReader.SourceFragment fragment = this.fixture.reader.source(id).orElseThrow();
			try (InputStream in = this.fixture.reader.openSource(fragment)) {
				byte[] bytes = in.readAllBytes();
				assertThat(io.chatvault.message.Sha256.hex(bytes)).as(record.origin().toString())
					.isEqualTo(record.rawSha256());
			}
			checked++;
		}
		assertThat(checked).isPositive();
	}

	private void assertReassembles(ExportReceipt receipt, Path file) throws IOException {
		try (InputStream in = this.fixture.reader.openOriginal(receipt.entries().get(0)).orElseThrow()) {
			assertThat(MediaFiles.sha256(in)).isEqualTo(sha256(file));
		}
		assertThat(this.fixture.reader.receipt(receipt.id())).isEqualTo(receipt);
	}

	private long storedBytes() {
		return this.fixture.jdbc.queryForObject("SELECT coalesce(sum(size), 0) FROM vault_pack", Long.class)
				+ this.fixture.jdbc.queryForObject("SELECT coalesce(sum(stored_length), 0) FROM vault_receipt",
						Long.class);
	}

	record Imported(ExportReceipt receipt, List<ChatRecord> records) {
	}

	/** Imports an export as the migration job does: receive, archive in chunks, store. */
	private Imported importExport(ChatSource source, Path export, String custodian, String intakeKey)
			throws IOException {
		return importExport(this.fixture, source, export, custodian, intakeKey);
	}

	private static Imported importExport(VaultFixture fixture, ChatSource source, Path export, String custodian,
			String intakeKey) throws IOException {
		ExportReceipt receipt = fixture.vault
			.receive(new ExportSubmission(export, custodian, intakeKey, source.format().key(), null));
		List<ChatRecord> records = new ArrayList<>();
		List<ArchiveRequest> chunk = new ArrayList<>();
		try (SourceReader reader = source.open(export,
				new SourceOptions(custodian, java.time.ZoneOffset.UTC, io.chatvault.source.DateOrder.AUTO))) {
			while (reader.hasNext()) {
				SourceRecord next = reader.next();
				if (next instanceof ChatRecord record) {
					records.add(record);
					chunk.add(fixture.vault.prepare(record, custodian, receipt));
					if (chunk.size() == 1000) {
						fixture.vault.archive(chunk);
						chunk.clear();
					}
				}
			}
		}
		fixture.vault.archive(chunk);
		fixture.vault.storeOriginals(receipt, SourcePlatform.WHATSAPP_EXPORT);
		return new Imported(receipt, records);
	}

	/**
	 * A WhatsApp Android export; the same seed writes the same lines, more lines extend
	 * it.
	 */
	private static void writeChat(Path file, int messages, long seed, boolean crlfAndBom) throws IOException {
		String end = crlfAndBom ? "\r\n" : "\n";
		String[] authors = { "Alice Morgan", "Ravi Patel", "Dana Kim", "Tomás Ortega" };
		String[] words = "the deal price client contract signed call tomorrow meeting approved 👍 ok thanks".split(" ");
		Random random = new Random(seed);
		LocalDateTime time = LocalDateTime.of(2021, 1, 4, 8, 0);
		try (Writer out = new BufferedWriter(
				new java.io.OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8))) {
			if (crlfAndBom) {
				out.write('\uFEFF');
			}
			for (int i = 0; i < messages; i++) {
				time = time.plusSeconds(random.nextInt(240));
				StringBuilder line = new StringBuilder(HEADER.format(time)).append(" - ")
					.append(authors[random.nextInt(authors.length)])
					.append(": ");
				int count = 2 + random.nextInt(20);
				for (int w = 0; w < count; w++) {
					line.append((w > 0) ? ((random.nextInt(25) == 0) ? end : " ") : "")
						.append(words[random.nextInt(words.length)]);
				}
				out.write(line.append(' ').append(i).append(end).toString());
			}
		}
	}

	private static String sha256(Path file) {
		try {
			return MediaFiles.sha256(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
