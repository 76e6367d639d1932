package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.NoSuchElementException;

import io.chatvault.message.Sha256;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.Participant;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.DateOrder;
import io.chatvault.source.SafeZip;
import io.chatvault.source.SourceDescription;
import io.chatvault.source.SourceReader;

/**
 * The second pass over a WhatsApp export: groups lines into messages (a header line and
 * its continuation lines) and turns each into a {@link ChatRecord}, or quarantines what
 * cannot be one. Memory is flat: one message of at most {@link #MESSAGE_CAP} bytes is
 * held at a time.
 *
 * <p>
 * Every input line ends in exactly one record: a record's lines run from
 * {@code origin().line()} to its {@code extra("lastLine")} (absent for a one-line
 * record), and a quarantined record is one line. Lines before the first header,
 * continuation lines past the size cap, and header lines longer than the cap are
 * quarantined with their (possibly truncated) raw bytes and full length. Text with
 * invalid UTF-8 is kept, repaired with U+FFFD, and its raw bytes are kept in
 * {@code extra("rawBase64")}.
 */
final class WhatsAppExportReader implements SourceReader {

	/** The largest message kept whole; lines beyond it are quarantined. */
	static final int MESSAGE_CAP = 1 << 20;

	private static final HexFormat HEX = HexFormat.of();

	private final ExportInput input;

	private final String file;

	private final String entry;

	private final ZoneId zone;

	private final String zoneName;

	private final ZoneOffset fixedOffset;

	private final DateOrder order;

	private final Conversation conversation;

	private final SourceDescription description;

	private final ExportLines lines;

	private final HeaderScanner scanner = new HeaderScanner();

	private final AuthorSplit split = new AuthorSplit();

	private final BodyInterpreter interpreter;

	private final OccurrenceCounter occurrences = new OccurrenceCounter();

	private final MessageDigest sha256;

	private final ArrayDeque<SourceRecord> ready = new ArrayDeque<>();

	private final boolean[] swapped = new boolean[1];

	private final AuthorCache authors = new AuthorCache();

	// The message being collected.

	private boolean pending;

	private byte[] raw = new byte[4096];

	private int rawSize;

	private int[] lineStarts = new int[8];

	private int[] lineEnds = new int[8];

	private int lineCount;

	private long firstLine;

	/** The input offset of the message's first byte: its raw fragment's start. */
	private long firstOffset;

	private long lastLine;

	private int restStart;

	private long localEpochSecond;

	private boolean dateSwapped;

	private int lastTerminator;

	private long overflowLine;

	private String localTimeNote;

	// Reader state.

	private int cachedFirst = -1;

	private int cachedSecond;

	private int cachedThird;

	private int cachedFirstDigits;

	private int cachedThirdDigits;

	private int cachedEra;

	private HeaderScanner.Calendar cachedCalendar;

	private boolean cachedEraFirst;

	private long cachedDay;

	private boolean cachedSwapped;

	private long epochDay;

	/** The first line of a message whose further lines go to quarantine, or 0. */
	private long orphanOf;

	/** Why the lines of {@link #orphanOf} go to quarantine. */
	private String orphanReason;

	private boolean finished;

	WhatsAppExportReader(ExportInput input, ZoneId zone, DateOrder order, Conversation conversation,
			SourceDescription description, String custodian) throws IOException {
		this.input = input;
		this.file = input.file();
		this.entry = input.entry();
		this.zone = zone;
		this.zoneName = zone.getId();
		this.fixedOffset = zone.getRules().isFixedOffset() ? zone.getRules().getOffset(Instant.EPOCH) : null;
		this.order = order;
		this.conversation = conversation;
		this.description = description;
		this.interpreter = new BodyInterpreter(input, custodian);
		this.sha256 = Sha256.digest();
		this.lines = new ExportLines(input.openChat());
		for (SafeZip.Refusal refusal : input.refused()) {
			// Line 0: the entry as a whole, not a line of the chat text.
			this.ready.add(input.quarantined(refusal.name(), "zip entry refused: " + refusal.reason()));
		}
	}

	@Override
	public SourceDescription description() {
		return this.description;
	}

	@Override
	public boolean hasNext() {
		while (this.ready.isEmpty() && !this.finished) {
			step();
		}
		return !this.ready.isEmpty();
	}

	@Override
	public SourceRecord next() {
		if (!hasNext()) {
			throw new NoSuchElementException();
		}
		return this.ready.poll();
	}

	private void step() {
		boolean more;
		try {
			more = this.lines.next();
		}
		catch (IOException ex) {
			// A damaged zip entry: what was read stands, the rest is reported, not
			// thrown.
			flush();
			this.ready.add(new QuarantinedRecord(location(this.lines.lineNumber() + 1),
					"input unreadable after line " + this.lines.lineNumber() + ": " + ExportInput.describe(ex),
					new byte[0], 0));
			finish();
			return;
		}
		if (!more) {
			flush();
			finish();
			return;
		}
		long number = this.lines.lineNumber();
		byte[] b = this.lines.bytes();
		int offset = this.lines.offset();
		int length = this.lines.length();
		if (isHeader(b, offset, length)) {
			flush();
			if (this.epochDay == ExportDate.UNMARKED_BUDDHIST_YEAR) {
				quarantine(number, ExportDate.unmarkedBuddhistYear(this.scanner));
				orphan(number, "whose year is not read");
				return;
			}
			if (this.lines.truncated()) {
				quarantine(number, "message is " + this.lines.fullLength() + " bytes long, over the limit of "
						+ MESSAGE_CAP + " bytes; raw copy truncated");
				orphan(number, "which is over the limit of " + MESSAGE_CAP + " bytes");
				return;
			}
			start(number, b, offset, length);
			this.orphanOf = 0;
			return;
		}
		if (this.pending) {
			if (!this.lines.truncated()
					&& this.rawSize + ExportLines.terminatorLength(this.lastTerminator) + length <= MESSAGE_CAP) {
				append(number, b, offset, length);
				return;
			}
			this.overflowLine = number;
			orphan(this.firstLine, "which is over the limit of " + MESSAGE_CAP + " bytes");
			flush();
		}
		if (this.orphanOf > 0) {
			quarantine(number, "continuation of the message at line " + this.orphanOf + ", " + this.orphanReason);
		}
		else {
			quarantine(number, "no WhatsApp message header before this line (expected a header such as "
					+ "\"[dd.mm.yy, HH:MM:SS] Name: text\" or \"dd/mm/yy, HH:MM - Name: text\")");
		}
	}

	/** The lines that continue the message at {@code line} go to quarantine. */
	private void orphan(long line, String reason) {
		this.orphanOf = line;
		this.orphanReason = reason;
	}

	private boolean isHeader(byte[] b, int offset, int length) {
		HeaderScanner h = this.scanner;
		if (!h.scan(b, offset, offset + length)) {
			return false;
		}
		// Consecutive messages mostly share their date: reuse the last conversion.
		if (h.first != this.cachedFirst || h.second != this.cachedSecond || h.third != this.cachedThird
				|| h.firstDigits != this.cachedFirstDigits || h.thirdDigits != this.cachedThirdDigits
				|| h.eraBase != this.cachedEra || h.calendar != this.cachedCalendar
				|| h.eraFirst != this.cachedEraFirst) {
			this.cachedDay = ExportDate.epochDay(h, this.order, this.swapped);
			this.cachedSwapped = this.swapped[0];
			this.cachedFirst = h.first;
			this.cachedSecond = h.second;
			this.cachedThird = h.third;
			this.cachedFirstDigits = h.firstDigits;
			this.cachedThirdDigits = h.thirdDigits;
			this.cachedEra = h.eraBase;
			this.cachedCalendar = h.calendar;
			this.cachedEraFirst = h.eraFirst;
		}
		this.epochDay = this.cachedDay;
		this.swapped[0] = this.cachedSwapped;
		return this.epochDay != ExportDate.INVALID;
	}

	private void start(long number, byte[] b, int offset, int length) {
		this.pending = true;
		this.rawSize = 0;
		this.lineCount = 0;
		this.overflowLine = 0;
		this.firstLine = number;
		this.firstOffset = this.lines.lineStart();
		this.restStart = this.scanner.restStart - offset;
		int second = Math.max(this.scanner.secondOfMinute, 0);
		this.localEpochSecond = this.epochDay * 86400L + this.scanner.hourOfDay() * 3600L + this.scanner.minute * 60L
				+ second;
		this.dateSwapped = this.swapped[0];
		addLine(number, b, offset, length);
	}

	private void append(long number, byte[] b, int offset, int length) {
		ensureCapacity(this.rawSize + 2);
		// The line end as the file has it: a message's raw bytes are the file's bytes.
		if (this.lastTerminator != ExportLines.LF) {
			this.raw[this.rawSize++] = '\r';
		}
		if (this.lastTerminator != ExportLines.CR) {
			this.raw[this.rawSize++] = '\n';
		}
		addLine(number, b, offset, length);
	}

	private void addLine(long number, byte[] b, int offset, int length) {
		ensureCapacity(this.rawSize + length);
		if (this.lineCount == this.lineStarts.length) {
			this.lineStarts = Arrays.copyOf(this.lineStarts, this.lineCount * 2);
			this.lineEnds = Arrays.copyOf(this.lineEnds, this.lineCount * 2);
		}
		System.arraycopy(b, offset, this.raw, this.rawSize, length);
		this.lineStarts[this.lineCount] = this.rawSize;
		this.rawSize += length;
		this.lineEnds[this.lineCount] = this.rawSize;
		this.lineCount++;
		this.lastLine = number;
		this.lastTerminator = this.lines.terminator();
	}

	private void ensureCapacity(int size) {
		if (size > this.raw.length) {
			this.raw = Arrays.copyOf(this.raw, Math.max(size, this.raw.length * 2));
		}
	}

	private void flush() {
		if (!this.pending) {
			return;
		}
		this.pending = false;
		try {
			this.ready.add(record());
		}
		catch (RuntimeException ex) {
			// A defect must not lose the message: it goes to quarantine with its bytes.
			this.ready.add(new QuarantinedRecord(location(this.firstLine),
					"lines " + this.firstLine + "-" + this.lastLine + " could not be read as a message: " + ex,
					Arrays.copyOf(this.raw, this.rawSize)));
		}
		// Media the message names that turned out damaged follow it into quarantine.
		this.ready.addAll(this.input.drainDamaged());
	}

	private ChatRecord record() {
		this.sha256.update(this.raw, 0, this.rawSize);
		String rawSha256 = HEX.formatHex(this.sha256.digest());
		int firstEnd = this.lineEnds[0];
		this.split.split(this.raw, this.restStart, firstEnd);
		Participant author = this.split.hasAuthor() ? this.split.author(this.raw, this.authors) : null;
		int textStart = this.split.hasAuthor() ? this.split.textStart : this.restStart;
		String text = text(textStart);
		this.localTimeNote = null;
		Instant sentAt = instant();
		ChatRecord.Builder builder = ChatRecord
			.builder(SourcePlatform.WHATSAPP_EXPORT, this.conversation, RecordKind.MESSAGE, sentAt,
					location(this.firstLine).withSpan(this.firstOffset, this.rawSize))
			.zone(this.zoneName)
			.rawSha256(rawSha256);
		String body = this.interpreter.interpret(builder, author, text);
		if (this.localTimeNote != null) {
			builder.extra("localTime", this.localTimeNote);
		}
		if (this.split.nonContact) {
			builder.extra("nonContact", "true");
		}
		if (this.dateSwapped) {
			builder.extra("dateOrder", "read " + ((this.order == DateOrder.MONTH_FIRST) ? "day-first" : "month-first")
					+ ": invalid in the file's order");
		}
		// Invalid bytes always decode to U+FFFD; only then is the strict check worth it
		// (a Latin-1 string answers indexOf of U+FFFD at once).
		boolean replaced = text.indexOf('\uFFFD') >= 0
				|| (author != null && author.displayName().indexOf('\uFFFD') >= 0);
		if (replaced && !Utf8.valid(this.raw, 0, this.rawSize)) {
			builder.extra("invalidUtf8", "true")
				.extra("rawBase64", Base64.getEncoder().encodeToString(Arrays.copyOf(this.raw, this.rawSize)));
		}
		if (this.overflowLine > 0) {
			builder.extra("truncated",
					"lines from " + this.overflowLine + " quarantined: message over " + MESSAGE_CAP + " bytes");
		}
		if (this.lastLine > this.firstLine) {
			builder.extra("lastLine", Long.toString(this.lastLine));
		}
		builder.occurrence(this.occurrences.next(sentAt, (author != null) ? author.id() : "", body));
		return builder.build();
	}

	private String text(int textStart) {
		int firstEnd = this.lineEnds[0];
		String first = new String(this.raw, textStart, Math.max(firstEnd - textStart, 0), StandardCharsets.UTF_8);
		if (this.lineCount == 1) {
			return first;
		}
		StringBuilder text = new StringBuilder(this.rawSize);
		text.append(first);
		for (int i = 1; i < this.lineCount; i++) {
			text.append('\n')
				.append(new String(this.raw, this.lineStarts[i], this.lineEnds[i] - this.lineStarts[i],
						StandardCharsets.UTF_8));
		}
		return text.toString();
	}

	private Instant instant() {
		if (this.fixedOffset != null) {
			return Instant.ofEpochSecond(this.localEpochSecond - this.fixedOffset.getTotalSeconds());
		}
		LocalDateTime local = LocalDateTime.ofEpochSecond(this.localEpochSecond, 0, ZoneOffset.UTC);
		ZoneOffsetTransition transition = this.zone.getRules().getTransition(local);
		if (transition != null) {
			// The export cannot say which instant was meant: say which one was taken.
			this.localTimeNote = local + (transition.isGap()
					? " does not exist in " + this.zoneName + " (clocks went forward); read as "
							+ local.plus(transition.getDuration())
					: " occurs twice in " + this.zoneName + " (clocks went back); the earlier instant is used");
		}
		return ZonedDateTime.ofLocal(local, this.zone, null).toInstant();
	}

	private void quarantine(long number, String reason) {
		byte[] b = this.lines.bytes();
		int offset = this.lines.offset();
		this.ready.add(new QuarantinedRecord(location(number), reason,
				Arrays.copyOfRange(b, offset, offset + this.lines.length()), this.lines.fullLength()));
	}

	private SourceLocation location(long line) {
		return new SourceLocation(this.file, this.entry, line);
	}

	private void finish() {
		this.finished = true;
		try {
			close();
		}
		catch (IOException ex) {
			// Everything has been read; a failure to release the file changes nothing.
		}
	}

	@Override
	public void close() throws IOException {
		try {
			this.lines.close();
		}
		finally {
			this.input.close();
		}
	}

}
