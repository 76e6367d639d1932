package io.chatvault.vault;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Deletion;
import io.chatvault.message.Edit;
import io.chatvault.message.MessageIdentity;
import io.chatvault.message.Participant;
import io.chatvault.message.Reaction;
import io.chatvault.message.RecordKind;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import io.chatvault.message.SystemEvent;
import io.chatvault.message.SystemEventType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The integrity check's lean reading of canonical records ({@link RecordCheck}) against
 * the full decoder ({@link RecordReader#checkRecordFully}): the same ids on every record
 * the encoder writes, a vouch for every record in the canonical form that has its
 * metadata, and never a vouch the full decoder would not give (tampered bytes, missing
 * metadata), so that {@link RecordReader#checkRecord} gives the full decoder's verdicts.
 */
class RecordCheckTests {

	private static final BiFunction<String, String, Conversation> NO_CONVERSATIONS = (sha, what) -> {
		throw new VaultIntegrityException(what + ": its conversation state " + sha + " is not indexed");
	};

	private final CanonicalRecords canonical = new CanonicalRecords();

	private final RecordCheck lean = new RecordCheck();

	@Property(tries = 400)
	void theLeanReadingGivesTheFullDecodersIdAndVouchesForEveryCanonicalRecordWithItsMetadata(@ForAll long seed) {
		// given: a record of random content, everything in the model used
		Random random = new Random(seed);
		boolean validText = random.nextInt(4) > 0;
		Generated generated = record(random, validText);
		byte[] bytes = this.canonical.encode(generated.record(), random.nextBoolean() ? "ab".repeat(32) : null);

		// when
		Verdict full = full(bytes, generated.conversations());
		String lean = lean(bytes, generated.conversations());

		// then
		assertSound(lean, full);
		ChatRecord record = generated.record();
		boolean hasMetadata = !record.conversation().id().isEmpty()
				&& (record.kind() != RecordKind.MESSAGE || record.author() != null);
		if (hasMetadata) {
			assertThat(full.id())
				.as("the full decoder on %s: %s", new String(bytes, StandardCharsets.UTF_8), full.problem())
				.isEqualTo(MessageIdentity.of(record));
		}
		if (validText && hasMetadata) {
			assertThat(lean).as("lean vouches for %s", new String(bytes, StandardCharsets.UTF_8)).isEqualTo(full.id());
		}
	}

	@Property(tries = 1000)
	void damagedBytesAreNeverVouchedForUnlessTheFullDecoderReadsThemToTheSameId(@ForAll long seed) {
		// given: a record with one to three random changes to its bytes
		Random random = new Random(seed);
		Generated generated = record(random, true);
		byte[] bytes = this.canonical.encode(generated.record(), null);
		for (int n = 1 + random.nextInt(3); n > 0; n--) {
			bytes = damage(random, bytes);
		}

		// when / then
		assertSound(lean(bytes, generated.conversations()), full(bytes, generated.conversations()));
	}

	@Property(tries = 300)
	void recordsOfABlockThatRepeatTheLastValuesAreReadAsTheFullDecoderReadsThem(@ForAll long seed) {
		// given: a block of copies of one record and of others with its conversation,
		// origin, source, zone and time, some of them damaged, read one after the other
		// (the lean reading skips bytes that repeat the last string it read as valid)
		Random random = new Random(seed);
		Generated generated = record(random, true);
		ChatRecord record = generated.record();
		boolean hasMetadata = !record.conversation().id().isEmpty()
				&& (record.kind() != RecordKind.MESSAGE || record.author() != null);
		List<byte[]> block = new java.util.ArrayList<>();
		List<Boolean> damaged = new java.util.ArrayList<>();
		for (int i = 8 + random.nextInt(8); i > 0; i--) {
			ChatRecord sibling = record.toBuilder().body(text(random, true, 0)).build();
			byte[] bytes = this.canonical.encode(random.nextBoolean() ? record : sibling, null);
			boolean damage = random.nextInt(3) == 0;
			for (int n = damage ? 1 + random.nextInt(3) : 0; n > 0; n--) {
				bytes = damage(random, bytes);
			}
			block.add(bytes);
			damaged.add(damage);
		}
		this.lean.newBlock();

		for (int i = 0; i < block.size(); i++) {
			// when
			byte[] bytes = block.get(i);
			Verdict full = full(bytes, generated.conversations());
			byte[] id = this.lean.id(bytes, 0, bytes.length, (sha) -> generated.conversations().apply(sha, "?"));
			String lean = (id != null) ? HexFormat.of().formatHex(id) : null;

			// then
			assertSound(lean, full);
			if (!damaged.get(i) && hasMetadata) {
				assertThat(lean).as("lean vouches for %s", new String(bytes, StandardCharsets.UTF_8))
					.isEqualTo(full.id());
			}
		}
	}

	@Test
	void aRecordMissingItsSenderConversationOrTimeIsStillFlagged() {
		// given: a message as the encoder writes it, and that message's bytes without its
		// author, its time, its conversation state, or naming a conversation of no id
		Conversation conversation = new Conversation("C1", ConversationType.GROUP, "team", List.of());
		Conversation nameless = new Conversation("", ConversationType.GROUP, "team", List.of());
		ChatRecord message = ChatRecord
			.builder(SourcePlatform.WHATSAPP_EXPORT, conversation, RecordKind.MESSAGE,
					Instant.parse("2024-03-01T10:15:30Z"), new SourceLocation("chat.txt", "", 7))
			.author(Participant.named("Alice"))
			.body("hello")
			.build();
		String good = new String(this.canonical.encode(message, null), StandardCharsets.UTF_8);
		String state = Sha256.hex(CanonicalRecords.conversation(conversation));
		String namelessState = Sha256.hex(CanonicalRecords.conversation(nameless));
		BiFunction<String, String, Conversation> conversations = (sha, what) -> {
			if (sha == null) {
				throw new VaultIntegrityException(what + ": the record names no conversation state");
			}
			if (sha.equals(state)) {
				return conversation;
			}
			if (sha.equals(namelessState)) {
				return nameless;
			}
			return NO_CONVERSATIONS.apply(sha, what);
		};
		String noAuthor = good.replace("\"author\":{\"id\":\"Alice\"},", "");
		String noTime = good.replace("\"sentAt\":\"2024-03-01T10:15:30Z\",", "");
		String noState = good.replace(",\"state\":\"" + state + "\"", "");
		String noConversation = good.replace("\"conversation\":{\"id\":\"C1\",\"state\":\"" + state + "\"},", "");
		String namelessConversation = good.replace(state, namelessState);
		assertThat(List.of(noAuthor, noTime, noState, noConversation, namelessConversation)).doesNotContain(good);

		// when / then: the good one checks out, by the lean reading
		assertThat(check(good, conversations)).isEqualTo(MessageIdentity.of(message));
		assertThat(HexFormat.of()
			.formatHex(this.lean.id(bytes(good), 0, bytes(good).length, (sha) -> conversations.apply(sha, "?"))))
			.isEqualTo(MessageIdentity.of(message));
		// and the others are flagged, as the full decoder flags them
		assertThatExceptionOfType(VaultIntegrityException.class).isThrownBy(() -> check(noAuthor, conversations))
			.withMessage("record 0 of block 1 lacks its author");
		assertThatExceptionOfType(VaultIntegrityException.class).isThrownBy(() -> check(noTime, conversations))
			.withMessageStartingWith("record 0 of block 1 cannot be decoded");
		assertThatExceptionOfType(VaultIntegrityException.class).isThrownBy(() -> check(noState, conversations))
			.withMessage("record 0 of block 1: the record names no conversation state");
		assertThatExceptionOfType(VaultIntegrityException.class).isThrownBy(() -> check(noConversation, conversations))
			.withMessage("record 0 of block 1: the record names no conversation state");
		assertThatExceptionOfType(VaultIntegrityException.class)
			.isThrownBy(() -> check(namelessConversation, conversations))
			.withMessage("record 0 of block 1 lacks its conversation");
		for (String flagged : List.of(noAuthor, noTime, noState, noConversation, namelessConversation)) {
			this.lean.newBlock();
			assertThat(this.lean.id(bytes(flagged), 0, bytes(flagged).length, (sha) -> conversations.apply(sha, "?")))
				.isNull();
		}
	}

	@Test
	void tamperedTimesKindsAndValuesAreLeftToTheFullDecoder() {
		// given: a message, and edits of its bytes that a JSON parser would still read
		Conversation conversation = new Conversation("C1", ConversationType.GROUP, "", List.of());
		ChatRecord message = ChatRecord
			.builder(SourcePlatform.SLACK_EXPORT, conversation, RecordKind.MESSAGE,
					Instant.parse("2024-02-29T23:59:59.500Z"), new SourceLocation("a.json", "", 1))
			.author(new Participant("U1", "Alice"))
			.platformMessageId("1709251199.5")
			.body("hi")
			.build();
		String good = new String(this.canonical.encode(message, null), StandardCharsets.UTF_8);
		BiFunction<String, String, Conversation> conversations = (sha, what) -> conversation;
		List<String> edits = List.of(good.replace("2024-02-29", "2023-02-29"), good.replace("23:59:59", "24:00:00"),
				good.replace(".500Z", ".5Z"), good.replace(".500Z", ".000Z"), good.replace(".500Z", "+00:00"),
				good.replace("\"SLACK_EXPORT\"", "\"SLACK\""), good.replace("\"v\":2", "\"v\":3"),
				good.replace("\"v\":2", "\"v\":\"2\""), good.replace("\"v\":2", "\"v\":2.0"),
				good.replace("\"v\":2", "\"v\" : 2"),
				good.replace("\"body\":\"hi\",", "\"body\":\"hi\",\"body\":\"ho\","),
				good.replace("\"line\":1", "\"line\":01"), good.replace("{\"author\"", "{\"zzz\":1,\"author\""),
				good.replace("\"body\":\"hi\"", "\"body\":\"h\\u0069\""),
				good.replace("\"body\":\"hi\"", "\"body\":null"),
				good.replace("\"body\":\"hi\"", "\"body\":\"\\ud800\""), good + " ");
		assertThat(edits).doesNotContain(good);

		for (String edit : edits) {
			// when
			Verdict full = full(bytes(edit), conversations);
			String lean = lean(bytes(edit), conversations);

			// then: where the lean reading vouches, the full decoder reads the same id;
			// otherwise the full decoder gives the verdict
			assertSound(lean, full);
		}
		// the escaped body is the same record, read by the lean reading too
		assertThat(lean(bytes(edits.get(13)), conversations)).isEqualTo(MessageIdentity.of(message));
		assertThat(lean(bytes(good), conversations)).isEqualTo(MessageIdentity.of(message));
	}

	@Property(tries = 2000)
	void anInstantIsCanonicalExactlyWhenParsingItAndWritingItBackGivesItsText(@ForAll long seed) {
		Random random = new Random(seed);
		String text;
		if (random.nextBoolean()) {
			text = instant(random).toString();
		}
		else {
			// the shape, with digits that may make no date or time
			StringBuilder s = new StringBuilder(
					String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10000), random.nextInt(14),
							random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62)));
			int fraction = List.of(0, 1, 3, 3, 6, 9, 9).get(random.nextInt(7));
			if (fraction > 0) {
				s.append('.');
				for (int i = 0; i < fraction; i++) {
					s.append((random.nextInt(3) == 0) ? '0' : (char) ('0' + random.nextInt(10)));
				}
			}
			text = s.append('Z').toString();
		}
		boolean roundTrips;
		try {
			roundTrips = Instant.parse(text).toString().equals(text);
		}
		catch (DateTimeParseException ex) {
			roundTrips = false;
		}
		byte[] bytes = bytes(text);
		assertThat(RecordCheck.isCanonicalInstant(bytes, 0, bytes.length)).as(text).isEqualTo(roundTrips);
	}

	@Property(tries = 5000)
	void eightBytesArePlainExactlyWhenEachIsPrintableAsciiOtherThanAQuoteOrBackslash(@ForAll long seed) {
		// given: eight bytes, each plain or one of the bytes a string's scan must stop at
		Random random = new Random(seed);
		byte[] word = new byte[8];
		boolean plain = true;
		for (int i = 0; i < 8; i++) {
			int b = switch (random.nextInt(random.nextBoolean() ? 40 : 4)) {
				case 0 -> '"';
				case 1 -> '\\';
				case 2 -> random.nextInt(0x20);
				case 3 -> 0x80 + random.nextInt(0x80);
				default -> 0x20 + random.nextInt(0x60);
			};
			word[i] = (byte) b;
			plain &= b >= 0x20 && b < 0x80 && b != '"' && b != '\\';
		}

		// when
		long value = java.nio.ByteBuffer.wrap(word).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();

		// then
		assertThat(RecordCheck.plain(value)).as(HexFormat.of().formatHex(word)).isEqualTo(plain);
	}

	private String check(String record, BiFunction<String, String, Conversation> conversations) {
		RecordBlock.Layout layout = RecordBlock.decode(RecordBlock.encode(bytes("{}"), List.of(bytes(record))));
		this.lean.newBlock();
		return HexFormat.of()
			.formatHex(RecordReader.checkRecord(this.lean, this.canonical, layout, 0, "block 1",
					(sha) -> conversations.apply(sha, "a record of block 1"), conversations));
	}

	private String lean(byte[] bytes, BiFunction<String, String, Conversation> conversations) {
		this.lean.newBlock();
		// inside a larger array, as in a block
		byte[] block = new byte[bytes.length + 6];
		System.arraycopy(bytes, 0, block, 3, bytes.length);
		block[1] = '{';
		block[bytes.length + 4] = '"';
		byte[] id = this.lean.id(block, 3, 3 + bytes.length, (sha) -> conversations.apply(sha, "?"));
		return (id != null) ? HexFormat.of().formatHex(id) : null;
	}

	private Verdict full(byte[] bytes, BiFunction<String, String, Conversation> conversations) {
		try {
			return new Verdict(RecordReader.checkRecordFully(this.canonical, bytes,
					(sha) -> conversations.apply(sha, "record 0"), "record 0"), null);
		}
		catch (VaultIntegrityException ex) {
			return new Verdict(null, ex.getMessage());
		}
	}

	private static void assertSound(String lean, Verdict full) {
		if (lean != null) {
			assertThat(full.problem()).as("the full decoder's verdict on what the lean reading vouched for").isNull();
			assertThat(lean).isEqualTo(full.id());
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Changes a record's bytes a little: one of the characters JSON cares about, or cuts.
	 */
	private static byte[] damage(Random random, byte[] bytes) {
		byte[] interesting = bytes("\"\\,:{}[]09aZ-.eEtn ");
		int at = random.nextInt(bytes.length);
		switch (random.nextInt(6)) {
			case 0: {
				byte[] changed = bytes.clone();
				changed[at] = interesting[random.nextInt(interesting.length)];
				return changed;
			}
			case 1: {
				byte[] changed = bytes.clone();
				changed[at] = (byte) random.nextInt(256);
				return changed;
			}
			case 2: {
				byte[] cut = new byte[bytes.length - 1];
				System.arraycopy(bytes, 0, cut, 0, at);
				System.arraycopy(bytes, at + 1, cut, at, bytes.length - at - 1);
				return cut;
			}
			case 3: {
				int length = random.nextInt(Math.min(24, bytes.length - at) + 1);
				byte[] cut = new byte[bytes.length - length];
				System.arraycopy(bytes, 0, cut, 0, at);
				System.arraycopy(bytes, at + length, cut, at, bytes.length - at - length);
				return cut;
			}
			case 4: {
				int length = random.nextInt(Math.min(24, bytes.length - at) + 1);
				byte[] doubled = new byte[bytes.length + length];
				System.arraycopy(bytes, 0, doubled, 0, at + length);
				System.arraycopy(bytes, at, doubled, at + length, bytes.length - at);
				return doubled;
			}
			default: {
				byte[] added = new byte[bytes.length + 1];
				System.arraycopy(bytes, 0, added, 0, at);
				added[at] = interesting[random.nextInt(interesting.length)];
				System.arraycopy(bytes, at, added, at + 1, bytes.length - at);
				return added;
			}
		}
	}

	private static Generated record(Random random, boolean validText) {
		Conversation conversation = new Conversation((random.nextInt(20) == 0) ? "" : text(random, validText, 1),
				pick(random, ConversationType.values()), text(random, validText, 0),
				List.of(participant(random, validText)));
		RecordKind kind = pick(random, RecordKind.values());
		ChatRecord.Builder builder = ChatRecord
			.builder(pick(random, SourcePlatform.values()), conversation, kind, instant(random),
					new SourceLocation(text(random, validText, 0), text(random, validText, 0), random.nextInt(100_000),
							random.nextBoolean() ? random.nextInt(1 << 30) : -1, random.nextInt(1 << 20)))
			.platformMessageId(random.nextBoolean() ? text(random, validText, 0) : null)
			.author((random.nextInt(5) > 0) ? participant(random, validText) : null)
			.zone(maybe(random, validText))
			.body(text(random, validText, 0))
			.formattedBody(maybe(random, validText))
			.replyToId(maybe(random, validText))
			.threadId(maybe(random, validText))
			.targetMessageId(maybe(random, validText))
			.rawSha256(random.nextBoolean() ? Sha256.hex(text(random, validText, 0)) : null)
			.occurrence((random.nextInt(3) == 0) ? random.nextInt() : 0)
			.edited(random.nextInt(4) == 0);
		for (int i = random.nextInt(3); i > 0; i--) {
			builder.edit(new Edit(random.nextBoolean() ? instant(random) : null, maybe(random, validText),
					random.nextBoolean() ? participant(random, validText) : null));
		}
		if (random.nextInt(4) == 0) {
			builder.deletion(new Deletion(random.nextBoolean() ? instant(random) : null,
					random.nextBoolean() ? participant(random, validText) : null, maybe(random, validText)));
		}
		for (int i = random.nextInt(3); i > 0; i--) {
			builder.reaction(new Reaction(text(random, validText, 0), participant(random, validText),
					random.nextBoolean() ? instant(random) : null));
		}
		for (int i = random.nextInt(3); i > 0; i--) {
			builder.attachment(new Attachment(text(random, validText, 0),
					random.nextBoolean() ? "image/jpeg" : text(random, validText, 0),
					random.nextBoolean() ? random.nextInt(1 << 30) : -1, maybe(random, validText),
					pick(random, AttachmentStatus.values()), maybe(random, validText), null));
		}
		if (random.nextInt(4) == 0) {
			builder.event(new SystemEvent(pick(random, SystemEventType.values()),
					random.nextBoolean() ? participant(random, validText) : null, text(random, validText, 0)));
		}
		for (int i = random.nextInt(4); i > 0; i--) {
			builder.extra(text(random, validText, 0), text(random, validText, 0));
		}
		String state = Sha256.hex(CanonicalRecords.conversation(conversation));
		return new Generated(builder.build(), (sha, what) -> {
			if (state.equals(sha)) {
				return conversation;
			}
			return NO_CONVERSATIONS.apply(sha, what);
		});
	}

	private static Instant instant(Random random) {
		long seconds = -62167219200L + (long) (random.nextDouble() * (253402300799L + 62167219200L));
		int nanos = switch (random.nextInt(4)) {
			case 0 -> 0;
			case 1 -> random.nextInt(1000) * 1_000_000;
			case 2 -> random.nextInt(1_000_000) * 1000;
			default -> random.nextInt(1_000_000_000);
		};
		return Instant.ofEpochSecond(seconds, nanos);
	}

	private static Participant participant(Random random, boolean validText) {
		String id = text(random, validText, 1);
		return new Participant(id, random.nextBoolean() ? id : text(random, validText, 0));
	}

	private static String maybe(Random random, boolean validText) {
		return random.nextBoolean() ? text(random, validText, 0) : null;
	}

	private static final String[] PIECES = { "a", "Z", "7", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f",
			"\u0000", "\u001f", "\u007f", "é", "ß", "中", "\u2028", "\ufeff", "\uffff", "\ue000", "😀", "hello",
			"2024-03-01T10:15:30Z", "{\"v\":2}", ",", ":" };

	/**
	 * Text of pieces JSON and UTF-8 care about; with {@code validText} false, lone
	 * surrogates too (which the encoder escapes and UTF-8 cannot carry).
	 */
	private static String text(Random random, boolean validText, int minimum) {
		StringBuilder text = new StringBuilder();
		for (int n = minimum + random.nextInt(6); n > 0; n--) {
			if (!validText && random.nextInt(8) == 0) {
				text.append(random.nextBoolean() ? '\ud800' : '\udfff');
			}
			else if (random.nextInt(3) == 0) {
				text.append(PIECES[random.nextInt(PIECES.length)]);
			}
			else {
				text.append((char) ('a' + random.nextInt(26)));
			}
		}
		return text.toString();
	}

	private static <T> T pick(Random random, T[] values) {
		return values[random.nextInt(values.length)];
	}

	record Generated(ChatRecord record, BiFunction<String, String, Conversation> conversations) {
	}

	record Verdict(String id, String problem) {
	}

}
