package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import io.chatvault.message.SystemEventType;

/**
 * WhatsApp's notices as data: the media markers, deletion notices, call notices,
 * encryption and security-code notices and system-line phrases that WhatsApp writes into
 * an export, one catalogue per locale and platform in
 * {@code src/main/resources/whatsapp/notices/<locale>-<platform>.properties} (their
 * sources are in SOURCES.md beside them). This class only loads and looks them up; no
 * wording is written in code.
 *
 * <p>
 * An export does not say its locale, so every lookup searches all catalogues and returns
 * which one matched. Texts are compared without bidi marks, with no-break spaces as
 * spaces, case-insensitively and without a final period.
 */
final class NoticeCatalogue {

	/** What a notice means. */
	enum Kind {

		/** Android: the whole message is {@code <Media omitted>}. */
		MEDIA_OMITTED("media.omitted"),

		/** Android: {@code <View once voice message omitted>}. */
		MEDIA_OMITTED_VIEW_ONCE("media.omitted.viewonce"),

		/** Android: {@code NAME (file attached)}, the suffix. */
		FILE_ATTACHED("file.attached"),

		/** iOS: {@code <attached: NAME>}, the opening of the tag. */
		ATTACHED("attached"),

		/** iOS: media left out of the export, after an optional document name. */
		OMITTED_IMAGE("omitted.image"), OMITTED_VIDEO("omitted.video"), OMITTED_AUDIO("omitted.audio"),
		OMITTED_STICKER("omitted.sticker"), OMITTED_GIF("omitted.gif"), OMITTED_DOCUMENT("omitted.document"),
		OMITTED_CONTACT("omitted.contact"), OMITTED_VIEW_ONCE("omitted.viewonce"),

		/** Someone else deleted the message. */
		DELETED("deleted"),

		/** The custodian deleted the message. */
		DELETED_YOU("deleted.you"),

		/** An admin deleted the message: the start of the notice. */
		DELETED_ADMIN("deleted.admin"),

		/** The marker at the end of an edited message. */
		EDITED("edited"),

		CALL_MISSED_VOICE("call.missed.voice"), CALL_MISSED_VIDEO("call.missed.video"),

		ENCRYPTION("encryption"),

		/** A template: {@code {name}} stands for the contact. */
		SECURITY_CODE("security.code");

		final String key;

		Kind(String key) {
			this.key = key;
		}

		boolean omitted() {
			return name().startsWith("OMITTED_") || this == MEDIA_OMITTED || this == MEDIA_OMITTED_VIEW_ONCE;
		}

		boolean call() {
			return this == CALL_MISSED_VOICE || this == CALL_MISSED_VIDEO;
		}

	}

	/**
	 * A notice found in a text.
	 *
	 * @param kind what it means
	 * @param catalogue the catalogues that have the wording, {@code <locale>-<platform>},
	 * comma-separated
	 * @param wording the catalogue's wording
	 * @param before for suffix notices, the text before the notice (an iOS document's
	 * name and page count), else empty
	 */
	record Match(Kind kind, String catalogue, String wording, String before) {

	}

	/** The order in which system-line phrases are tried: the first that matches wins. */
	private static final SystemEventType[] SYSTEM_ORDER = { SystemEventType.ENCRYPTION_NOTICE,
			SystemEventType.SECURITY_CODE_CHANGED, SystemEventType.CREATED, SystemEventType.TOPIC_CHANGED,
			SystemEventType.ICON_CHANGED, SystemEventType.RENAMED, SystemEventType.JOINED,
			SystemEventType.NUMBER_CHANGED, SystemEventType.ADMIN_CHANGED, SystemEventType.SETTINGS_CHANGED,
			SystemEventType.CALL, SystemEventType.PINNED, SystemEventType.ADDED, SystemEventType.REMOVED,
			SystemEventType.LEFT };

	/**
	 * Encryption notices are matched on their first characters (Android adds "Tap to
	 * learn more.").
	 */
	private static final int ENCRYPTION_PREFIX = 40;

	private static final String ROOT = "whatsapp/notices/";

	private static final NoticeCatalogue INSTANCE = load();

	private final List<String> catalogues;

	/** Whole-text notices by normalized wording. */
	private final Map<String, Match> whole = new HashMap<>();

	/**
	 * Suffix notices (iOS omitted media) by the last word of their normalized wording.
	 */
	private final Map<String, List<Match>> suffixesByLastWord = new HashMap<>();

	private final List<Match> attachedTags = new ArrayList<>();

	private final List<Match> fileAttached = new ArrayList<>();

	private final List<Match> edited = new ArrayList<>();

	private final List<Match> deletedByAdmin = new ArrayList<>();

	private final List<Match> encryption = new ArrayList<>();

	/** Security-code templates: normalized text before and after {name}. */
	private final List<String[]> securityCode = new ArrayList<>();

	private final List<Match> securityCodeMatches = new ArrayList<>();

	private final Map<SystemEventType, List<String>> systemNeedles = new EnumMap<>(SystemEventType.class);

	private final Map<String, Map<String, List<String>>> entries = new TreeMap<>();

	private NoticeCatalogue(List<String> catalogues) {
		this.catalogues = catalogues;
	}

	static NoticeCatalogue get() {
		return INSTANCE;
	}

	/** The catalogues, {@code <locale>-<platform>}. */
	List<String> catalogues() {
		return this.catalogues;
	}

	/** A catalogue's wordings of one key ({@code omitted.image}), as written. */
	List<String> wordings(String catalogue, String key) {
		return this.entries.getOrDefault(catalogue, Map.of()).getOrDefault(key, List.of());
	}

	/** The keys a catalogue has wordings for. */
	Set<String> keys(String catalogue) {
		return this.entries.getOrDefault(catalogue, Map.of()).keySet();
	}

	/**
	 * A notice that is the whole text: omitted media (Android), deletion and call
	 * notices.
	 */
	Optional<Match> whole(String text) {
		return wholeNormalized(normalize(text));
	}

	/** {@link #whole(String)} of a text already {@linkplain #normalize normalized}. */
	Optional<Match> wholeNormalized(String key) {
		return Optional.ofNullable(this.whole.get(key));
	}

	/** iOS omitted media at the end of the text ("a.pdf • 3 pages ‎document omitted"). */
	Optional<Match> omittedSuffix(String text) {
		return omittedSuffix(text, normalize(text));
	}

	/**
	 * {@link #omittedSuffix(String)} with the text's {@linkplain #normalize normal form}.
	 */
	Optional<Match> omittedSuffix(String text, String key) {
		int space = key.lastIndexOf(' ');
		List<Match> candidates = this.suffixesByLastWord.get(key.substring(space + 1));
		if (candidates == null) {
			return Optional.empty();
		}
		for (Match candidate : candidates) {
			String suffix = normalize(candidate.wording());
			if (key.endsWith(suffix)
					&& (key.length() == suffix.length() || key.charAt(key.length() - suffix.length() - 1) == ' ')) {
				// The suffix was matched on the normalized text: cut the original at the
				// same distance from its end, past any bidi marks.
				String before = cutBefore(Texts.trimIgnorable(text), suffix.length());
				return Optional.of(new Match(candidate.kind(), candidate.catalogue(), candidate.wording(), before));
			}
		}
		return Optional.empty();
	}

	/**
	 * The opening of iOS attachment tags, as written without the space after the colon
	 * ({@code <attached:}).
	 */
	List<Match> attachedTags() {
		return this.attachedTags;
	}

	/** Android {@code (file attached)} suffixes, normalized. */
	List<Match> fileAttached() {
		return this.fileAttached;
	}

	/** Edited markers, normalized. */
	List<Match> edited() {
		return this.edited;
	}

	/**
	 * A notice that an admin deleted the message ("This message was deleted by admin").
	 */
	Optional<Match> deletedByAdmin(String key) {
		for (Match match : this.deletedByAdmin) {
			if (key.startsWith(match.wording())) {
				return Optional.of(match);
			}
		}
		return Optional.empty();
	}

	/**
	 * An encryption, security-code or call notice, as iOS writes it attributed to a
	 * contact or the chat ("Elon Musk: ‎Messages and calls are end-to-end encrypted…")
	 * and Android as a line of its own.
	 */
	Optional<Match> notice(String text) {
		String key = normalize(text);
		Match call = this.whole.get(key);
		if (call != null && call.kind().call()) {
			return Optional.of(call);
		}
		for (Match match : this.encryption) {
			if (key.startsWith(match.wording())) {
				return Optional.of(match);
			}
		}
		for (int i = 0; i < this.securityCode.size(); i++) {
			String[] template = this.securityCode.get(i);
			String before = template[0];
			String after = template[1];
			if (!key.startsWith(before)) {
				continue;
			}
			int at = after.isEmpty() ? -1 : key.indexOf(after, before.length() + 1);
			if ((after.isEmpty() && key.length() > before.length()) || at > before.length()) {
				return Optional.of(this.securityCodeMatches.get(i));
			}
		}
		return Optional.empty();
	}

	/**
	 * The type of a system line from the catalogues' phrases;
	 * {@link SystemEventType#OTHER} when none matches.
	 */
	SystemEventType classify(String text) {
		Optional<Match> notice = notice(text);
		if (notice.isPresent()) {
			return switch (notice.get().kind()) {
				case ENCRYPTION -> SystemEventType.ENCRYPTION_NOTICE;
				case SECURITY_CODE -> SystemEventType.SECURITY_CODE_CHANGED;
				default -> SystemEventType.CALL;
			};
		}
		String key = normalize(text);
		for (SystemEventType type : SYSTEM_ORDER) {
			for (String needle : this.systemNeedles.getOrDefault(type, List.of())) {
				if (key.contains(needle)) {
					return type;
				}
			}
		}
		return SystemEventType.OTHER;
	}

	/**
	 * Comparable form of a notice: without bidi marks, no-break spaces as spaces,
	 * trimmed, lower case, without a final period.
	 */
	static String normalize(String text) {
		String s = Texts.stripBidi(text);
		if (s.indexOf('\u00A0') >= 0 || s.indexOf('\u202F') >= 0) {
			s = s.replace('\u00A0', ' ').replace('\u202F', ' ');
		}
		s = s.strip().toLowerCase(Locale.ROOT);
		while (!s.isEmpty() && (s.charAt(s.length() - 1) == '.' || s.charAt(s.length() - 1) == '。')) {
			s = s.substring(0, s.length() - 1).stripTrailing();
		}
		return s;
	}

	/**
	 * The text before the last {@code suffixLength} visible characters of {@code text}.
	 */
	private static String cutBefore(String text, int suffixLength) {
		int end = text.length();
		int visible = 0;
		// Drop a final period first, as normalize() did.
		while (end > 0 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == '。')) {
			end--;
		}
		while (end > 0 && visible < suffixLength) {
			if (!Texts.isIgnorable(text.charAt(end - 1))) {
				visible++;
			}
			end--;
		}
		return Texts.trimIgnorable(text.substring(0, Math.max(end, 0)));
	}

	private static NoticeCatalogue load() {
		Properties index = read(ROOT + "catalogue.properties");
		List<String> names = List.of(index.getProperty("catalogues").split(","));
		NoticeCatalogue catalogue = new NoticeCatalogue(names);
		for (String name : names) {
			catalogue.add(name, read(ROOT + name + ".properties"));
		}
		return catalogue;
	}

	private void add(String name, Properties properties) {
		Map<String, List<String>> byKey = new TreeMap<>();
		for (String property : new java.util.TreeSet<>(properties.stringPropertyNames())) {
			int dot = property.lastIndexOf('.');
			String key = property.substring(0, dot);
			byKey.computeIfAbsent(key, (k) -> new ArrayList<>()).add(properties.getProperty(property));
		}
		this.entries.put(name, byKey);
		for (Map.Entry<String, List<String>> entry : byKey.entrySet()) {
			String key = entry.getKey();
			for (String wording : entry.getValue()) {
				addWording(name, key, wording);
			}
		}
	}

	private void addWording(String name, String key, String wording) {
		if (key.startsWith("system.")) {
			SystemEventType type = SystemEventType.valueOf(key.substring(7));
			List<String> needles = this.systemNeedles.computeIfAbsent(type, (t) -> new ArrayList<>());
			String needle = wording.toLowerCase(Locale.ROOT);
			if (!needles.contains(needle)) {
				needles.add(needle);
			}
			return;
		}
		Kind kind = kind(key);
		String normalized = normalize(wording);
		switch (kind) {
			case MEDIA_OMITTED, MEDIA_OMITTED_VIEW_ONCE, DELETED, DELETED_YOU, CALL_MISSED_VOICE, CALL_MISSED_VIDEO -> {
				Match known = this.whole.get(normalized);
				if (known == null) {
					this.whole.put(normalized, new Match(kind, name, wording, ""));
				}
				else if (known.kind() == kind) {
					this.whole.put(normalized, also(known, name));
				}
			}
			case ATTACHED -> merge(this.attachedTags, new Match(kind, name, Texts.stripBidi(wording).strip(), ""));
			case FILE_ATTACHED -> merge(this.fileAttached, new Match(kind, name, normalized, ""));
			case EDITED -> merge(this.edited, new Match(kind, name, normalized, ""));
			case DELETED_ADMIN -> merge(this.deletedByAdmin, new Match(kind, name, normalized, ""));
			case ENCRYPTION -> merge(this.encryption, new Match(kind, name,
					normalized.substring(0, Math.min(normalized.length(), ENCRYPTION_PREFIX)), ""));
			case SECURITY_CODE -> {
				int at = normalized.indexOf("{name}");
				if (at < 0) {
					throw new IllegalStateException(name + ": security.code without {name}: " + wording);
				}
				String before = normalized.substring(0, at);
				String after = normalized.substring(at + 6);
				int sentence = firstSentenceEnd(after);
				String[] template = { before, after.substring(0, sentence).strip() };
				for (int i = 0; i < this.securityCode.size(); i++) {
					if (java.util.Arrays.equals(this.securityCode.get(i), template)) {
						this.securityCodeMatches.set(i, also(this.securityCodeMatches.get(i), name));
						return;
					}
				}
				this.securityCode.add(template);
				this.securityCodeMatches.add(new Match(kind, name, wording, ""));
			}
			default -> {
				String lastWord = normalized.substring(normalized.lastIndexOf(' ') + 1);
				List<Match> candidates = this.suffixesByLastWord.computeIfAbsent(lastWord, (w) -> new ArrayList<>());
				merge(candidates, new Match(kind, name, wording, ""));
				candidates
					.sort(java.util.Comparator.comparingInt((Match m) -> normalize(m.wording()).length()).reversed());
			}
		}
	}

	/**
	 * Adds a wording to a list, or, when the list has it already, names the catalogue as
	 * one more that has it.
	 */
	private static void merge(List<Match> matches, Match match) {
		String wording = normalize(match.wording());
		for (int i = 0; i < matches.size(); i++) {
			Match known = matches.get(i);
			if (known.kind() == match.kind() && normalize(known.wording()).equals(wording)) {
				matches.set(i, also(known, match.catalogue()));
				return;
			}
		}
		matches.add(match);
	}

	private static Match also(Match known, String catalogue) {
		if (List.of(known.catalogue().split(",")).contains(catalogue)) {
			return known;
		}
		return new Match(known.kind(), known.catalogue() + "," + catalogue, known.wording(), known.before());
	}

	private static int firstSentenceEnd(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '.' || c == '。') {
				return i;
			}
		}
		return text.length();
	}

	private static Kind kind(String key) {
		for (Kind kind : Kind.values()) {
			if (kind.key.equals(key)) {
				return kind;
			}
		}
		throw new IllegalStateException("unknown notice key " + key);
	}

	private static Properties read(String resource) {
		Properties properties = new Properties();
		try (InputStream in = NoticeCatalogue.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("missing resource " + resource);
			}
			properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties;
	}

	/** Every distinct normalized wording of a kind, for tests and documentation. */
	Set<String> all(Kind kind) {
		Set<String> all = new LinkedHashSet<>();
		for (Map<String, List<String>> byKey : this.entries.values()) {
			for (String wording : byKey.getOrDefault(kind.key, List.of())) {
				all.add(normalize(wording));
			}
		}
		return all;
	}

}
