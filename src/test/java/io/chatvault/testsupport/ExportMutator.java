package io.chatvault.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A seeded mutator of exports for fuzz runs: knows the zip structure (local headers,
 * central directory records, the end record) and changes their fields (sizes, CRCs,
 * methods, flags, offsets, name lengths), their names (duplicates, traversal, NUL,
 * backslashes), cuts archives at a header, and flips bytes; for text it changes line
 * endings (LF, CR LF, lone CR), years, header fields and JSON keys (duplicated, renamed).
 * The same seed gives the same mutations, so a failing case is replayed by its seed.
 */
public final class ExportMutator {

	private static final byte[] LOCAL = { 'P', 'K', 3, 4 };

	private static final byte[] CENTRAL = { 'P', 'K', 1, 2 };

	private static final byte[] END = { 'P', 'K', 5, 6 };

	private final Random random;

	private final List<String> applied = new ArrayList<>();

	public ExportMutator(long seed) {
		this.random = new Random(seed);
	}

	/** What the last calls changed, for the failure message of a case. */
	public List<String> applied() {
		return List.copyOf(this.applied);
	}

	/**
	 * Mutates a zip archive's structure 1 to 3 times.
	 * @param zip the archive
	 * @return a mutated copy
	 */
	public byte[] zip(byte[] zip) {
		byte[] bytes = zip.clone();
		int mutations = 1 + this.random.nextInt(3);
		for (int i = 0; i < mutations; i++) {
			bytes = zipOnce(bytes);
		}
		return bytes;
	}

	private byte[] zipOnce(byte[] bytes) {
		List<Integer> locals = find(bytes, LOCAL);
		List<Integer> centrals = find(bytes, CENTRAL);
		List<Integer> ends = find(bytes, END);
		int kind = this.random.nextInt(10);
		if (kind <= 3 && !centrals.isEmpty()) {
			int at = pick(centrals);
			int[][] fields = { { 8, 2 }, { 10, 2 }, { 16, 4 }, { 20, 4 }, { 24, 4 }, { 28, 2 }, { 30, 2 }, { 42, 4 } };
			int[] field = fields[this.random.nextInt(fields.length)];
			return field(bytes, at, field, "central");
		}
		if (kind <= 5 && !locals.isEmpty()) {
			int at = pick(locals);
			int[][] fields = { { 6, 2 }, { 8, 2 }, { 14, 4 }, { 18, 4 }, { 22, 4 }, { 26, 2 }, { 28, 2 } };
			int[] field = fields[this.random.nextInt(fields.length)];
			return field(bytes, at, field, "local");
		}
		if (kind == 6 && centrals.size() + locals.size() > 0) {
			return name(bytes, centrals, locals);
		}
		if (kind == 7 && !ends.isEmpty()) {
			int at = ends.get(ends.size() - 1);
			int[][] fields = { { 8, 2 }, { 10, 2 }, { 12, 4 }, { 16, 4 }, { 20, 2 } };
			return field(bytes, at, fields[this.random.nextInt(fields.length)], "end");
		}
		if (kind == 8) {
			List<Integer> all = new ArrayList<>(locals);
			all.addAll(centrals);
			all.addAll(ends);
			int at = all.isEmpty() ? this.random.nextInt(bytes.length + 1) : pick(all) + this.random.nextInt(8);
			at = Math.min(at, bytes.length);
			this.applied.add("cut at " + at + " of " + bytes.length);
			return Arrays.copyOf(bytes, at);
		}
		int flips = 1 + this.random.nextInt(4);
		for (int i = 0; i < flips && bytes.length > 0; i++) {
			int at = this.random.nextInt(bytes.length);
			bytes[at] = (byte) this.random.nextInt(256);
			this.applied.add("byte " + at + " set");
		}
		return bytes;
	}

	private byte[] field(byte[] bytes, int header, int[] field, String where) {
		int offset = header + field[0];
		if (offset + field[1] > bytes.length) {
			return bytes;
		}
		long old = read(bytes, offset, field[1]);
		long value = switch (this.random.nextInt(5)) {
			case 0 -> 0;
			case 1 -> (field[1] == 2) ? 0xFFFF : 0xFFFFFFFFL;
			case 2 -> old + 1;
			case 3 -> Math.max(0, old - 1 - this.random.nextInt(16));
			default -> this.random.nextLong() & ((field[1] == 2) ? 0xFFFF : 0xFFFFFFFFL);
		};
		write(bytes, offset, field[1], value);
		this.applied.add(where + " header at " + header + " +" + field[0] + ": " + old + " -> " + value);
		return bytes;
	}

	private byte[] name(byte[] bytes, List<Integer> centrals, List<Integer> locals) {
		boolean central = !centrals.isEmpty() && (locals.isEmpty() || this.random.nextBoolean());
		int header = central ? pick(centrals) : pick(locals);
		int lengthAt = header + (central ? 28 : 26);
		int nameAt = header + (central ? 46 : 30);
		if (lengthAt + 2 > bytes.length) {
			return bytes;
		}
		int length = (int) read(bytes, lengthAt, 2);
		if (length == 0 || nameAt + length > bytes.length) {
			return bytes;
		}
		String[] replacements = { "_chat.txt", "../_chat.txt", "/etc/passwd", "a\\b.txt", "x\u0000y", "./_chat.txt",
				"users.json", "channels.json" };
		byte[] replacement = replacements[this.random.nextInt(replacements.length)].getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < length; i++) {
			bytes[nameAt + i] = (i < replacement.length) ? replacement[i] : (byte) '_';
		}
		this.applied.add((central ? "central" : "local") + " name at " + header + " -> "
				+ new String(bytes, nameAt, length, StandardCharsets.ISO_8859_1));
		return bytes;
	}

	/**
	 * Mutates a text export 1 to 3 times: line endings, a year, a header field, a JSON
	 * key duplicated or renamed, a line cut or repeated.
	 * @param text the export's bytes
	 * @return a mutated copy
	 */
	public byte[] text(byte[] text) {
		String s = new String(text, StandardCharsets.UTF_8);
		int mutations = 1 + this.random.nextInt(3);
		for (int i = 0; i < mutations; i++) {
			s = textOnce(s);
		}
		return s.getBytes(StandardCharsets.UTF_8);
	}

	private String textOnce(String s) {
		if (s.isEmpty()) {
			return s;
		}
		int at = this.random.nextInt(s.length());
		switch (this.random.nextInt(8)) {
			case 0 -> {
				String ending = new String[] { "\r", "\r\n", "\n", "\n\r", "" }[this.random.nextInt(5)];
				this.applied.add("line endings -> " + ending.replace("\r", "CR").replace("\n", "LF"));
				return s.replace("\r\n", "\n").replace("\n", ending.isEmpty() ? " " : ending);
			}
			case 1 -> {
				String year = new String[] { "2565", "9999", "0000", "1970", "2024" }[this.random.nextInt(5)];
				this.applied.add("year 2024 -> " + year + " from " + at);
				return s.substring(0, at) + s.substring(at).replaceFirst("2024", year);
			}
			case 2 -> {
				int colon = s.indexOf("\":", at);
				int quote = (colon > 0) ? s.lastIndexOf('"', colon - 1) : -1;
				if (quote < 0) {
					return s;
				}
				String key = s.substring(quote, colon + 2);
				int valueEnd = s.indexOf(',', colon);
				if (valueEnd < 0) {
					return s;
				}
				String pair = s.substring(quote, valueEnd + 1);
				this.applied.add("duplicated " + key);
				return s.substring(0, valueEnd + 1) + pair + s.substring(valueEnd + 1);
			}
			case 3 -> {
				this.applied.add("cut at " + at);
				return s.substring(0, at);
			}
			case 4 -> {
				int start = Math.max(0, s.lastIndexOf('\n', at));
				int end = s.indexOf('\n', at);
				String line = s.substring(start, (end < 0) ? s.length() : end);
				this.applied.add("line repeated at " + start);
				return s.substring(0, start) + line + line + s.substring(start);
			}
			case 5 -> {
				String[] swaps = { ":", "/", ",", "\"", "{", "[", "-", " " };
				String swap = swaps[this.random.nextInt(swaps.length)];
				this.applied.add("char " + at + " -> " + swap);
				return s.substring(0, at) + swap + s.substring(at + 1);
			}
			case 6 -> {
				this.applied.add("NUL at " + at);
				return s.substring(0, at) + "\u0000" + s.substring(at);
			}
			default -> {
				this.applied.add("UTF-16 text");
				return new String(s.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1);
			}
		}
	}

	private int pick(List<Integer> offsets) {
		return offsets.get(this.random.nextInt(offsets.size()));
	}

	private static List<Integer> find(byte[] bytes, byte[] signature) {
		List<Integer> found = new ArrayList<>();
		for (int i = 0; i + signature.length <= bytes.length; i++) {
			if (bytes[i] == signature[0] && bytes[i + 1] == signature[1] && bytes[i + 2] == signature[2]
					&& bytes[i + 3] == signature[3]) {
				found.add(i);
			}
		}
		return found;
	}

	private static long read(byte[] bytes, int offset, int length) {
		long value = 0;
		for (int i = length - 1; i >= 0; i--) {
			value = (value << 8) | (bytes[offset + i] & 0xFF);
		}
		return value;
	}

	private static void write(byte[] bytes, int offset, int length, long value) {
		for (int i = 0; i < length; i++) {
			bytes[offset + i] = (byte) (value >>> (8 * i));
		}
	}

}
