package io.chatvault.source.whatsapp;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.chatvault.message.SystemEventType;

/**
 * The wording of WhatsApp's system lines ("Loris created group …", "You were added",
 * "Messages and calls are end-to-end encrypted…") in English and the main European
 * locales, mapped to the model's {@link SystemEventType}. A system line that matches no
 * phrase is still kept, as {@link SystemEventType#OTHER} with its wording.
 */
final class SystemLines {

	private static final Set<SystemEventType> GROUP_EVENTS = EnumSet.of(SystemEventType.CREATED, SystemEventType.ADDED,
			SystemEventType.REMOVED, SystemEventType.LEFT, SystemEventType.JOINED, SystemEventType.RENAMED,
			SystemEventType.ICON_CHANGED, SystemEventType.TOPIC_CHANGED, SystemEventType.ADMIN_CHANGED);

	/** Notices that iOS attributes to a contact ("Dr. Feather: ‎Messages and calls…"). */
	private static final Set<SystemEventType> ATTRIBUTED_NOTICES = EnumSet.of(SystemEventType.ENCRYPTION_NOTICE,
			SystemEventType.SECURITY_CODE_CHANGED, SystemEventType.CALL, SystemEventType.NUMBER_CHANGED,
			SystemEventType.SETTINGS_CHANGED);

	private static final Phrase[] PHRASES = {
			new Phrase(SystemEventType.ENCRYPTION_NOTICE, "end-to-end encrypted", "end-to-end encryption",
					"de extremo a extremo", "ende-zu-ende", "de bout en bout", "crittografia end-to-end",
					"crittografati end-to-end", "de ponta a ponta", "end-to-end versleuteld",
					"end-to-end-versleuteling"),
			new Phrase(SystemEventType.SECURITY_CODE_CHANGED, "security code", "código de seguridad",
					"sicherheitsnummer", "code de sécurité", "codice di sicurezza", "código de segurança",
					"beveiligingscode"),
			new Phrase(SystemEventType.CREATED, " created group", "created this group", "creó el grupo",
					"creó este grupo", "hat die gruppe", "a créé le groupe", "ha creato il gruppo", "criou o grupo",
					"heeft groep", "heeft de groep"),
			new Phrase(SystemEventType.TOPIC_CHANGED, "group description", "descripción del grupo",
					"gruppenbeschreibung", "description du groupe", "descrizione del gruppo", "descrição do grupo",
					"groepsbeschrijving"),
			new Phrase(SystemEventType.ICON_CHANGED, "group's icon", "group icon", "group photo", "icono del grupo",
					"gruppenbild", "photo du groupe", "immagine del gruppo", "imagem do grupo", "groepsafbeelding"),
			new Phrase(SystemEventType.RENAMED, "changed the subject", "changed the group name", "cambió el asunto",
					"cambió el nombre", "betreff", "a modifié le sujet", "ha cambiato l'oggetto", "mudou o assunto",
					"mudou o nome", "onderwerp"),
			new Phrase(SystemEventType.JOINED, "joined using", "se unió", "beigetreten", "a rejoint", "si è unito",
					"entrou usando", "lid geworden"),
			new Phrase(SystemEventType.NUMBER_CHANGED, "phone number", "changed to +", "changed their number",
					"su número", "telefonnummer", "de numéro", "numero di telefono", "seu número", "nummer gewijzigd"),
			new Phrase(SystemEventType.ADMIN_CHANGED, "an admin", "administrador", "administrator", "administrateur",
					"amministratore", "beheerder"),
			new Phrase(SystemEventType.SETTINGS_CHANGED, "disappearing messages", "changed the settings",
					"group settings", "group's settings", "mensajes temporales", "selbstlöschende",
					"messages éphémères", "messaggi effimeri", "mensagens temporárias", "verdwijnende berichten"),
			new Phrase(SystemEventType.CALL, "voice call", "video call", "llamada", "anruf", "appel", "chiamata",
					"chamada", "gesprek", "videogesprek"),
			new Phrase(SystemEventType.PINNED, "pinned a message", "fijó un mensaje", "angeheftet", "a épinglé",
					"ha fissato", "fixou uma mensagem", "heeft een bericht vastgezet"),
			new Phrase(SystemEventType.ADDED, " added ", "added you", "you were added", "añadió", "te añadió",
					"hinzugefügt", "a ajouté", "ha aggiunto", "adicionou", "toegevoegd"),
			new Phrase(SystemEventType.REMOVED, " removed ", "eliminó a", "entfernt", "a retiré", "ha rimosso",
					"removeu", "verwijderd"),
			new Phrase(SystemEventType.LEFT, "salió", "verlassen", "est parti", "a quitté", "è uscito", "saiu",
					"verlaten") };

	private SystemLines() {
	}

	/**
	 * The type of a system line without an author. Never empty: unknown wording is
	 * {@link SystemEventType#OTHER}.
	 */
	static SystemEventType classify(String text) {
		String lower = text.toLowerCase(Locale.ROOT);
		for (Phrase phrase : PHRASES) {
			if (phrase.matches(lower)) {
				return phrase.type;
			}
		}
		if (lower.endsWith(" left") || lower.equals("left")) {
			return SystemEventType.LEFT;
		}
		return SystemEventType.OTHER;
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

	private record Phrase(SystemEventType type, String... needles) {

		boolean matches(String lower) {
			for (String needle : this.needles) {
				if (lower.contains(needle)) {
					return true;
				}
			}
			return false;
		}

	}

}
