package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.chatvault.message.Sha256;
import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.ContentLocator;
import io.chatvault.message.ConversationType;
import io.chatvault.message.MessageIdentity;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SystemEventType;
import io.chatvault.source.DateOrder;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.SourceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What a WhatsApp export says beyond text arrives in the model: attachments with their
 * bytes' SHA-256, omitted media, deletions, edits, system events, polls, locations,
 * contact cards, view-once media, the custodian's zone, stable identities; and what it
 * cannot hold is quarantined with its bytes.
 */
class WhatsAppExportFidelityTests {

	private static final SourceOptions UTC = new SourceOptions("alice@example.com", ZoneOffset.UTC, DateOrder.AUTO);

	@TempDir
	Path dir;

	@Test
	void androidZipAttachmentsArePresentWithSizeAndSha256() throws Exception {
		// given
		byte[] photo = "not really a jpeg".getBytes(StandardCharsets.UTF_8);
		byte[] card = "BEGIN:VCARD\nFN:Jan\nEND:VCARD\n".getBytes(StandardCharsets.UTF_8);
		Path zip = zip("WhatsApp Chat - Anna.zip", "WhatsApp Chat with Anna.txt", """
				31/12/20, 10:00 - Anna: IMG-20201231-WA0001.jpg (file attached)
				Look at this
				31/12/20, 10:01 - Bob: Jan.vcf (file attached)
				31/12/20, 10:02 - Anna: VID-20201231-WA0002.mp4 (file attached)
				""", "IMG-20201231-WA0001.jpg", photo, "Jan.vcf", card, "__MACOSX/._IMG-20201231-WA0001.jpg",
				new byte[] { 1, 2 });

		// when
		ExportFixture export = ExportFixture.read(zip, UTC);

		// then
		List<ChatRecord> messages = export.messages();
		assertThat(messages).hasSize(3);
		Attachment attachment = messages.get(0).attachments().get(0);
		assertThat(attachment.status()).isEqualTo(AttachmentStatus.PRESENT);
		assertThat(attachment.name()).isEqualTo("IMG-20201231-WA0001.jpg");
		assertThat(attachment.mediaType()).isEqualTo("image/jpeg");
		assertThat(attachment.size()).isEqualTo(photo.length);
		assertThat(attachment.sha256()).isEqualTo(Sha256.hex(photo));
		assertThat(attachment.content()).isEqualTo(ContentLocator.zipEntry(zip, "IMG-20201231-WA0001.jpg"));
		try (InputStream in = attachment.content().open()) {
			assertThat(in.readAllBytes()).isEqualTo(photo);
		}
		assertThat(messages.get(0).body()).isEqualTo("Look at this");
		assertThat(messages.get(1).attachments().get(0).mediaType()).isEqualTo("text/vcard");
		assertThat(messages.get(1).attachments().get(0).sha256()).isEqualTo(Sha256.hex(card));
		assertThat(messages.get(1).extra()).containsEntry("contactCard", "Jan.vcf");
		// named by the chat, missing from the export
		assertThat(messages.get(2).attachments().get(0).status()).isEqualTo(AttachmentStatus.REFERENCE);
		assertThat(messages.get(0).conversation().name()).isEqualTo("Anna");
		assertThat(messages.get(0).conversation().type()).isEqualTo(ConversationType.DIRECT);
		assertThat(export.description().format()).isEqualTo(SourceFormat.WHATSAPP);
		assertThat(new WhatsAppExportSource().accepts(zip)).isTrue();
	}

	@Test
	void iosAttachedFilesAreMatchedAndNamesThatLeaveTheExportAreNot() throws Exception {
		// given
		byte[] photo = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2, 3 };
		Path zip = zip("WhatsApp Chat - Team.zip", "_chat.txt", """
				[31/12/2020, 10:00:00] Anna: \u200E<attached: 00000012-PHOTO-2020-12-31-10-00-00.jpg>
				[31/12/2020, 10:00:05] Anna: \u200E<attached: ../../etc/passwd>
				[31/12/2020, 10:00:09] Bob: \u200Eimage omitted
				[31/12/2020, 10:00:10] Bob: report.pdf • 3 pages \u200Edocument omitted
				""", "00000012-PHOTO-2020-12-31-10-00-00.jpg", photo);

		// when
		ExportFixture export = ExportFixture.read(zip, UTC);

		// then
		List<ChatRecord> messages = export.messages();
		assertThat(messages.get(0).attachments().get(0).status()).isEqualTo(AttachmentStatus.PRESENT);
		assertThat(messages.get(0).attachments().get(0).sha256()).isEqualTo(Sha256.hex(photo));
		assertThat(messages.get(0).body()).isEmpty();
		assertThat(messages.get(1).attachments().get(0).status()).isEqualTo(AttachmentStatus.REFERENCE);
		assertThat(messages.get(2).attachments().get(0).status()).isEqualTo(AttachmentStatus.OMITTED);
		assertThat(messages.get(3).attachments()).extracting(Attachment::name, Attachment::status)
			.containsExactly(tuple("report.pdf", AttachmentStatus.OMITTED));
		assertThat(messages.get(3).extra()).containsEntry("documentInfo", "3 pages");
		assertThat(messages.get(0).conversation().name()).isEqualTo("Team");
	}

	@Test
	void zipEntriesThatWouldLeaveTheArchiveAreRefusedAndQuarantined() throws Exception {
		// given
		Path zip = zip("WhatsApp Chat - Anna.zip", "_chat.txt", "[31/12/2020, 10:00:00] Anna: hi\n", "../../evil.jpg",
				new byte[] { 1 });

		// when
		ExportFixture export = ExportFixture.read(zip, UTC);

		// then
		assertThat(export.messages()).hasSize(1);
		assertThat(export.quarantined()).singleElement().satisfies((q) -> {
			assertThat(q.origin().entry()).isEqualTo("../../evil.jpg");
			assertThat(q.origin().line()).isZero();
			assertThat(q.reason()).startsWith("zip entry refused");
		});
		assertThat(export.description().notes()).anySatisfy((n) -> assertThat(n).startsWith("zip entry refused"));
	}

	@Test
	void textExportFindsMediaUnpackedBesideIt() throws IOException {
		// given
		byte[] voice = { 'O', 'g', 'g', 'S' };
		Files.write(this.dir.resolve("PTT-20201231-WA0003.opus"), voice);
		Path chat = text("WhatsApp Chat with Anna.txt",
				"31/12/20, 10:00 - Anna: PTT-20201231-WA0003.opus (file attached)\n");

		// when
		Attachment attachment = ExportFixture.read(chat, UTC).messages().get(0).attachments().get(0);

		// then
		assertThat(attachment.status()).isEqualTo(AttachmentStatus.PRESENT);
		assertThat(attachment.mediaType()).isEqualTo("audio/ogg");
		assertThat(attachment.sha256()).isEqualTo(Sha256.hex(voice));
		assertThat(attachment.content()).isEqualTo(ContentLocator.file(this.dir.resolve("PTT-20201231-WA0003.opus")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "<Media omitted>", "<Multimedia omitido>", "<Medien ausgeschlossen>", "<Médias omis>",
			"<Media omessi>", "<Mídia oculta>", "<Media weggelaten>", "\u200Eimage omitted", "\u200Eimagen omitida",
			"\u200EBild weggelassen", "\u200Eimmagine omessa", "\u200Eafbeelding weggelaten" })
	void omittedMediaInEveryLocale(String notice) throws IOException {
		// given
		Path chat = text("chat.txt", "31/12/20, 10:00 - Anna: " + notice + "\n");

		// when
		ChatRecord message = ExportFixture.read(chat, UTC).messages().get(0);

		// then
		assertThat(message.attachments()).singleElement()
			.satisfies((a) -> assertThat(a.status()).isEqualTo(AttachmentStatus.OMITTED));
		assertThat(message.body()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "This message was deleted", "You deleted this message", "\u200EThis message was deleted.",
			"Se eliminó este mensaje.", "Eliminaste este mensaje.", "Diese Nachricht wurde gelöscht",
			"Du hast diese Nachricht gelöscht.", "Ce message a été supprimé", "Questo messaggio è stato eliminato",
			"Esta mensagem foi apagada", "Dit bericht is verwijderd" })
	void deletionsInEveryLocale(String notice) throws IOException {
		// given
		Path chat = text("chat.txt", "31/12/20, 10:00 - Anna: " + notice + "\n");

		// when
		ChatRecord message = ExportFixture.read(chat, UTC).messages().get(0);

		// then
		assertThat(message.kind()).isEqualTo(RecordKind.MESSAGE);
		assertThat(message.deleted()).isTrue();
		assertThat(message.deletion().notice()).isEqualTo(Texts.trimIgnorable(notice));
		assertThat(message.deletion().deletedBy().displayName()).isEqualTo("Anna");
		assertThat(message.body()).isEmpty();
	}

	@Test
	void editedMessagesKeepTheirTextAndAreMarked() throws IOException {
		// given
		Path chat = text("chat.txt", """
				[31/12/2020, 10:00:00] Anna: See you at 5 \u200E<This message was edited>
				[31/12/2020, 10:00:01] Bob: Hasta luego <Se editó este mensaje.>
				[31/12/2020, 10:00:02] Bob: not edited
				""");

		// when
		List<ChatRecord> messages = ExportFixture.read(chat, UTC).messages();

		// then
		assertThat(messages).extracting(ChatRecord::body, ChatRecord::edited)
			.containsExactly(tuple("See you at 5", true), tuple("Hasta luego", true), tuple("not edited", false));
	}

	@Test
	void systemLinesBecomeEvents() throws IOException {
		// given
		Path chat = text("chat.txt",
				"""
						12/31/20, 10:00 - Anna created group "Project X"
						12/31/20, 10:01 - Anna added Bob
						12/31/20, 10:02 - Anna changed the subject from "Project X" to "Project Y: launch"
						12/31/20, 10:03 - Anna changed this group's icon
						12/31/20, 10:04 - Bob left
						12/31/20, 10:05 - Anna removed Carl
						12/31/20, 10:06 - Dan joined using this group's invite link
						12/31/20, 10:07 - Your security code with Bob changed. Tap to learn more.
						12/31/20, 10:08 - Messages and calls are end-to-end encrypted. No one outside of this chat can read them.
						12/31/20, 10:09 - Anna changed the group description
						12/31/20, 10:10 - Something WhatsApp says that nobody has seen before
						[12/31/20, 10:11:00 PM] Bob: \u200EMissed voice call
						""");

		// when
		ExportFixture export = ExportFixture.read(chat, UTC);

		// then
		assertThat(export.messages()).isEmpty();
		assertThat(export.events()).extracting((e) -> e.event().type())
			.containsExactly(SystemEventType.CREATED, SystemEventType.ADDED, SystemEventType.RENAMED,
					SystemEventType.ICON_CHANGED, SystemEventType.LEFT, SystemEventType.REMOVED, SystemEventType.JOINED,
					SystemEventType.SECURITY_CODE_CHANGED, SystemEventType.ENCRYPTION_NOTICE,
					SystemEventType.TOPIC_CHANGED, SystemEventType.OTHER, SystemEventType.CALL);
		assertThat(export.events().get(2).event().detail())
			.isEqualTo("Anna changed the subject from \"Project X\" to \"Project Y: launch\"");
		assertThat(export.events().get(11).author().displayName()).isEqualTo("Bob");
		assertThat(export.events().get(1).event().subject().displayName()).isEqualTo("Bob");
		assertThat(export.events().get(1).extra()).containsEntry("actor", "Anna");
		assertThat(export.events().get(4).event().subject().displayName()).isEqualTo("Bob");
		assertThat(export.events().get(6).event().subject().displayName()).isEqualTo("Dan");
		assertThat(export.events().get(0).extra()).containsEntry("actor", "Anna");
		assertThat(export.events().get(0).conversation().name()).isEqualTo("Project X");
		assertThat(export.events().get(0).conversation().type()).isEqualTo(ConversationType.GROUP);
	}

	@Test
	void pollsLocationsAndViewOnceMediaAreKept() throws IOException {
		// given
		Path chat = text("chat.txt", """
				31/12/20, 10:00 - Anna: POLL:
				Lunch?
				OPTION: Pizza (2 votes)
				OPTION: Sushi (1 vote)
				31/12/20, 10:01 - Bob: location: https://maps.google.com/?q=52.37,4.89
				31/12/20, 10:02 - Bob: <View once voice message omitted>
				""");

		// when
		List<ChatRecord> messages = ExportFixture.read(chat, UTC).messages();

		// then
		assertThat(messages.get(0).extra()).containsEntry("poll.question", "Lunch?")
			.containsEntry("poll.options", "Pizza (2 votes)\nSushi (1 vote)");
		assertThat(messages.get(0).body()).startsWith("POLL:\nLunch?");
		assertThat(messages.get(1).extra()).containsEntry("location", "https://maps.google.com/?q=52.37,4.89");
		assertThat(messages.get(2).extra()).containsEntry("viewOnce", "true");
		assertThat(messages.get(2).attachments().get(0).status()).isEqualTo(AttachmentStatus.OMITTED);
	}

	@Test
	void theCustodiansZoneReadsTheTimesAndIsRecorded() throws IOException {
		// given
		Path chat = text("chat.txt", "31/12/20, 10:00 - Anna: winter\n30/06/21, 10:00 - Anna: summer\n");
		SourceOptions amsterdam = new SourceOptions("alice", ZoneId.of("Europe/Amsterdam"), DateOrder.AUTO);

		// when
		List<ChatRecord> messages = ExportFixture.read(chat, amsterdam).messages();

		// then
		assertThat(messages).extracting(ChatRecord::sentAt)
			.containsExactly(Instant.parse("2020-12-31T09:00:00Z"), Instant.parse("2021-06-30T08:00:00Z"));
		assertThat(messages).allSatisfy((m) -> assertThat(m.zone()).isEqualTo("Europe/Amsterdam"));
		assertThat(messages.get(0).extra()).doesNotContainKey("localTime");
		assertThat(ExportFixture.read(chat, amsterdam).description().notes())
			.contains("times read in zone Europe/Amsterdam (WhatsApp exports carry no zone)");
	}

	@Test
	void localTimesThatDaylightSavingMakesMissingOrDoubleAreNoted() throws IOException {
		// given: 28 March 2021 02:30 does not exist in Amsterdam, 31 October 2021 02:30
		// exists twice
		Path chat = text("chat.txt", "28/03/21, 02:30 - Anna: gap\n31/10/21, 02:30 - Anna: overlap\n");
		SourceOptions amsterdam = new SourceOptions("alice", ZoneId.of("Europe/Amsterdam"), DateOrder.AUTO);

		// when
		List<ChatRecord> messages = ExportFixture.read(chat, amsterdam).messages();

		// then
		assertThat(messages.get(0).sentAt()).isEqualTo(Instant.parse("2021-03-28T01:30:00Z"));
		assertThat(messages.get(0).extra().get("localTime")).contains("does not exist");
		assertThat(messages.get(1).sentAt()).isEqualTo(Instant.parse("2021-10-31T00:30:00Z"));
		assertThat(messages.get(1).extra().get("localTime")).contains("occurs twice");
	}

	@Test
	void localizedIosAttachmentTags() throws Exception {
		// given
		byte[] photo = { 1, 2, 3 };
		Path zip = zip("WhatsApp Chat - Ana.zip", "_chat.txt", """
				[31/12/2020, 10:00:00] Ana: \u200E<adjunto: 00000012-PHOTO-2020-12-31-10-00-00.jpg>
				[31/12/2020, 10:00:01] Ana: \u200E<Anhang: 00000012-PHOTO-2020-12-31-10-00-00.jpg>
				""", "00000012-PHOTO-2020-12-31-10-00-00.jpg", photo);

		// when
		List<ChatRecord> messages = ExportFixture.read(zip, UTC).messages();

		// then
		assertThat(messages).allSatisfy((m) -> {
			assertThat(m.attachments().get(0).status()).isEqualTo(AttachmentStatus.PRESENT);
			assertThat(m.attachments().get(0).sha256()).isEqualTo(Sha256.hex(photo));
			assertThat(m.body()).isEmpty();
		});
	}

	@Test
	void identitiesAreStableAcrossALaterExportAndIdenticalMessagesAreToldApart() throws IOException {
		// given
		String first = "31/12/20, 10:00 - Anna: ok\n31/12/20, 10:00 - Anna: ok\n";
		Path earlier = text("WhatsApp Chat with Anna.txt", first);
		Path laterDir = Files.createDirectories(this.dir.resolve("later"));
		Path later = laterDir.resolve("WhatsApp Chat with Anna.txt");
		Files.writeString(later, first + "31/12/20, 10:05 - Bob: new\n");

		// when
		List<String> before = ExportFixture.read(earlier, UTC).chatRecords().stream().map(MessageIdentity::of).toList();
		List<ChatRecord> afterRecords = ExportFixture.read(later, UTC).chatRecords();
		List<String> after = afterRecords.stream().map(MessageIdentity::of).toList();
		String otherCustodian = MessageIdentity
			.of(ExportFixture.read(earlier, new SourceOptions("bob", ZoneOffset.UTC, DateOrder.AUTO))
				.chatRecords()
				.get(0));

		// then
		assertThat(afterRecords).extracting(ChatRecord::occurrence).containsExactly(0, 1, 0);
		assertThat(before).doesNotHaveDuplicates();
		assertThat(after).startsWith(before.toArray(String[]::new)).hasSize(3);
		assertThat(otherCustodian).isNotEqualTo(before.get(0));
		assertThat(afterRecords.get(0).rawSha256()).isEqualTo(Sha256.hex("31/12/20, 10:00 - Anna: ok".getBytes()));
	}

	@Test
	void dateOrderCanBeGivenAndAmbiguityIsReported() throws IOException {
		// given: every field <= 12, one date only: nothing tells the order
		Path chat = text("chat.txt", "01/02/20, 10:00 - Anna: a\n01/02/20, 10:05 - Anna: b\n");

		// when
		ExportFixture inferred = ExportFixture.read(chat, UTC);
		ExportFixture given = ExportFixture.read(chat, new SourceOptions("", ZoneOffset.UTC, DateOrder.MONTH_FIRST));

		// then
		assertThat(inferred.description().dateOrder()).isEqualTo(DateOrder.DAY_FIRST);
		assertThat(inferred.description().notes().get(0)).startsWith("date order ambiguous");
		assertThat(inferred.messages().get(0).sentAt()).isEqualTo(Instant.parse("2020-02-01T10:00:00Z"));
		assertThat(given.description().notes().get(0)).isEqualTo("date order given: month-first");
		assertThat(given.messages().get(0).sentAt()).isEqualTo(Instant.parse("2020-01-02T10:00:00Z"));
	}

	@Test
	void dateOrderFollowsTheDirectionOfTimeWhenNoFieldDecides() throws IOException {
		// given: month-first runs 2 Jan, 1 Feb, 1 Mar; day-first would run 1 Feb, 2 Jan,
		// 3 Jan
		Path chat = text("chat.txt", "01/02/20, 10:00 - A: a\n02/01/20, 10:00 - A: b\n03/01/20, 10:00 - A: c\n");

		// when
		ExportFixture export = ExportFixture.read(chat, UTC);

		// then
		assertThat(export.description().notes().get(0)).contains("run backwards");
		assertThat(export.description().dateOrder()).as(export.description().notes().get(0))
			.isEqualTo(DateOrder.MONTH_FIRST);
	}

	@Test
	void linesBeforeTheFirstHeaderAreQuarantinedWithTheirBytes() throws IOException {
		// given
		Path chat = text("chat.txt", "garbage\r\n\r\n31/12/20, 10:00 - Anna: hi\r\nmore\r\n");

		// when
		ExportFixture export = ExportFixture.read(chat, UTC);

		// then
		assertThat(export.quarantined()).extracting((q) -> q.origin().line(), (q) -> new String(q.raw()))
			.containsExactly(tuple(1L, "garbage"), tuple(2L, ""));
		assertThat(export.quarantined().get(0).reason()).contains("no WhatsApp message header before this line");
		assertThat(export.messages().get(0).body()).isEqualTo("hi\nmore");
		assertThat(export.messages().get(0).origin().line()).isEqualTo(3);
		assertThat(export.linesAccountedFor()).isEqualTo(4);
	}

	@Test
	void invalidUtf8IsRepairedInTheTextAndKeptRawInExtra() throws IOException {
		// given
		byte[] bytes = "31/12/20, 10:00 - Anna: caf\u00e9 \u0000 ok\n".getBytes(StandardCharsets.UTF_8);
		bytes[bytes.length - 6] = (byte) 0xC3;
		Path chat = this.dir.resolve("chat.txt");
		Files.write(chat, bytes);

		// when
		ChatRecord message = ExportFixture.read(chat, UTC).messages().get(0);

		// then
		assertThat(message.extra()).containsEntry("invalidUtf8", "true");
		assertThat(Base64.getDecoder().decode(message.extra().get("rawBase64")))
			.isEqualTo(java.util.Arrays.copyOf(bytes, bytes.length - 1));
		assertThat(message.body()).startsWith("café\uFFFD").endsWith(" ok");
	}

	@Test
	void giganticLinesAreQuarantinedTruncatedWithTheirFullLength() throws IOException {
		// given
		Path chat = this.dir.resolve("chat.txt");
		try (OutputStream out = Files.newOutputStream(chat)) {
			out.write("31/12/20, 10:00 - Anna: start\n".getBytes(StandardCharsets.UTF_8));
			out.write(new byte[3 * 1024 * 1024 + 5]);
			out.write("\nafter the flood\n31/12/20, 10:01 - Bob: next\n".getBytes(StandardCharsets.UTF_8));
		}

		// when
		ExportFixture export = ExportFixture.read(chat, UTC);

		// then
		assertThat(export.messages()).extracting(ChatRecord::body).containsExactly("start", "next");
		assertThat(export.messages().get(0).extra()).containsKey("truncated");
		List<QuarantinedRecord> quarantined = export.quarantined();
		assertThat(quarantined).extracting((q) -> q.origin().line(), QuarantinedRecord::rawLength)
			.containsExactly(tuple(2L, 3L * 1024 * 1024 + 5), tuple(3L, 15L));
		assertThat(quarantined.get(0).raw()).hasSize(ExportLines.LINE_CAP);
		assertThat(quarantined.get(1).reason()).contains("continuation of the message at line 1");
		assertThat(export.linesAccountedFor()).isEqualTo(4);
	}

	@Test
	void aHeaderLineOverTheCapIsQuarantinedWithTheRestOfItsMessage() throws IOException {
		// given
		Path chat = this.dir.resolve("chat.txt");
		try (OutputStream out = Files.newOutputStream(chat)) {
			out.write("31/12/20, 10:00 - Anna: ".getBytes(StandardCharsets.UTF_8));
			out.write(new byte[ExportLines.LINE_CAP + 10]);
			out.write("\ncontinued\n31/12/20, 10:01 - Bob: next".getBytes(StandardCharsets.UTF_8));
		}

		// when
		ExportFixture export = ExportFixture.read(chat, UTC);

		// then
		assertThat(export.quarantined()).extracting((q) -> q.origin().line()).containsExactly(1L, 2L);
		assertThat(export.quarantined().get(0).reason()).contains("over the limit");
		assertThat(export.quarantined().get(0).rawLength()).isEqualTo(24 + ExportLines.LINE_CAP + 10);
		assertThat(export.messages()).extracting(ChatRecord::body).containsExactly("next");
		assertThat(export.linesAccountedFor()).isEqualTo(3);
	}

	@Test
	void aFileThatIsNotWhatsAppIsQuarantinedLineByLine() throws IOException {
		// given
		Path notes = text("notes.txt", "Dear team,\nthe meeting is at 10:00.\n");

		// when
		ExportFixture export = ExportFixture.read(notes, UTC);

		// then
		assertThat(new WhatsAppExportSource().accepts(notes)).isFalse();
		assertThat(export.chatRecords()).isEmpty();
		assertThat(export.quarantined()).hasSize(2);
		assertThat(export.description().notes())
			.contains("no WhatsApp message header found: every line is quarantined");
	}

	private Path text(String name, String content) throws IOException {
		Path file = this.dir.resolve(name);
		Files.writeString(file, content, StandardCharsets.UTF_8);
		return file;
	}

	private Path zip(String zipName, String chatName, String chat, Object... media) throws IOException {
		Path zip = this.dir.resolve(zipName);
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
			out.putNextEntry(new ZipEntry(chatName));
			out.write(chat.getBytes(StandardCharsets.UTF_8));
			for (int i = 0; i < media.length; i += 2) {
				out.putNextEntry(new ZipEntry((String) media[i]));
				out.write((byte[]) media[i + 1]);
			}
		}
		return zip;
	}

}
