package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SystemEventType;
import io.chatvault.source.DateOrder;
import io.chatvault.source.SourceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every wording of every notice catalogue (locale and platform), written into an export
 * the way that platform writes it, is read with its meaning: omitted media, attachments,
 * deletions, calls, encryption and security-code notices.
 */
class NoticeCatalogueTests {

	private static final NoticeCatalogue CATALOGUE = NoticeCatalogue.get();

	private static final String LRM = "\u200E";

	/**
	 * The languages of WhatsApp's 25 largest markets (India, Brazil, Indonesia, the US,
	 * Mexico, Russia, the Philippines, Colombia, Pakistan, Germany, Turkey, Italy,
	 * Argentina, Spain, Egypt, Nigeria, Saudi Arabia, Malaysia, the UK, South Africa,
	 * France, Bangladesh, Peru, Kenya, Thailand), with Ukrainian, Vietnamese, Japanese
	 * and Czech from the issue.
	 */
	private static final List<String> MARKET_LANGUAGES = List.of("en", "hi", "bn", "mr", "gu", "pt-BR", "id", "es",
			"ru", "ur", "de", "tr", "it", "ar", "ms", "fr", "th", "uk", "vi", "ja", "cs");

	@TempDir
	Path dir;

	static Stream<String> catalogues() {
		return CATALOGUE.catalogues().stream();
	}

	@Test
	void theLanguagesOfTheLargestMarketsHaveACatalogueForBothPlatforms() {
		for (String language : MARKET_LANGUAGES) {
			assertThat(CATALOGUE.catalogues()).as(language).contains(language + "-android", language + "-ios");
			assertThat(CATALOGUE.keys(language + "-ios")).as(language + "-ios")
				.contains("omitted.image", "omitted.video", "omitted.audio", "omitted.contact", "deleted",
						"deleted.you", "encryption", "security.code");
			assertThat(CATALOGUE.keys(language + "-android")).as(language + "-android")
				.contains("media.omitted", "file.attached", "call.missed.voice", "encryption");
		}
		assertThat(CATALOGUE.catalogues()).hasSizeGreaterThanOrEqualTo(50);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("catalogues")
	void everyWordingIsReadWithItsMeaning(String catalogue) throws IOException {
		// given: one export holding every wording of the catalogue, as its platform
		// writes it
		boolean ios = catalogue.endsWith("-ios");
		List<String> lines = new ArrayList<>();
		List<Expected> expected = new ArrayList<>();
		for (String key : CATALOGUE.keys(catalogue)) {
			for (String wording : CATALOGUE.wordings(catalogue, key)) {
				Expected e = expectation(key, wording, ios);
				if (e != null) {
					lines.add(header(ios, lines.size()) + e.line);
					expected.add(e);
				}
			}
		}
		Path file = this.dir.resolve("WhatsApp Chat with Elon.txt");
		Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);

		// when
		ExportFixture export = ExportFixture.read(file,
				new SourceOptions("custodian", ZoneOffset.UTC, DateOrder.MONTH_FIRST));

		// then
		assertThat(export.quarantined()).isEmpty();
		List<ChatRecord> records = export.chatRecords();
		assertThat(records).hasSameSizeAs(expected);
		for (int i = 0; i < expected.size(); i++) {
			expected.get(i).check(records.get(i), catalogue);
		}
	}

	@Test
	void theIssuesWordingsAreRead() throws IOException {
		// given: the wordings quoted in issue 9
		Path file = write("""
				27.03.2022, 13:10 - Dmitry S: <Без медиафайлов>
				27.03.2022, 13:11 - Dmitry S: <Média vynechány>
				27.03.2022, 13:12 - Dmitry S: Alex.vcf (файл добавлен)
				27.03.2022, 13:13 - Dmitry S: TR.vcf (soubor byl přiložen)
				27.03.2022, 13:14 - Dmitry S: Пропущенный аудиозвонок
				27.03.2022, 13:15 - Dmitry S: Missed voice call
				""");

		// when
		ExportFixture export = ExportFixture.read(file, new SourceOptions("", ZoneOffset.UTC, DateOrder.DAY_FIRST));

		// then
		List<ChatRecord> records = export.chatRecords();
		assertThat(records.subList(0, 2)).allSatisfy((r) -> {
			assertThat(r.kind()).isEqualTo(RecordKind.MESSAGE);
			assertThat(r.attachments()).singleElement()
				.satisfies((a) -> assertThat(a.status()).isEqualTo(AttachmentStatus.OMITTED));
		});
		assertThat(records.get(2).attachments()).singleElement()
			.satisfies((a) -> assertThat(a.name()).isEqualTo("Alex.vcf"));
		assertThat(records.get(3).attachments()).singleElement()
			.satisfies((a) -> assertThat(a.name()).isEqualTo("TR.vcf"));
		assertThat(records.subList(4, 6)).allSatisfy((r) -> {
			assertThat(r.kind()).isEqualTo(RecordKind.SYSTEM_EVENT);
			assertThat(r.event().type()).isEqualTo(SystemEventType.CALL);
			assertThat(r.author().displayName()).isEqualTo("Dmitry S");
		});

		// and the iOS wordings
		for (String wording : List.of("Kontaktkarte ausgelassen", "Fiche contact manquante", "sticker omis",
				"document manquant", "Scheda contatto omessa", "GIF esclusa", "imagem não revelada",
				"vídeo não revelado", "ficheiro de áudio não revelado", "Contacto não revelado", "sticker não revelado",
				"documento não revelado", "GIF não revelada")) {
			assertThat(CATALOGUE.omittedSuffix(LRM + wording)).as(wording).isPresent();
		}
		for (String language : List.of("cs", "hi", "id", "ja", "ru", "th", "uk", "ar")) {
			for (String key : List.of("encryption", "security.code")) {
				List<String> wordings = CATALOGUE.wordings(language + "-ios", key);
				assertThat(wordings).as(language + " " + key).isNotEmpty();
				for (String wording : wordings) {
					String text = wording.replace("{name}", "Elon");
					assertThat(CATALOGUE.notice(text)).as(text).isPresent();
				}
			}
		}
	}

	@Test
	void encryptionNoticeHeadedByTheChatNameMakesNoParticipant() throws IOException {
		// given: a group export; iOS heads the notice with the group's name
		Path file = write(
				"""
						[3/18/22, 14:56:00] Desk Bangkok: ‎ข้อความและการโทรได้รับการเข้ารหัสจากต้นทางถึงปลายทาง ผู้ที่ไม่ได้อยู่ในแชทนี้จะไม่สามารถอ่านหรือฟังได้แม้แต่ WhatsApp เอง
						[3/18/22, 14:57:00] Somchai: hello
						[3/18/22, 14:58:00] Anong: hi
						""");

		// when
		ExportFixture export = ExportFixture.read(file, SourceOptions.defaults());

		// then
		ChatRecord notice = export.chatRecords().get(0);
		assertThat(notice.event().type()).isEqualTo(SystemEventType.ENCRYPTION_NOTICE);
		assertThat(notice.author()).isNull();
		assertThat(notice.extra()).containsEntry("attributedTo", "Desk Bangkok")
			.containsEntry("noticeCatalogue", "th-ios");
		assertThat(notice.conversation().participants()).extracting((p) -> p.displayName())
			.containsExactly("Somchai", "Anong");
	}

	@Test
	void androidMediaOmittedWithACaptionIsOmittedMediaWithTheCaption() throws IOException {
		// given
		Path file = write("""
				18/03/2022, 15:10 - Dmitry S: <Media omitted>
				Caption
				18/03/2022, 15:11 - Dmitry S: <Media weggelaten>
				Image with caption
				second line
				""");

		// when
		ExportFixture export = ExportFixture.read(file, SourceOptions.defaults());

		// then
		List<ChatRecord> messages = export.messages();
		assertThat(messages).extracting(ChatRecord::body).containsExactly("Caption", "Image with caption\nsecond line");
		assertThat(messages).allSatisfy((m) -> {
			assertThat(m.attachments()).singleElement()
				.satisfies((a) -> assertThat(a.status()).isEqualTo(AttachmentStatus.OMITTED));
			assertThat(m.extra()).containsEntry("caption", "true");
		});
	}

	@Test
	void callNoticesAreEventsOnBothPlatforms() throws IOException {
		// given: Android writes the notice as a message, iOS with a mark
		Path android = write("07/01/2023, 23:32 - Dmitry S: Пропущенный аудиозвонок\n");
		Path ios = this.dir.resolve("_chat.txt");
		Files.writeString(ios, "[1/7/23, 23:32:30] Dmitry S: " + LRM + "Пропущенный аудиозвонок\n",
				StandardCharsets.UTF_8);

		// when
		List<ChatRecord> records = Stream.of(android, ios)
			.map((f) -> ExportFixture.read(f, SourceOptions.defaults()).chatRecords().get(0))
			.toList();

		// then
		assertThat(records).allSatisfy((r) -> {
			assertThat(r.kind()).isEqualTo(RecordKind.SYSTEM_EVENT);
			assertThat(r.event().type()).isEqualTo(SystemEventType.CALL);
			assertThat(r.author().displayName()).isEqualTo("Dmitry S");
			assertThat(r.extra()).containsEntry("notice", "call.missed.voice");
		});
	}

	@Test
	void youInSystemLinesIsTheCustodianWhenKnown() throws IOException {
		// given
		Path file = write("""
				11/01/2023, 16:11 - Dmitry S added you
				11/01/2023, 16:14 - You changed the subject from "Group Chat" to "Group Chat XXX"
				11/01/2023, 16:21 - Dmitry S removed +7 999 999-99-99
				""");

		// when
		ExportFixture known = ExportFixture.read(file,
				new SourceOptions("anna@bank.example", ZoneOffset.UTC, DateOrder.DAY_FIRST));
		ExportFixture unknown = ExportFixture.read(file, new SourceOptions("", ZoneOffset.UTC, DateOrder.DAY_FIRST));

		// then
		List<ChatRecord> events = known.events();
		assertThat(events.get(0).event().subject().id()).isEqualTo("anna@bank.example");
		assertThat(events.get(0).extra()).containsEntry("actor", "Dmitry S").containsEntry("you", "anna@bank.example");
		assertThat(events.get(1).extra()).containsEntry("actor", "anna@bank.example");
		assertThat(events.get(2).extra()).doesNotContainKey("you");
		assertThat(unknown.events().get(0).event().subject().displayName()).isEqualTo("you");
	}

	private Path write(String text) throws IOException {
		Path file = this.dir.resolve("WhatsApp Chat with Dmitry S.txt");
		Files.writeString(file, text, StandardCharsets.UTF_8);
		return file;
	}

	private static String header(boolean ios, int n) {
		int minute = n % 60;
		int hour = 10 + n / 60;
		return ios ? String.format("[3/27/22, %02d:%02d:00] ", hour, minute)
				: String.format("3/27/22, %02d:%02d - ", hour, minute);
	}

	/** The line that carries a wording, and what it must read as; null for no test. */
	private static Expected expectation(String key, String wording, boolean ios) {
		String text = Texts.stripBidi(wording);
		return switch (key) {
			case "omitted.image", "omitted.video", "omitted.audio", "omitted.sticker", "omitted.gif", "omitted.contact",
					"omitted.viewonce" ->
				new Expected("Dmitry S: " + LRM + text, RecordKind.MESSAGE, null, AttachmentStatus.OMITTED, null, key);
			case "omitted.document" -> new Expected("Dmitry S: Some file.txt " + LRM + text, RecordKind.MESSAGE, null,
					AttachmentStatus.OMITTED, "Some file.txt", key);
			case "media.omitted", "media.omitted.viewonce" ->
				new Expected("Dmitry S: " + text, RecordKind.MESSAGE, null, AttachmentStatus.OMITTED, null, key);
			case "attached" -> new Expected("Dmitry S: " + LRM + text + "00000012-PHOTO-2022-03-27.jpg>",
					RecordKind.MESSAGE, null, AttachmentStatus.REFERENCE, "00000012-PHOTO-2022-03-27.jpg", key);
			case "file.attached" -> new Expected("Dmitry S: " + LRM + "IMG-20220327-WA0001.jpg " + text,
					RecordKind.MESSAGE, null, AttachmentStatus.REFERENCE, "IMG-20220327-WA0001.jpg", key);
			case "deleted", "deleted.you" ->
				new Expected("Dmitry S: " + (ios ? LRM : "") + text, RecordKind.MESSAGE, null, null, null, null);
			case "call.missed.voice", "call.missed.video" -> new Expected("Dmitry S: " + (ios ? LRM : "") + text,
					RecordKind.SYSTEM_EVENT, SystemEventType.CALL, null, null, key);
			case "encryption" -> ios
					? new Expected("Elon: " + LRM + text, RecordKind.SYSTEM_EVENT, SystemEventType.ENCRYPTION_NOTICE,
							null, null, key)
					: new Expected(text, RecordKind.SYSTEM_EVENT, SystemEventType.ENCRYPTION_NOTICE, null, null, null);
			case "security.code" -> new Expected("Elon: " + LRM + LRM + text.replace("{name}", "Elon"),
					RecordKind.SYSTEM_EVENT, SystemEventType.SECURITY_CODE_CHANGED, null, null, key);
			default -> null;
		};
	}

	private record Expected(String line, RecordKind kind, SystemEventType event, AttachmentStatus attachment,
			String attachmentName, String notice) {

		void check(ChatRecord record, String catalogue) {
			String what = catalogue + ": " + this.line;
			assertThat(record.kind()).as(what).isEqualTo(this.kind);
			if (this.event != null) {
				assertThat(record.event().type()).as(what).isEqualTo(this.event);
			}
			if (this.attachment != null) {
				assertThat(record.attachments()).as(what).singleElement().satisfies((a) -> {
					assertThat(a.status()).isEqualTo(this.attachment);
					if (this.attachmentName != null) {
						assertThat(a.name()).isEqualTo(this.attachmentName);
					}
				});
				assertThat(record.body()).as(what).isEmpty();
			}
			if (this.kind == RecordKind.MESSAGE && this.attachment == null) {
				assertThat(record.deleted()).as(what + " is a deletion").isTrue();
			}
			if (this.notice != null) {
				assertThat(record.extra()).as(what).containsEntry("notice", this.notice);
				assertThat(record.extra().get("noticeCatalogue").split(",")).as(what).contains(catalogue);
			}
		}

	}

}
