package io.chatvault.access;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the registry and HR CSV files (RFC 4180, UTF-8, a header line naming the columns,
 * in any order) into typed rows, every row checked before anything is applied: a file is
 * applied whole or not at all. A row that cannot be read becomes a {@link BadRow} with
 * its line number, the reason and its raw text, exactly as it stands in the file. Files
 * are small (one line per employee) and read whole; past {@link #MAX_BYTES} a file is
 * refused.
 */
public final class CsvFile {

	/** The largest file read: ten times a 100,000-employee HR file. */
	public static final long MAX_BYTES = 64L * 1024 * 1024;

	private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
		.setHeader()
		.setSkipHeaderRecord(true)
		.setIgnoreEmptyLines(true)
		.setTrim(true)
		.get();

	private CsvFile() {
	}

	/**
	 * Reads and checks every row of a file.
	 * @param <T> what a row becomes
	 * @param file the file
	 * @param required columns that must be in the header
	 * @param known every column allowed in the header
	 * @param mapper turns a row into a value, or throws {@link IllegalArgumentException}
	 * with the reason
	 * @return the rows read and the bad rows
	 * @throws UncheckedIOException if the file cannot be read
	 */
	public static <T> Parsed<T> read(Path file, Set<String> required, Set<String> known, RowMapper<T> mapper) {
		byte[] bytes;
		try {
			if (Files.size(file) > MAX_BYTES) {
				return Parsed.wholeFile(file, 1, "the file is larger than " + MAX_BYTES + " bytes", "");
			}
			bytes = Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return Parsed.wholeFile(file, 1, "the file is not UTF-8 text", "");
		}
		if (text.startsWith("\uFEFF")) {
			text = text.substring(1);
		}
		List<Row<T>> rows = new ArrayList<>();
		List<BadRow> bad = new ArrayList<>();
		try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
			Map<String, Integer> header = parser.getHeaderMap();
			Set<String> columns = new TreeSet<>();
			header.keySet().forEach((column) -> columns.add(column.toLowerCase(Locale.ROOT)));
			Set<String> missing = new TreeSet<>(required);
			missing.removeAll(columns);
			Set<String> unknown = new TreeSet<>(columns);
			unknown.removeAll(known);
			if (header.isEmpty() || !missing.isEmpty() || !unknown.isEmpty()) {
				String reason = header.isEmpty() ? "no header line"
						: (!missing.isEmpty() ? "missing column(s) " + String.join(", ", missing) : "")
								+ (!missing.isEmpty() && !unknown.isEmpty() ? "; " : "")
								+ (!unknown.isEmpty() ? "unknown column(s) " + String.join(", ", unknown) : "");
				return Parsed.wholeFile(file, 1,
						reason + " (expected columns: " + String.join(", ", new TreeSet<>(known)) + ")",
						firstLine(text));
			}
			LineCounter lines = new LineCounter(text);
			Iterator<CSVRecord> records = parser.iterator();
			CSVRecord previous = null;
			while (true) {
				CSVRecord record;
				try {
					if (!records.hasNext()) {
						break;
					}
					record = records.next();
				}
				catch (UncheckedIOException | IllegalStateException ex) {
					// A broken quote: nothing after it can be split into rows reliably.
					int from = (previous != null) ? (int) end(text, previous) : text.indexOf('\n');
					from = (from < 0) ? text.length() : from;
					while (from < text.length() && (text.charAt(from) == '\r' || text.charAt(from) == '\n')) {
						from++;
					}
					bad.add(new BadRow(lines.lineAt(from), "not CSV from here on: " + rootMessage(ex),
							text.substring(from).strip()));
					break;
				}
				int start = start(text, record);
				long line = lines.lineAt(start);
				String raw = text.substring(start, (int) end(text, record)).strip();
				if (!record.isConsistent()) {
					bad.add(new BadRow(line, "expected " + header.size() + " fields, found " + record.size(), raw));
				}
				else {
					try {
						rows.add(new Row<>(line, mapper.map(new Cells(record, line)), raw));
					}
					catch (IllegalArgumentException ex) {
						bad.add(new BadRow(line, ex.getMessage(), raw));
					}
				}
				previous = record;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
		}
		catch (IllegalArgumentException ex) {
			// a duplicate or empty header name
			return Parsed.wholeFile(file, 1, "bad header: " + ex.getMessage(), firstLine(text));
		}
		return new Parsed<>(rows, bad);
	}

	/**
	 * Where a record's text begins: the parser's position is where it began reading,
	 * before the empty lines it skipped.
	 */
	private static int start(String text, CSVRecord record) {
		int start = (int) record.getCharacterPosition();
		while (start < text.length() && (text.charAt(start) == '\r' || text.charAt(start) == '\n')) {
			start++;
		}
		return start;
	}

	private static long end(String text, CSVRecord record) {
		// The record ends at the next line break outside quotes; the parser does not say.
		int from = start(text, record);
		boolean quoted = false;
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"') {
				quoted = !quoted;
			}
			else if ((c == '\n' || c == '\r') && !quoted) {
				return i;
			}
		}
		return text.length();
	}

	private static String firstLine(String text) {
		int end = text.indexOf('\n');
		return ((end < 0) ? text : text.substring(0, end)).strip();
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.getMessage();
	}

	/**
	 * Parses a date cell.
	 * @param column the column, for the message
	 * @param value the cell
	 * @return the date
	 * @throws IllegalArgumentException if it is not {@code YYYY-MM-DD}
	 */
	public static LocalDate date(String column, String value) {
		try {
			return LocalDate.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(column + " '" + value + "' is not a date (YYYY-MM-DD)");
		}
	}

	/**
	 * The accounts of a row: one column per platform ({@code whatsapp}, {@code slack},
	 * {@code teams}), several accounts in a cell separated by {@code ;}.
	 * @param cells the row
	 * @return the accounts in canonical form
	 * @throws IllegalArgumentException naming the first account not of its platform's
	 * form
	 */
	public static List<CustodianAccount> accounts(Cells cells) {
		List<CustodianAccount> accounts = new ArrayList<>();
		for (AccountPlatform platform : AccountPlatform.values()) {
			for (String raw : cells.optional(platform.key()).map((cell) -> cell.split(";")).orElse(new String[0])) {
				if (!raw.isBlank()) {
					accounts.add(CustodianAccount.of(platform, raw));
				}
			}
		}
		return accounts;
	}

	/**
	 * Turns one row into a value.
	 *
	 * @param <T> the value
	 */
	@FunctionalInterface
	public interface RowMapper<T> {

		/**
		 * Maps a row.
		 * @param cells the row's cells by column
		 * @return the value
		 * @throws IllegalArgumentException with the reason the row is bad
		 */
		T map(Cells cells);

	}

	/**
	 * The cells of one row, by lower-case column name.
	 */
	public static final class Cells {

		private final Map<String, String> cells = new java.util.HashMap<>();

		private final long line;

		Cells(CSVRecord record, long line) {
			record.toMap().forEach((column, value) -> this.cells.put(column.toLowerCase(Locale.ROOT), value));
			this.line = line;
		}

		/** The row's line number (from 1, the header being line 1). */
		public long line() {
			return this.line;
		}

		/**
		 * A cell that may be absent or empty.
		 * @param column the column
		 * @return its value, if the column exists and the cell is not empty
		 */
		public Optional<String> optional(String column) {
			return Optional.ofNullable(this.cells.get(column.toLowerCase(Locale.ROOT)))
				.map(String::trim)
				.filter((value) -> !value.isEmpty());
		}

		/**
		 * A cell that must have a value.
		 * @param column the column
		 * @return its value
		 * @throws IllegalArgumentException if it is empty
		 */
		public String required(String column) {
			return optional(column).orElseThrow(() -> new IllegalArgumentException(column + " is empty"));
		}

	}

	/**
	 * A row read.
	 *
	 * @param <T> its value
	 * @param line its line number
	 * @param value its value
	 * @param raw its text as in the file
	 */
	public record Row<T>(long line, T value, String raw) {
	}

	/**
	 * A row that could not be read.
	 *
	 * @param line its line number (1 for a problem of the whole file, such as its header)
	 * @param reason why
	 * @param raw its text as in the file
	 */
	public record BadRow(long line, String reason, String raw) {
	}

	/**
	 * What a file held.
	 *
	 * @param <T> the rows' values
	 * @param rows the rows read, in file order
	 * @param bad the rows that could not be read, in file order
	 */
	public record Parsed<T>(List<Row<T>> rows, List<BadRow> bad) {

		static <T> Parsed<T> wholeFile(Path file, long line, String reason, String raw) {
			return new Parsed<>(List.of(), List.of(new BadRow(line, reason, raw)));
		}

		/** Whether every row could be read. */
		public boolean wellFormed() {
			return this.bad.isEmpty();
		}

	}

	/** Line numbers of character positions, counted once forward. */
	private static final class LineCounter {

		private final String text;

		private int position;

		private long line = 1;

		LineCounter(String text) {
			this.text = text;
		}

		long lineAt(int target) {
			if (target < this.position) {
				this.position = 0;
				this.line = 1;
			}
			for (; this.position < target && this.position < this.text.length(); this.position++) {
				if (this.text.charAt(this.position) == '\n') {
					this.line++;
				}
			}
			return this.line;
		}

	}

}
