package io.chatvault.source.whatsapp;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.chatvault.message.SystemEventType;

/**
 * WhatsApp's system lines ("Loris created group …", "You were added", "Messages and calls
 * are end-to-end encrypted…") mapped to the model's {@link SystemEventType}; the wordings
 * are data, in the {@link NoticeCatalogue}. A system line that matches no phrase is still
 * kept, as {@link SystemEventType#OTHER} with its wording. Who did what is read from the
 * English grammar only.
 */
final class SystemLines {

	private static final Set<SystemEventType> GROUP_EVENTS = EnumSet.of(SystemEventType.CREATED, SystemEventType.ADDED,
			SystemEventType.REMOVED, SystemEventType.LEFT, SystemEventType.JOINED, SystemEventType.RENAMED,
			SystemEventType.ICON_CHANGED, SystemEventType.TOPIC_CHANGED, SystemEventType.ADMIN_CHANGED);

	/** Notices that iOS attributes to a contact ("Dr. Feather: ‎Messages and calls…"). */
	private static final Set<SystemEventType> ATTRIBUTED_NOTICES = EnumSet.of(SystemEventType.ENCRYPTION_NOTICE,
			SystemEventType.SECURITY_CODE_CHANGED, SystemEventType.CALL, SystemEventType.NUMBER_CHANGED,
			SystemEventType.SETTINGS_CHANGED);

	private SystemLines() {
	}

	/**
	 * The type of a system line without an author. Never empty: unknown wording is
	 * {@link SystemEventType#OTHER}.
	 */
	static SystemEventType classify(String text) {
		SystemEventType type = NoticeCatalogue.get().classify(text);
		if (type == SystemEventType.OTHER) {
			// English puts the verb last: "Bob left"
			String lower = text.toLowerCase(Locale.ROOT);
			if (lower.endsWith(" left") || lower.equals("left")) {
				return SystemEventType.LEFT;
			}
		}
		return type;
	}

	/**
	 * The notice type when an authored line is in fact a notice that iOS attributes to a
	 * contact. Only checked for text that starts with a LEFT-TO-RIGHT MARK, as iOS writes
	 * them, so that a person writing about "end-to-end encryption" stays a message.
	 */
	static Optional<SystemEventType> attributedNotice(String text) {
		SystemEventType type = classify(text);
		return ATTRIBUTED_NOTICES.contains(type) ? Optional.of(type) : Optional.empty();
	}

	/**
	 * Whether the line is a notice that iOS heads with the chat's or a contact's name,
	 * not a message of that person: text starting with a LEFT-TO-RIGHT MARK that the
	 * catalogue knows as an encryption, security-code or call notice.
	 */
	static boolean isAttributedNotice(String text) {
		return Texts.startsWithMark(text) && NoticeCatalogue.get().notice(Texts.trimIgnorable(text)).isPresent();
	}

	/** Whether a system line shows that the chat is a group. */
	static boolean isGroupEvent(SystemEventType type, String text) {
		return GROUP_EVENTS.contains(type) || text.toLowerCase(Locale.ROOT).contains("group");
	}

	/**
	 * Who did it and to whom, for the English wordings: "Anna added Bob" is actor Anna,
	 * subject Bob; "Bob left" is subject Bob. Index 0 is the actor, 1 the subject; either
	 * may be null.
	 */
	static String[] actorAndSubject(SystemEventType type, String text) {
		return switch (type) {
			case ADDED -> around(text, " added ", "You were added");
			case REMOVED -> around(text, " removed ", null);
			case LEFT ->
				text.endsWith(" left") ? new String[] { null, text.substring(0, text.length() - 5) } : new String[2];
			case JOINED -> before(text, " joined using", true);
			case CREATED -> before(text, " created group", false);
			case RENAMED, ICON_CHANGED, TOPIC_CHANGED, SETTINGS_CHANGED -> before(text, " changed ", false);
			default -> new String[2];
		};
	}

	private static String[] around(String text, String verb, String passive) {
		if (passive != null && text.equals(passive)) {
			return new String[] { null, "You" };
		}
		int at = text.indexOf(verb);
		if (at <= 0) {
			return new String[2];
		}
		return new String[] { text.substring(0, at), text.substring(at + verb.length()).strip() };
	}

	private static String[] before(String text, String verb, boolean subject) {
		int at = text.indexOf(verb);
		if (at <= 0) {
			return new String[2];
		}
		String name = text.substring(0, at);
		return subject ? new String[] { null, name } : new String[] { name, null };
	}

	/** The quoted subject of a "created group" line. */
	static Optional<String> createdGroupSubject(String text) {
		int open = -1;
		char close = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '“' || c == '„' || c == '«') {
				open = i;
				close = switch (c) {
					case '“' -> '”';
					case '„' -> '“';
					case '«' -> '»';
					default -> '"';
				};
				break;
			}
		}
		if (open < 0) {
			return Optional.empty();
		}
		int end = text.lastIndexOf(close);
		if (end <= open) {
			end = text.length();
		}
		String subject = text.substring(open + 1, end).strip();
		return subject.isEmpty() ? Optional.empty() : Optional.of(subject);
	}

}
