package io.chatvault.source.whatsapp;

import java.util.Locale;
import java.util.Optional;

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
 * attributes to a contact, call notices, deletion placeholders, the "edited" marker,
 * attachments (present, referenced or omitted, with or without a caption), polls,
 * locations, contact cards and view-once media. The wordings of every locale are looked
 * up in the {@link NoticeCatalogue}. The cheap tests come first (last character, length),
 * because this runs for every message.
 */
final class BodyInterpreter {

	private static final int MAX_NOTICE_LENGTH = 120;

	private static final NoticeCatalogue NOTICES = NoticeCatalogue.get();

	private final ExportInput input;

	/** The custodian, whom "You" in a system line means; empty when unknown. */
	private final String custodian;

	BodyInterpreter(ExportInput input, String custodian) {
		this.input = input;
		this.custodian = (custodian != null) ? custodian : "";
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
			Participant subject = (actorAndSubject[1] != null) ? participant(record, actorAndSubject[1]) : null;
			record.kind(RecordKind.SYSTEM_EVENT).body(clean).event(new SystemEvent(type, subject, clean));
			if (actorAndSubject[0] != null) {
				record.extra("actor", you(record, actorAndSubject[0]));
			}
			if (type == SystemEventType.CALL) {
				NOTICES.notice(clean).ifPresent((call) -> noted(record, call));
			}
			return clean;
		}
		if (Texts.startsWithMark(text) && text.length() < 4 * MAX_NOTICE_LENGTH) {
			String clean = Texts.trimIgnorable(text);
			Optional<NoticeCatalogue.Match> notice = NOTICES.notice(clean);
			if (notice.isPresent()) {
				SystemEventType type = type(notice.get());
				// iOS heads the encryption notice with the chat's name, which is no
				// person
				// of the chat: it is kept as attributedTo only.
				Participant by = (type == SystemEventType.ENCRYPTION_NOTICE) ? null : author;
				if (by != null) {
					record.author(by);
				}
				record.kind(RecordKind.SYSTEM_EVENT)
					.body(clean)
					.event(new SystemEvent(type, by, clean))
					.extra("attributedTo", author.displayName());
				noted(record, notice.get());
				return clean;
			}
		}
		record.author(author);
		// The notice form of a short text, computed once: most messages are short.
		String key = (text.length() <= MAX_NOTICE_LENGTH + 2) ? NoticeCatalogue.normalize(text) : null;
		if (key != null) {
			// Android writes call notices as a message of the person ("Dmitry S: Missed
			// voice call"); they are events on both platforms.
			Optional<NoticeCatalogue.Match> call = NOTICES.wholeNormalized(key).filter((m) -> m.kind().call());
			if (call.isPresent()) {
				String clean = Texts.trimIgnorable(text);
				record.kind(RecordKind.SYSTEM_EVENT)
					.body(clean)
					.event(new SystemEvent(SystemEventType.CALL, author, clean));
				noted(record, call.get());
				return clean;
			}
		}
		record.kind(RecordKind.MESSAGE);
		String body = stripLeadingMarks(text);
		String unedited = body;
		body = edited(record, body);
		if (notice(record, author, body, (body == unedited) ? key : null)) {
			return "";
		}
		String caption = omittedWithCaption(record, body);
		if (caption != null) {
			record.body(caption);
			return caption;
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

	private static SystemEventType type(NoticeCatalogue.Match notice) {
		return switch (notice.kind()) {
			case ENCRYPTION -> SystemEventType.ENCRYPTION_NOTICE;
			case SECURITY_CODE -> SystemEventType.SECURITY_CODE_CHANGED;
			default -> SystemEventType.CALL;
		};
	}

	/** Records which catalogue wording a notice matched. */
	private static void noted(ChatRecord.Builder record, NoticeCatalogue.Match notice) {
		record.extra("notice", notice.kind().key).extra("noticeCatalogue", notice.catalogue());
	}

	/** "You" in a system line is the custodian, when known. */
	private String you(ChatRecord.Builder record, String name) {
		if (!this.custodian.isEmpty() && name.equalsIgnoreCase("you")) {
			record.extra("you", this.custodian);
			return this.custodian;
		}
		return name;
	}

	private Participant participant(ChatRecord.Builder record, String name) {
		String resolved = you(record, name);
		return (resolved.equals(name)) ? Participant.named(name) : new Participant(resolved, resolved);
	}

	private static String edited(ChatRecord.Builder record, String body) {
		String trimmed = Texts.trimIgnorable(body);
		if (trimmed.isEmpty() || trimmed.charAt(trimmed.length() - 1) != '>') {
			return body;
		}
		String lower = trimmed.toLowerCase(Locale.ROOT);
		for (NoticeCatalogue.Match marker : NOTICES.edited()) {
			if (lower.endsWith(marker.wording())) {
				record.edited(true);
				return Texts.trimIgnorable(trimmed.substring(0, trimmed.length() - marker.wording().length()));
			}
		}
		return body;
	}

	/**
	 * Deletion placeholders and omitted media, which replace the whole text.
	 * @param normalized the body's {@linkplain NoticeCatalogue#normalize notice form}, or
	 * null to compute it
	 */
	private static boolean notice(ChatRecord.Builder record, Participant author, String body, String normalized) {
		if (body.isEmpty() || body.length() > MAX_NOTICE_LENGTH) {
			return false;
		}
		String clean = Texts.trimIgnorable(body);
		if (clean.isEmpty()) {
			return false;
		}
		String key = (normalized != null) ? normalized : NoticeCatalogue.normalize(clean);
		Optional<NoticeCatalogue.Match> whole = NOTICES.wholeNormalized(key);
		if (whole.isPresent()) {
			NoticeCatalogue.Match match = whole.get();
			switch (match.kind()) {
				case DELETED, DELETED_YOU -> {
					record.body("").deletion(new Deletion(null, author, clean));
					noted(record, match);
					return true;
				}
				case MEDIA_OMITTED, MEDIA_OMITTED_VIEW_ONCE -> {
					omitted(record, clean, match);
					return true;
				}
				default -> {
					return false;
				}
			}
		}
		Optional<NoticeCatalogue.Match> admin = NOTICES.deletedByAdmin(key);
		if (admin.isPresent()) {
			record.body("").deletion(new Deletion(null, author, clean));
			noted(record, admin.get());
			return true;
		}
		Optional<NoticeCatalogue.Match> suffix = NOTICES.omittedSuffix(clean, key);
		if (suffix.isEmpty()) {
			return false;
		}
		String name = suffix.get().before();
		int bullet = name.indexOf(" • ");
		if (bullet > 0) {
			record.extra("documentInfo", Texts.trimIgnorable(name.substring(bullet + 3)));
			name = name.substring(0, bullet);
		}
		omitted(record, name.isEmpty() ? clean : name, suffix.get());
		return true;
	}

	/**
	 * Android writes the caption of omitted media on the lines after {@code <Media
	 * omitted>}: the media is omitted, the caption is the body.
	 * @return the caption, or null when the message is not omitted media with a caption
	 */
	private static String omittedWithCaption(ChatRecord.Builder record, String body) {
		int lineEnd = body.indexOf('\n');
		if (lineEnd <= 0 || lineEnd > MAX_NOTICE_LENGTH || body.charAt(0) != '<') {
			return null;
		}
		String first = Texts.trimIgnorable(body.substring(0, lineEnd));
		Optional<NoticeCatalogue.Match> omitted = NOTICES.whole(first)
			.filter((m) -> m.kind() == NoticeCatalogue.Kind.MEDIA_OMITTED);
		if (omitted.isEmpty()) {
			return null;
		}
		omitted(record, first, omitted.get());
		record.extra("caption", "true");
		return body.substring(lineEnd + 1);
	}

	private static void omitted(ChatRecord.Builder record, String name, NoticeCatalogue.Match notice) {
		record.body("")
			.attachment(new Attachment(name, MediaTypes.of(name), -1, null, AttachmentStatus.OMITTED, null, null));
		noted(record, notice);
		switch (notice.kind()) {
			case MEDIA_OMITTED_VIEW_ONCE, OMITTED_VIEW_ONCE -> record.extra("viewOnce", "true");
			case OMITTED_CONTACT -> record.extra("contactCard", name);
			default -> {
			}
		}
	}

	private String attachments(ChatRecord.Builder record, String body) {
		int open = body.indexOf('<');
		if (open >= 0) {
			for (NoticeCatalogue.Match attachedTag : NOTICES.attachedTags()) {
				String tag = attachedTag.wording();
				int at = body.indexOf(tag, open);
				int close = (at >= 0) ? body.indexOf('>', at) : -1;
				if (close > at) {
					String name = body.substring(at + tag.length(), close).strip();
					attach(record, name);
					noted(record, attachedTag);
					return Texts.trimIgnorable(body.substring(0, at) + body.substring(close + 1));
				}
			}
		}
		int lineEnd = body.indexOf('\n');
		String firstLine = (lineEnd >= 0) ? body.substring(0, lineEnd) : body;
		String trimmed = Texts.trimIgnorable(firstLine);
		if (!trimmed.isEmpty() && trimmed.charAt(trimmed.length() - 1) == ')') {
			String lower = trimmed.toLowerCase(Locale.ROOT);
			for (NoticeCatalogue.Match suffix : NOTICES.fileAttached()) {
				if (lower.endsWith(suffix.wording())) {
					String name = Texts
						.trimIgnorable(trimmed.substring(0, trimmed.length() - suffix.wording().length()));
					attach(record, name);
					noted(record, suffix);
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
