package io.chatvault.source.whatsapp;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Deletion;
import io.chatvault.message.Participant;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SystemEvent;
import io.chatvault.message.SystemEventType;

/**
 * Reads what a WhatsApp export line means beyond its text: system lines, notices that iOS
 * attributes to a contact, deletion placeholders, the "edited" marker, attachments
 * (present, referenced or omitted, in the localized wordings of en, es, de, fr, it, pt
 * and nl), polls, locations, contact cards and view-once media. The cheap tests come
 * first (last character, length), because this runs for every message.
 */
final class BodyInterpreter {

	private static final int MAX_NOTICE_LENGTH = 120;

	/** As WhatsApp writes them (German capitalizes nouns mid-sentence). */
	private static final Set<String> DELETION_PHRASES = Set.of("This message was deleted", "You deleted this message",
			"Se eliminó este mensaje", "Eliminaste este mensaje", "Este mensaje fue eliminado",
			"Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht", "Ce message a été supprimé",
			"Vous avez supprimé ce message", "Questo messaggio è stato eliminato", "Hai eliminato questo messaggio",
			"Esta mensagem foi apagada", "Você apagou esta mensagem", "Mensagem apagada", "Dit bericht is verwijderd",
			"Je hebt dit bericht verwijderd", "U hebt dit bericht verwijderd");

	/**
	 * The deletion phrases as written, in lowercase, and with or without a final period,
	 * so that a message is looked up without lowercasing it first.
	 */
	private static final Set<String> DELETION_NOTICES = DELETION_PHRASES.stream()
		.flatMap((phrase) -> Stream.of(phrase, phrase.toLowerCase(Locale.ROOT)))
		.flatMap((phrase) -> Stream.of(phrase, phrase + "."))
		.collect(Collectors.toUnmodifiableSet());

	private static final Set<String> MEDIA_OMITTED = Set.of("<media omitted>", "<multimedia omitido>",
			"<medien ausgeschlossen>", "<médias omis>", "<media omessi>", "<mídia oculta>", "<arquivo de mídia oculto>",
			"<media weggelaten>", "<view once voice message omitted>", "<view once message omitted>");

	/**
	 * iOS writes "image omitted", possibly after a document's name ("a.pdf • 3 pages
	 * ‎document omitted").
	 */
	private static final String[] IOS_OMITTED_SUFFIXES = { "image omitted", "video omitted", "audio omitted",
			"sticker omitted", "gif omitted", "document omitted", "contact card omitted", "imagen omitida",
			"video omitido", "audio omitido", "sticker omitido", "gif omitido", "documento omitido",
			"tarjeta de contacto omitida", "bild weggelassen", "video weggelassen", "audio weggelassen",
			"sticker weggelassen", "gif weggelassen", "dokument weggelassen", "kontaktkarte weggelassen",
			"image absente", "vidéo absente", "audio omis", "autocollant omis", "gif retiré", "document omis",
			"immagine omessa", "video omesso", "audio omesso", "sticker omesso", "gif omessa", "documento omesso",
			"imagem ocultada", "vídeo omitido", "áudio ocultado", "figurinha omitida", "documento ocultado",
			"afbeelding weggelaten", "video weggelaten", "audio weggelaten", "sticker weggelaten", "gif weggelaten",
			"document weggelaten", "view once photo omitted", "view once video omitted" };

	/** The last words of {@link #IOS_OMITTED_SUFFIXES}: a cheap test before the loop. */
	private static final Set<String> OMITTED_LAST_WORDS = Stream.of(IOS_OMITTED_SUFFIXES)
		.map((suffix) -> suffix.substring(suffix.lastIndexOf(' ') + 1))
		.collect(Collectors.toUnmodifiableSet());

	private static final String[] EDITED_MARKERS = { "<this message was edited>", "<se editó este mensaje.>",
			"<se editó este mensaje>", "<diese nachricht wurde bearbeitet>", "<ce message a été modifié>",
			"<questo messaggio è stato modificato>", "<esta mensagem foi editada>", "<mensagem editada>",
			"<dit bericht is bewerkt>" };

	private static final String[] FILE_ATTACHED = { "(file attached)", "(archivo adjunto)", "(datei angehängt)",
			"(fichier joint)", "(file allegato)", "(arquivo anexado)", "(bestand bijgevoegd)" };

	/** iOS "&lt;attached: NAME&gt;" in en, es, de, fr, it, pt and nl. */
	private static final String[] ATTACHED_TAGS = { "<attached: ", "<adjunto: ", "<Anhang: ", "<pièce jointe : ",
			"<pièce jointe: ", "<allegato: ", "<anexo: ", "<bijlage: " };

	private final ExportInput input;

	BodyInterpreter(ExportInput input) {
		this.input = input;
	}

	/**
	 * Fills kind, author, body, event, attachments, deletion and extra of a record.
	 * @return the body it set
	 */
	String interpret(ChatRecord.Builder record, Participant author, String text) {
		if (author == null) {
			String clean = Texts.trimIgnorable(text);
			SystemEventType type = SystemLines.classify(clean);
			String[] actorAndSubject = SystemLines.actorAndSubject(type, clean);
			Participant subject = (actorAndSubject[1] != null) ? Participant.named(actorAndSubject[1]) : null;
			record.kind(RecordKind.SYSTEM_EVENT).body(clean).event(new SystemEvent(type, subject, clean));
			if (actorAndSubject[0] != null) {
				record.extra("actor", actorAndSubject[0]);
			}
			return clean;
		}
		record.author(author);
		if (Texts.startsWithMark(text) && text.length() < 4 * MAX_NOTICE_LENGTH) {
			String clean = Texts.trimIgnorable(text);
			Optional<SystemEventType> notice = SystemLines.attributedNotice(clean);
			if (notice.isPresent()) {
				record.kind(RecordKind.SYSTEM_EVENT)
					.body(clean)
					.event(new SystemEvent(notice.get(), author, clean))
					.extra("attributedTo", author.displayName());
				return clean;
			}
		}
		record.kind(RecordKind.MESSAGE);
		String body = stripLeadingMarks(text);
		body = edited(record, body);
		if (notice(record, author, body)) {
			return "";
		}
		body = attachments(record, body);
		record.body(body);
		if (body.startsWith("POLL:")) {
			poll(record, body);
		}
		else if (!body.isEmpty() && (body.charAt(0) == 'l' || body.charAt(0) == 'L')
				&& body.regionMatches(true, 0, "location: ", 0, 10)) {
			record.extra("location", body.substring(10).strip());
		}
		return body;
	}

	private static String edited(ChatRecord.Builder record, String body) {
		String trimmed = Texts.trimIgnorable(body);
		if (trimmed.isEmpty() || trimmed.charAt(trimmed.length() - 1) != '>') {
			return body;
		}
		String lower = trimmed.toLowerCase(Locale.ROOT);
		for (String marker : EDITED_MARKERS) {
			if (lower.endsWith(marker)) {
				record.edited(true);
				return Texts.trimIgnorable(trimmed.substring(0, trimmed.length() - marker.length()));
			}
		}
		return body;
	}

	/** Deletion placeholders and omitted media, which replace the whole text. */
	private static boolean notice(ChatRecord.Builder record, Participant author, String body) {
		if (body.isEmpty() || body.length() > MAX_NOTICE_LENGTH) {
			return false;
		}
		String clean = Texts.trimIgnorable(body);
		if (clean.isEmpty()) {
			return false;
		}
		if (DELETION_NOTICES.contains(clean) || clean.startsWith("This message was deleted by")) {
			record.body("").deletion(new Deletion(null, author, clean));
			return true;
		}
		if (clean.charAt(0) == '<' && clean.charAt(clean.length() - 1) == '>') {
			String key = clean.toLowerCase(Locale.ROOT);
			if (MEDIA_OMITTED.contains(key)) {
				omitted(record, clean, key);
				return true;
			}
			return false;
		}
		String lastWord = clean.substring(clean.lastIndexOf(' ') + 1);
		if (!OMITTED_LAST_WORDS.contains(lastWord)) {
			return false;
		}
		String key = clean.toLowerCase(Locale.ROOT);
		for (String suffix : IOS_OMITTED_SUFFIXES) {
			if (key.endsWith(suffix)) {
				String name = Texts.trimIgnorable(clean.substring(0, clean.length() - suffix.length()));
				int bullet = name.indexOf(" • ");
				if (bullet > 0) {
					record.extra("documentInfo", name.substring(bullet + 3));
					name = name.substring(0, bullet);
				}
				omitted(record, name.isEmpty() ? clean : name, key);
				return true;
			}
		}
		return false;
	}

	private static void omitted(ChatRecord.Builder record, String name, String key) {
		record.body("")
			.attachment(new Attachment(name, MediaTypes.of(name), -1, null, AttachmentStatus.OMITTED, null, null));
		if (key.contains("view once")) {
			record.extra("viewOnce", "true");
		}
		if (key.contains("contact card") || key.contains("contacto") || key.contains("kontaktkarte")) {
			record.extra("contactCard", name);
		}
	}

	private String attachments(ChatRecord.Builder record, String body) {
		int open = body.indexOf('<');
		if (open >= 0) {
			for (String attachedTag : ATTACHED_TAGS) {
				int tag = body.indexOf(attachedTag, open);
				int close = (tag >= 0) ? body.indexOf('>', tag) : -1;
				if (close > tag) {
					String name = body.substring(tag + attachedTag.length(), close).strip();
					attach(record, name);
					return Texts.trimIgnorable(body.substring(0, tag) + body.substring(close + 1));
				}
			}
		}
		int lineEnd = body.indexOf('\n');
		String firstLine = (lineEnd >= 0) ? body.substring(0, lineEnd) : body;
		String trimmed = Texts.trimIgnorable(firstLine);
		if (!trimmed.isEmpty() && trimmed.charAt(trimmed.length() - 1) == ')') {
			String lower = trimmed.toLowerCase(Locale.ROOT);
			for (String suffix : FILE_ATTACHED) {
				if (lower.endsWith(suffix)) {
					String name = Texts.trimIgnorable(trimmed.substring(0, trimmed.length() - suffix.length()));
					attach(record, name);
					return (lineEnd >= 0) ? body.substring(lineEnd + 1) : "";
				}
			}
		}
		return body;
	}

	private void attach(ChatRecord.Builder record, String name) {
		record.attachment(this.input.media(name));
		if (name.toLowerCase(Locale.ROOT).endsWith(".vcf")) {
			record.extra("contactCard", name);
		}
	}

	private static void poll(ChatRecord.Builder record, String body) {
		String[] lines = body.split("\n");
		StringBuilder options = new StringBuilder();
		String question = (lines.length > 1) ? lines[1].strip() : "";
		for (String line : lines) {
			String l = line.strip();
			if (l.startsWith("OPTION:")) {
				if (options.length() > 0) {
					options.append('\n');
				}
				options.append(l.substring(7).strip());
			}
		}
		record.extra("poll.question", question);
		record.extra("poll.options", options.toString());
	}

	private static String stripLeadingMarks(String text) {
		int i = 0;
		while (i < text.length() && Texts.isIgnorable(text.charAt(i))) {
			i++;
		}
		return (i == 0) ? text : text.substring(i);
	}

}
