package io.chatvault.vault;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Function;

import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.Conversation;
import io.chatvault.message.MessageIdentity;
import io.chatvault.message.RecordKind;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourcePlatform;
import io.chatvault.message.SystemEventType;

/**
 * The integrity check's lean reading of a canonical record ({@link CanonicalRecords}):
 * one pass over its bytes, in the canonical form only (keys known and sorted, no
 * whitespace, integers and instants as the encoder writes them, valid UTF-8, the
 * encoder's escapes), that checks what {@link CanonicalRecords#decode} would check (every
 * field of the right type, enums known, instants valid, the participants, attachments and
 * events their constructors accept, the conversation state named) and recomputes the
 * record's id ({@link MessageIdentity#of}) from the bytes of the fields it derives from,
 * without a JSON tree, a {@link io.chatvault.message.ChatRecord} or an
 * {@link java.time.Instant}.
 *
 * <p>
 * It only ever vouches: {@link #id} returns the id of a record that the full decoder
 * would decode, with its mandatory metadata present (conversation, and author for a
 * message), to a record of that id, and {@code null} for anything else: anything not in
 * the canonical form, a record lacking its metadata, a conversation state that cannot be
 * found. The caller then decodes that record fully ({@link RecordReader#checkRecord}),
 * which gives the verdict and says what is wrong; {@code RecordCheckTests} holds the two
 * to the same ids and verdicts. Restore, export and search read with the full decoder.
 * One instance per thread.
 */
final class RecordCheck {

	private static final byte[][] TOP = keys("attachments", "author", "body", "conversation", "deletion", "edited",
			"edits", "event", "extra", "formattedBody", "kind", "occurrence", "origin", "platformMessageId", "rawFile",
			"rawSha256", "reactions", "replyToId", "sentAt", "source", "targetMessageId", "threadId", "v", "zone");

	private static final int ATTACHMENTS = 0, AUTHOR = 1, BODY = 2, CONVERSATION = 3, DELETION = 4, EDITED = 5,
			EDITS = 6, EVENT = 7, EXTRA = 8, FORMATTED_BODY = 9, KIND = 10, OCCURRENCE = 11, ORIGIN = 12,
			PLATFORM_MESSAGE_ID = 13, RAW_FILE = 14, RAW_SHA256 = 15, REACTIONS = 16, REPLY_TO_ID = 17, SENT_AT = 18,
			SOURCE = 19, TARGET_MESSAGE_ID = 20, THREAD_ID = 21, V = 22, ZONE = 23;

	private static final byte[][] CONVERSATION_KEYS = keys("id", "state");

	private static final byte[][] PARTICIPANT_KEYS = keys("id", "name");

	private static final byte[][] ORIGIN_KEYS = keys("entry", "file", "length", "line", "offset");

	private static final byte[][] ATTACHMENT_KEYS = keys("mediaType", "name", "reference", "sha256", "size", "status");

	private static final byte[][] EDIT_KEYS = keys("editedAt", "editedBy", "previousBody");

	private static final byte[][] DELETION_KEYS = keys("deletedAt", "deletedBy", "notice");

	private static final byte[][] REACTION_KEYS = keys("at", "by", "emoji");

	private static final byte[][] EVENT_KEYS = keys("detail", "subject", "type");

	private static final byte[][] SOURCES = names(SourcePlatform.values());

	private static final byte[][] KINDS = names(RecordKind.values());

	private static final byte[][] STATUSES = names(AttachmentStatus.values());

	private static final byte[][] EVENT_TYPES = names(SystemEventType.values());

	private static final byte[] TRUE = ascii("true"), FALSE = ascii("false");

	/** The fields of the id, kept as slices of the record or of {@link #scratch}. */
	private static final int F_PLATFORM_MESSAGE_ID = 0, F_TARGET_MESSAGE_ID = 1, F_SENT_AT = 2, F_BODY = 3,
			F_AUTHOR = 4, F_STATE = 5, FIELDS = 6;

	/** The slots of {@link #string(int)}: values the records of a block share. */
	private static final int S_CONVERSATION_ID = 0, S_STATE = 1, S_FILE = 2, S_SOURCE = 3, S_ZONE = 4, S_SENT_AT = 5,
			S_KIND = 6, SLOTS = 7;

	/** Thrown (without a stack trace) where the bytes leave the canonical form. */
	private static final RuntimeException NOT_LEAN = new RuntimeException("not in the lean canonical form", null, false,
			false) {
	};

	/**
	 * Longer records are left to the full decoder (whose parser limits the length of a
	 * string).
	 */
	static final int MAX_LENGTH = 1 << 20;

	/** The bytes of an id (a raw SHA-256). */
	static final int ID_LENGTH = 32;

	/** Eight bytes of a record at a time, for the scan of strings. */
	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private final MessageDigest digest = Sha256.digest();

	private final Runnable attachmentElement = this::attachment;

	private final Runnable editElement = this::edit;

	private final Runnable reactionElement = this::reaction;

	private final byte[][] fieldBytes = new byte[FIELDS][];

	private final int[] fieldFrom = new int[FIELDS];

	private final int[] fieldTo = new int[FIELDS];

	/** The keys of the extras read so far (more are left to the full decoder). */
	private final byte[][] extraKeys = new byte[64][];

	private final int[] extraFrom = new int[64];

	private final int[] extraTo = new int[64];

	private final byte[] occurrenceText = new byte[12];

	private byte[] scratch = new byte[512];

	private int scratchLength;

	private byte[] preimage = new byte[1024];

	private int preimageLength;

	private byte[] b;

	private int p;

	private int end;

	private int stringFrom;

	private int stringTo;

	private boolean stringEscaped;

	private int source;

	private int kind;

	private int occurrence;

	private boolean versioned;

	/** The conversation state last looked up (the records of a block share one). */
	private byte[] lastState;

	private Function<String, Conversation> lastConversations;

	private byte[] lastConversationId;

	/** The last string read at each slot of {@link #string(int)}. */
	private final byte[][] lastStrings = new byte[SLOTS][];

	private final boolean[] lastEscaped = new boolean[SLOTS];

	/** Forgets the conversation state last looked up: a new block's lookups differ. */
	void newBlock() {
		this.lastState = null;
		this.lastConversations = null;
		Arrays.fill(this.fieldBytes, null);
	}

	/**
	 * The id of a canonical record, if this lean reading can vouch for it.
	 * @param bytes holds the record
	 * @param from where it starts
	 * @param to where it ends
	 * @param conversations the conversation of a state's hex SHA-256 (as given to
	 * {@link CanonicalRecords#decode})
	 * @return its id (the raw SHA-256 {@link MessageIdentity#of} gives in hex), or
	 * {@code null}: decode it fully
	 */
	byte[] id(byte[] bytes, int from, int to, Function<String, Conversation> conversations) {
		byte[] id = new byte[ID_LENGTH];
		return id(bytes, from, to, conversations, id, 0) ? id : null;
	}

	/**
	 * {@link #id(byte[], int, int, Function)} written where the caller keeps it (the ids
	 * of a block's records side by side in one array).
	 * @param bytes holds the record
	 * @param from where it starts
	 * @param to where it ends
	 * @param conversations the conversation of a state's hex SHA-256
	 * @param out receives the id's {@value #ID_LENGTH} bytes
	 * @param at where in {@code out}
	 * @return whether it vouches (else {@code out} is left as it was: decode it fully)
	 */
	boolean id(byte[] bytes, int from, int to, Function<String, Conversation> conversations, byte[] out, int at) {
		if (to - from > MAX_LENGTH) {
			return false;
		}
		try {
			scan(bytes, from, to);
			byte[] conversationId = conversationId(conversations);
			if (conversationId == null || conversationId.length == 0
					|| (this.kind == RecordKind.MESSAGE.ordinal() && !has(F_AUTHOR))) {
				// Lacks its metadata: the full decoder says so.
				return false;
			}
			identity(conversationId, out, at);
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
		finally {
			this.b = null;
		}
	}

	private void scan(byte[] bytes, int from, int to) {
		this.b = bytes;
		this.p = from;
		this.end = to;
		Arrays.fill(this.fieldFrom, -1);
		this.scratchLength = 0;
		if (this.scratch.length < to - from) {
			this.scratch = new byte[Math.max(to - from, 2 * this.scratch.length)];
		}
		this.source = -1;
		this.kind = RecordKind.MESSAGE.ordinal();
		this.occurrence = 0;
		this.versioned = false;
		expect('{');
		int key = -1;
		do {
			key = key(TOP, key);
			switch (key) {
				case ATTACHMENTS -> array(this.attachmentElement);
				case AUTHOR -> participant(F_AUTHOR);
				case BODY -> stringField(F_BODY);
				case CONVERSATION -> conversation();
				case DELETION -> deletion();
				case EDITED -> bool();
				case EDITS -> array(this.editElement);
				case EVENT -> event();
				case EXTRA -> extra();
				case FORMATTED_BODY, RAW_FILE, RAW_SHA256, REPLY_TO_ID, THREAD_ID -> string();
				case ZONE -> string(S_ZONE);
				case KIND -> this.kind = name(KINDS, S_KIND);
				case OCCURRENCE -> {
					long n = number();
					if (n != (int) n) {
						throw NOT_LEAN;
					}
					this.occurrence = (int) n;
				}
				case ORIGIN -> origin();
				case PLATFORM_MESSAGE_ID -> stringField(F_PLATFORM_MESSAGE_ID);
				case REACTIONS -> array(this.reactionElement);
				case SENT_AT -> {
					instant(S_SENT_AT);
					keep(F_SENT_AT);
				}
				case SOURCE -> this.source = name(SOURCES, S_SOURCE);
				case TARGET_MESSAGE_ID -> stringField(F_TARGET_MESSAGE_ID);
				case V -> this.versioned = number() == CanonicalRecords.VERSION;
				default -> throw NOT_LEAN;
			}
		}
		while (more());
		if (this.p != this.end || !this.versioned || this.source < 0 || !has(F_SENT_AT) || !has(F_STATE)) {
			throw NOT_LEAN;
		}
	}

	/**
	 * The conversation's id, from its state (looked up once for the records of a block
	 * that name the same state).
	 */
	private byte[] conversationId(Function<String, Conversation> conversations) {
		byte[] state = this.fieldBytes[F_STATE];
		int from = this.fieldFrom[F_STATE];
		int to = this.fieldTo[F_STATE];
		if (conversations == this.lastConversations && this.lastState != null
				&& Arrays.equals(state, from, to, this.lastState, 0, this.lastState.length)) {
			return this.lastConversationId;
		}
		this.lastConversations = null;
		String sha = new String(state, from, to - from, StandardCharsets.UTF_8);
		Conversation conversation = conversations.apply(sha);
		if (conversation == null) {
			return null;
		}
		this.lastState = Arrays.copyOfRange(state, from, to);
		this.lastConversationId = conversation.id().getBytes(StandardCharsets.UTF_8);
		this.lastConversations = conversations;
		return this.lastConversationId;
	}

	/**
	 * {@link MessageIdentity#of} over the fields' UTF-8 bytes: the same fields in the
	 * same order, each length-prefixed ({@link Sha256#updateField}). A change there must
	 * be made here too; {@code RecordCheckTests} compares the two.
	 */
	private void identity(byte[] conversationId, byte[] out, int at) {
		this.preimageLength = 0;
		int need = 256 + conversationId.length;
		for (int f = 0; f < FIELDS; f++) {
			if (has(f)) {
				need += this.fieldTo[f] - this.fieldFrom[f];
			}
		}
		if (this.preimage.length < need) {
			this.preimage = new byte[Math.max(need, 2 * this.preimage.length)];
		}
		field(SOURCES[this.source]);
		field(conversationId);
		field(KINDS[this.kind]);
		if (has(F_PLATFORM_MESSAGE_ID)) {
			field(ID);
			field(F_PLATFORM_MESSAGE_ID);
			field(F_TARGET_MESSAGE_ID);
			if (this.kind != RecordKind.MESSAGE.ordinal() && this.kind != RecordKind.SYSTEM_EVENT.ordinal()) {
				field(F_SENT_AT);
				field(F_BODY);
			}
		}
		else {
			field(CONTENT);
			field(F_SENT_AT);
			field(F_AUTHOR);
			field(F_BODY);
			field(F_TARGET_MESSAGE_ID);
			occurrenceField();
		}
		this.digest.update(this.preimage, 0, this.preimageLength);
		try {
			this.digest.digest(out, at, ID_LENGTH);
		}
		catch (DigestException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static final byte[] ID = ascii("id"), CONTENT = ascii("content");

	/** Whether the record has a field of the id. */
	private boolean has(int f) {
		return this.fieldFrom[f] >= 0;
	}

	/** A field of the id: absent is the empty string. */
	private void field(int f) {
		if (!has(f)) {
			field(this.preimage, 0, 0);
		}
		else {
			field(this.fieldBytes[f], this.fieldFrom[f], this.fieldTo[f]);
		}
	}

	private void field(byte[] bytes) {
		field(bytes, 0, bytes.length);
	}

	private void field(byte[] bytes, int from, int to) {
		int length = to - from;
		byte[] out = this.preimage;
		int at = this.preimageLength;
		at = digits(length, out, at);
		out[at++] = ':';
		if (length > 0) {
			System.arraycopy(bytes, from, out, at, length);
			at += length;
		}
		this.preimageLength = at;
	}

	/**
	 * The occurrence as a field of the id: its decimal digits ({@code Integer.toString}).
	 */
	private void occurrenceField() {
		int value = this.occurrence;
		byte[] text = this.occurrenceText;
		int length = 0;
		if (value < 0) {
			text[length++] = '-';
		}
		length = digits(Math.abs((long) value), text, length);
		field(text, 0, length);
	}

	/**
	 * Writes a non-negative number's decimal digits, as {@code Long.toString} does.
	 * @return where they end
	 */
	private static int digits(long value, byte[] out, int at) {
		// Most fields of an id are shorter than 100 bytes.
		if (value < 10) {
			out[at] = (byte) ('0' + value);
			return at + 1;
		}
		if (value < 100) {
			out[at] = (byte) ('0' + value / 10);
			out[at + 1] = (byte) ('0' + value % 10);
			return at + 2;
		}
		int count = 1;
		for (long rest = value / 10; rest > 0; rest /= 10) {
			count++;
		}
		long rest = value;
		for (int i = at + count - 1; i >= at; i--) {
			out[i] = (byte) ('0' + (int) (rest % 10));
			rest /= 10;
		}
		return at + count;
	}

	/**
	 * Whether eight bytes are all plain string content: printable ASCII, no quote and no
	 * backslash (the word has no byte at or above 0x80, none below 0x20, none equal to
	 * {@code "} or {@code \\}; the borrows of the subtractions can only flag bytes above
	 * one that is flagged rightly, so the answer is exact).
	 */
	static boolean plain(long word) {
		long below = (word - 0x2020202020202020L) & ~word;
		long quote = word ^ 0x2222222222222222L;
		long backslash = word ^ 0x5C5C5C5C5C5C5C5CL;
		long zeroQuote = (quote - 0x0101010101010101L) & ~quote;
		long zeroBackslash = (backslash - 0x0101010101010101L) & ~backslash;
		return ((word | below | zeroQuote | zeroBackslash) & 0x8080808080808080L) == 0;
	}

	// The parts of a record.

	private void conversation() {
		expect('{');
		int key = -1;
		do {
			key = key(CONVERSATION_KEYS, key);
			if (key == 0) {
				string(S_CONVERSATION_ID);
			}
			else {
				string(S_STATE);
				keep(F_STATE);
			}
		}
		while (more());
	}

	/** A participant: an object with a string id and maybe a string name. */
	private void participant(int field) {
		expect('{');
		int key = key(PARTICIPANT_KEYS, -1);
		if (key != 0) {
			throw NOT_LEAN;
		}
		if (field >= 0) {
			stringField(field);
		}
		else {
			string();
		}
		if (more()) {
			key(PARTICIPANT_KEYS, key);
			string();
			if (more()) {
				throw NOT_LEAN;
			}
		}
	}

	private void origin() {
		expect('{');
		int key = -1;
		boolean file = false;
		do {
			key = key(ORIGIN_KEYS, key);
			switch (key) {
				case 0 -> string();
				case 1 -> {
					string(S_FILE);
					file = true;
				}
				default -> number();
			}
		}
		while (more());
		if (!file) {
			throw NOT_LEAN;
		}
	}

	private void attachment() {
		expect('{');
		int key = -1;
		boolean named = false;
		boolean status = false;
		do {
			key = key(ATTACHMENT_KEYS, key);
			switch (key) {
				case 1 -> {
					string();
					named = true;
				}
				case 4 -> number();
				case 5 -> {
					name(STATUSES);
					status = true;
				}
				default -> string();
			}
		}
		while (more());
		if (!named || !status) {
			throw NOT_LEAN;
		}
	}

	private void edit() {
		expect('{');
		if (empty()) {
			return;
		}
		int key = -1;
		do {
			key = key(EDIT_KEYS, key);
			switch (key) {
				case 0 -> instant();
				case 1 -> participant(-1);
				default -> string();
			}
		}
		while (more());
	}

	private void deletion() {
		expect('{');
		if (empty()) {
			return;
		}
		int key = -1;
		do {
			key = key(DELETION_KEYS, key);
			switch (key) {
				case 0 -> instant();
				case 1 -> participant(-1);
				default -> string();
			}
		}
		while (more());
	}

	private void reaction() {
		expect('{');
		int key = -1;
		boolean by = false;
		boolean emoji = false;
		do {
			key = key(REACTION_KEYS, key);
			switch (key) {
				case 0 -> instant();
				case 1 -> {
					participant(-1);
					by = true;
				}
				default -> {
					string();
					emoji = true;
				}
			}
		}
		while (more());
		if (!by || !emoji) {
			throw NOT_LEAN;
		}
	}

	private void event() {
		expect('{');
		int key = -1;
		boolean type = false;
		do {
			key = key(EVENT_KEYS, key);
			switch (key) {
				case 0 -> string();
				case 1 -> participant(-1);
				default -> {
					name(EVENT_TYPES);
					type = true;
				}
			}
		}
		while (more());
		if (!type) {
			throw NOT_LEAN;
		}
	}

	/**
	 * Extras: an object of strings, no key twice (compared as the strings they are, their
	 * escapes undone: the encoder sorts them as UTF-16, not as bytes).
	 */
	private void extra() {
		expect('{');
		if (empty()) {
			return;
		}
		int keys = 0;
		do {
			string();
			if (keys == this.extraKeys.length) {
				throw NOT_LEAN;
			}
			byte[] bytes = this.b;
			int from = this.stringFrom;
			int to = this.stringTo;
			if (this.stringEscaped) {
				bytes = this.scratch;
				from = this.scratchLength;
				unescape(this.stringFrom, this.stringTo);
				to = this.scratchLength;
			}
			for (int k = 0; k < keys; k++) {
				if (Arrays.equals(this.extraKeys[k], this.extraFrom[k], this.extraTo[k], bytes, from, to)) {
					throw NOT_LEAN;
				}
			}
			this.extraKeys[keys] = bytes;
			this.extraFrom[keys] = from;
			this.extraTo[keys] = to;
			keys++;
			expect(':');
			string();
		}
		while (more());
		Arrays.fill(this.extraKeys, 0, keys, null);
	}

	private void array(Runnable element) {
		expect('[');
		if (this.p < this.end && this.b[this.p] == ']') {
			this.p++;
			return;
		}
		do {
			element.run();
		}
		while (moreElements());
	}

	// The grammar.

	private void expect(char c) {
		if (this.p >= this.end || this.b[this.p] != c) {
			throw NOT_LEAN;
		}
		this.p++;
	}

	/** After an object's member: whether another follows (else the object ends). */
	private boolean more() {
		if (this.p < this.end) {
			byte c = this.b[this.p++];
			if (c == ',') {
				return true;
			}
			if (c == '}') {
				return false;
			}
		}
		throw NOT_LEAN;
	}

	private boolean moreElements() {
		if (this.p < this.end) {
			byte c = this.b[this.p++];
			if (c == ',') {
				return true;
			}
			if (c == ']') {
				return false;
			}
		}
		throw NOT_LEAN;
	}

	/** After an object's brace: whether it is empty (and then past it). */
	private boolean empty() {
		if (this.p < this.end && this.b[this.p] == '}') {
			this.p++;
			return true;
		}
		return false;
	}

	/**
	 * A key and its colon: one of {@code keys} after the one at {@code after} (so the
	 * keys are known, sorted and none twice).
	 * @return its index in {@code keys}
	 */
	private int key(byte[][] keys, int after) {
		byte[] bytes = this.b;
		int limit = this.end;
		int at = this.p;
		if (at >= limit || bytes[at] != '"') {
			throw NOT_LEAN;
		}
		int from = at + 1;
		// Keys are plain ASCII with no quote: a key that matches one up to a quote and a
		// colon is that one, anything else (escapes, other bytes) none of them.
		for (int k = after + 1; k < keys.length; k++) {
			byte[] key = keys[k];
			int close = from + key.length;
			if (close + 1 < limit && bytes[from] == key[0] && bytes[close] == '"' && bytes[close + 1] == ':'
					&& same(bytes, from, key)) {
				this.p = close + 2;
				return k;
			}
		}
		throw NOT_LEAN;
	}

	/**
	 * Whether {@code word} is at {@code from} (which leaves room for it): a loop, not
	 * {@link Arrays#equals}, which costs more than it saves on a few bytes.
	 */
	private static boolean same(byte[] bytes, int from, byte[] word) {
		for (int i = 1; i < word.length; i++) {
			if (bytes[from + i] != word[i]) {
				return false;
			}
		}
		return true;
	}

	/** A string, kept as a field of the id. */
	private void stringField(int field) {
		string();
		keep(field);
	}

	private void keep(int field) {
		if (!this.stringEscaped) {
			this.fieldBytes[field] = this.b;
			this.fieldFrom[field] = this.stringFrom;
			this.fieldTo[field] = this.stringTo;
			return;
		}
		int from = this.scratchLength;
		unescape(this.stringFrom, this.stringTo);
		this.fieldBytes[field] = this.scratch;
		this.fieldFrom[field] = from;
		this.fieldTo[field] = this.scratchLength;
	}

	/**
	 * A string value: its content between {@link #stringFrom} and {@link #stringTo}.
	 * Valid UTF-8 only (what a JSON parser reads as such and {@link String#getBytes}
	 * writes back the same), no raw control characters, the escapes of JSON except those
	 * of surrogates (the encoder writes those only for lone surrogates, which UTF-8
	 * cannot carry).
	 */
	private void string() {
		expect('"');
		scanString();
	}

	/**
	 * {@link #string()} where the records of a block mostly repeat the last value (their
	 * conversation, state, file, source, zone): see {@link #repeats}.
	 */
	private void string(int slot) {
		if (!repeats(slot)) {
			string();
			remember(slot);
		}
	}

	/**
	 * Whether the bytes at the reading position repeat, quote to quote, the last string
	 * {@link #remember remembered} at {@code slot}; if so, they are read as that string
	 * (the same bytes, so valid as they were, and where it would have ended), without
	 * being read again.
	 */
	private boolean repeats(int slot) {
		byte[] last = this.lastStrings[slot];
		if (last == null) {
			return false;
		}
		byte[] bytes = this.b;
		int at = this.p;
		int close = at + 1 + last.length;
		if (close < this.end && bytes[at] == '"' && bytes[close] == '"'
				&& Arrays.equals(bytes, at + 1, close, last, 0, last.length)) {
			this.stringFrom = at + 1;
			this.stringTo = close;
			this.stringEscaped = this.lastEscaped[slot];
			this.p = close + 1;
			return true;
		}
		return false;
	}

	/**
	 * Remembers the string just read (and found valid for what it is read as) at
	 * {@code slot}.
	 */
	private void remember(int slot) {
		this.lastStrings[slot] = Arrays.copyOfRange(this.b, this.stringFrom, this.stringTo);
		this.lastEscaped[slot] = this.stringEscaped;
	}

	/** The content of a string after its opening quote, as {@link #string()} reads it. */
	private void scanString() {
		this.stringFrom = this.p;
		this.stringEscaped = false;
		byte[] bytes = this.b;
		int limit = this.end;
		int at = this.p;
		while (true) {
			// Eight plain bytes at a time; a word with anything else goes byte by byte.
			while (at <= limit - 8 && plain((long) LONGS.get(bytes, at))) {
				at += 8;
			}
			if (at >= limit) {
				throw NOT_LEAN;
			}
			int c = bytes[at];
			if (c >= 0x20) {
				if (c == '"') {
					break;
				}
				if (c == '\\') {
					this.stringEscaped = true;
					at = escape(at);
				}
				else {
					at++;
				}
			}
			else if (c >= 0) {
				throw NOT_LEAN;
			}
			else {
				at = utf8(at);
			}
		}
		this.stringTo = at;
		this.p = at + 1;
	}

	/** An escape at {@code at}: where it ends. */
	private int escape(int at) {
		if (at + 1 >= this.end) {
			throw NOT_LEAN;
		}
		switch (this.b[at + 1]) {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				return at + 2;
			case 'u': {
				int c = hex4(at + 2);
				if (c >= 0xD800 && c <= 0xDFFF) {
					throw NOT_LEAN;
				}
				return at + 6;
			}
			default:
				throw NOT_LEAN;
		}
	}

	private int hex4(int at) {
		if (at + 4 > this.end) {
			throw NOT_LEAN;
		}
		int value = 0;
		for (int i = at; i < at + 4; i++) {
			int c = this.b[i];
			int digit = (c >= '0' && c <= '9') ? c - '0'
					: (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
			if (digit < 0) {
				throw NOT_LEAN;
			}
			value = (value << 4) | digit;
		}
		return value;
	}

	/**
	 * A multi-byte UTF-8 sequence at {@code at} (well-formed: no overlong forms, no
	 * surrogates, nothing above U+10FFFF): where it ends.
	 */
	private int utf8(int at) {
		int c = this.b[at] & 0xFF;
		if (c >= 0xC2 && c <= 0xDF) {
			continuation(at + 1, 0x80, 0xBF);
			return at + 2;
		}
		if (c >= 0xE0 && c <= 0xEF) {
			continuation(at + 1, (c == 0xE0) ? 0xA0 : 0x80, (c == 0xED) ? 0x9F : 0xBF);
			continuation(at + 2, 0x80, 0xBF);
			return at + 3;
		}
		if (c >= 0xF0 && c <= 0xF4) {
			continuation(at + 1, (c == 0xF0) ? 0x90 : 0x80, (c == 0xF4) ? 0x8F : 0xBF);
			continuation(at + 2, 0x80, 0xBF);
			continuation(at + 3, 0x80, 0xBF);
			return at + 4;
		}
		throw NOT_LEAN;
	}

	private void continuation(int at, int low, int high) {
		if (at >= this.end) {
			throw NOT_LEAN;
		}
		int c = this.b[at] & 0xFF;
		if (c < low || c > high) {
			throw NOT_LEAN;
		}
	}

	/** Writes a string's content, its escapes undone, as UTF-8 to the scratch space. */
	private void unescape(int from, int to) {
		byte[] out = this.scratch;
		int at = this.scratchLength;
		byte[] bytes = this.b;
		int i = from;
		while (i < to) {
			// The text up to the next escape in one copy.
			int run = i;
			while (run < to && bytes[run] != '\\') {
				run++;
			}
			System.arraycopy(bytes, i, out, at, run - i);
			at += run - i;
			i = run;
			if (i == to) {
				break;
			}
			byte e = bytes[i + 1];
			i += 2;
			switch (e) {
				case 'b' -> out[at++] = 8;
				case 'f' -> out[at++] = 12;
				case 'n' -> out[at++] = '\n';
				case 'r' -> out[at++] = '\r';
				case 't' -> out[at++] = '\t';
				case 'u' -> {
					int u = hex4(i);
					i += 4;
					if (u < 0x80) {
						out[at++] = (byte) u;
					}
					else if (u < 0x800) {
						out[at++] = (byte) (0xC0 | (u >> 6));
						out[at++] = (byte) (0x80 | (u & 0x3F));
					}
					else {
						out[at++] = (byte) (0xE0 | (u >> 12));
						out[at++] = (byte) (0x80 | ((u >> 6) & 0x3F));
						out[at++] = (byte) (0x80 | (u & 0x3F));
					}
				}
				default -> out[at++] = e;
			}
		}
		this.scratchLength = at;
	}

	/** A string naming one of {@code names}: its index. */
	private int name(byte[][] names) {
		string();
		return named(names);
	}

	private int name(byte[][] names, int slot) {
		string(slot);
		return named(names);
	}

	/** The index of the name just read. */
	private int named(byte[][] names) {
		if (!this.stringEscaped) {
			int length = this.stringTo - this.stringFrom;
			for (int i = 0; i < names.length; i++) {
				if (names[i].length == length && this.b[this.stringFrom] == names[i][0]
						&& same(this.b, this.stringFrom, names[i])) {
					return i;
				}
			}
		}
		throw NOT_LEAN;
	}

	/**
	 * An integer as the encoder writes a long: no sign on 0, no leading zeros, no more
	 * than 18 digits.
	 */
	private long number() {
		byte[] bytes = this.b;
		int limit = this.end;
		int at = this.p;
		boolean negative = false;
		if (at < limit && bytes[at] == '-') {
			negative = true;
			at++;
		}
		int first = at;
		long value = 0;
		while (at < limit && bytes[at] >= '0' && bytes[at] <= '9') {
			value = value * 10 + (bytes[at++] - '0');
		}
		int digits = at - first;
		if (digits == 0 || digits > 18 || (digits > 1 && bytes[first] == '0') || (negative && value == 0)
				|| (at < limit && (bytes[at] == '.' || bytes[at] == 'e' || bytes[at] == 'E'))) {
			throw NOT_LEAN;
		}
		this.p = at;
		return negative ? -value : value;
	}

	private void bool() {
		if (!literal(TRUE) && !literal(FALSE)) {
			throw NOT_LEAN;
		}
	}

	private boolean literal(byte[] word) {
		if (Arrays.equals(this.b, this.p, Math.min(this.p + word.length, this.end), word, 0, word.length)) {
			this.p += word.length;
			return true;
		}
		return false;
	}

	/**
	 * An instant as {@link java.time.Instant#toString} writes it (so that parsing it and
	 * writing it back gives the same text): {@code yyyy-MM-ddTHH:mm:ssZ}, with 3, 6 or 9
	 * digits of fraction when not zero (the last 3 not all zero), a valid date and time.
	 */
	private void instant(int slot) {
		if (!repeats(slot)) {
			instant();
			remember(slot);
		}
	}

	private void instant() {
		string();
		if (this.stringEscaped || !isCanonicalInstant(this.b, this.stringFrom, this.stringTo)) {
			throw NOT_LEAN;
		}
	}

	static boolean isCanonicalInstant(byte[] b, int from, int to) {
		int n = to - from;
		if (n != 20 && n != 24 && n != 27 && n != 30) {
			return false;
		}
		if (b[from + 4] != '-' || b[from + 7] != '-' || b[from + 10] != 'T' || b[from + 13] != ':'
				|| b[from + 16] != ':' || b[to - 1] != 'Z') {
			return false;
		}
		int year = digits(b, from, 4);
		int month = digits(b, from + 5, 2);
		int day = digits(b, from + 8, 2);
		int hour = digits(b, from + 11, 2);
		int minute = digits(b, from + 14, 2);
		int second = digits(b, from + 17, 2);
		if (year < 0 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month) || hour < 0 || hour > 23
				|| minute < 0 || minute > 59 || second < 0 || second > 59) {
			return false;
		}
		if (n == 20) {
			return true;
		}
		return b[from + 19] == '.' && digits(b, from + 20, n - 21) >= 0 && digits(b, to - 4, 3) > 0;
	}

	/** The value of {@code count} ASCII digits, or -1. */
	private static int digits(byte[] b, int from, int count) {
		int value = 0;
		for (int i = from; i < from + count; i++) {
			int d = b[i] - '0';
			if (d < 0 || d > 9) {
				return -1;
			}
			value = value * 10 + d;
		}
		return value;
	}

	private static int monthLength(int year, int month) {
		return switch (month) {
			case 2 -> ((year % 4 == 0) && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
			case 4, 6, 9, 11 -> 30;
			default -> 31;
		};
	}

	private static byte[][] keys(String... keys) {
		byte[][] bytes = new byte[keys.length][];
		for (int i = 0; i < keys.length; i++) {
			bytes[i] = ascii(keys[i]);
			if (i > 0 && keys[i - 1].compareTo(keys[i]) >= 0) {
				throw new IllegalStateException("keys out of canonical order: " + keys[i]);
			}
		}
		return bytes;
	}

	private static byte[][] names(Enum<?>[] values) {
		byte[][] bytes = new byte[values.length][];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = ascii(values[i].name());
		}
		return bytes;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
