package io.chatvault.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;
import java.util.stream.LongStream;

import io.chatvault.message.Attachment;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Edit;

/**
 * What is searchable in a record and the tokens stored for it. The searchable text of a
 * record is its fields: the body, each earlier body of its edits, each attachment name,
 * the author's name and a system event's detail. Each word gives a token of the word and
 * tokens of its first {@code prefix-lengths} characters (for prefix queries); each
 * character of a script without spaces gives a token of itself and of the pair it makes
 * with the character before it.
 */
public class SearchTokens {

	private final SearchKey key;

	private final int[] prefixLengths;

	/** Distinct author names a thread keeps the tokens of before it starts over. */
	static final int CACHED_AUTHORS = 4_096;

	private static final long[] NONE = {};

	private final ThreadLocal<Map<String, long[]>> authors = ThreadLocal.withInitial(HashMap::new);

	private final ThreadLocal<Map<String, long[]>> words = ThreadLocal.withInitial(HashMap::new);

	public SearchTokens(SearchKey key, List<Integer> prefixLengths) {
		this.key = key;
		this.prefixLengths = prefixLengths.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
	}

	/**
	 * The searchable fields of a record, as units.
	 * @param record the record
	 * @return one list of units per field
	 */
	public static List<List<SearchText.Unit>> fields(ChatRecord record) {
		List<List<SearchText.Unit>> fields = new ArrayList<>();
		searchable(record, (text) -> add(fields, text), (name) -> add(fields, name));
		return fields;
	}

	/**
	 * Walks the searchable fields of a record in one order, for both the units and the
	 * tokens, so that the two cannot come to disagree on what is searchable.
	 * @param record the record
	 * @param text what is done with each text field
	 * @param author what is done with the author's display name
	 */
	private static void searchable(ChatRecord record, Consumer<String> text, Consumer<String> author) {
		text.accept(record.body());
		for (Edit edit : record.edits()) {
			text.accept(edit.previousBody());
		}
		for (Attachment attachment : record.attachments()) {
			text.accept(attachment.name());
		}
		if (record.author() != null) {
			author.accept(record.author().displayName());
		}
		if (record.event() != null) {
			text.accept(record.event().detail());
		}
	}

	private static void add(List<List<SearchText.Unit>> fields, String text) {
		List<SearchText.Unit> units = SearchText.units(text);
		if (!units.isEmpty()) {
			fields.add(units);
		}
	}

	/**
	 * The distinct tokens of a record, sorted.
	 * @param record the record
	 * @return its tokens
	 */
	public long[] tokens(ChatRecord record) {
		Collected tokens = new Collected();
		searchable(record, (text) -> add(tokens, text), (name) -> tokens.addAll(authorTokens(name)));
		return sortedDistinct(tokens.values, tokens.size);
	}

	/**
	 * The tokens of an author's name: the same few names sign every record of a chat, so
	 * a thread keeps the tokens of the names it met lately instead of folding, segmenting
	 * and looking up each name again (a name's tokens depend on nothing else: a field's
	 * characters pair up only within the field).
	 */
	private long[] authorTokens(String name) {
		if (name == null || name.isEmpty()) {
			return NONE;
		}
		Map<String, long[]> names = this.authors.get();
		long[] cached = names.get(name);
		if (cached == null) {
			Collected tokens = new Collected();
			add(tokens, name);
			cached = Arrays.copyOf(tokens.values, tokens.size);
			if (names.size() >= CACHED_AUTHORS) {
				names.clear();
			}
			names.put(name, cached);
		}
		return cached;
	}

	private void add(Collected tokens, String text) {
		SearchText.Unit previous = null;
		for (SearchText.Unit unit : SearchText.units(text)) {
			tokens.ensure(2 + this.prefixLengths.length);
			if (unit.spaceless()) {
				tokens.add(this.key.token('c', unit.text()));
				if (previous != null && previous.spaceless()) {
					tokens.add(this.key.token('c', previous.text() + unit.text()));
				}
			}
			else {
				tokens.addAll(wordTokens(unit.text()));
			}
			previous = unit;
		}
	}

	/**
	 * A word's token and its prefixes' tokens: chat repeats its words so often that a
	 * thread keeps them together, one look-up per word instead of one per token and no
	 * prefix cut out again.
	 */
	private long[] wordTokens(String word) {
		Map<String, long[]> cache = this.words.get();
		long[] cached = cache.get(word);
		if (cached != null) {
			return cached;
		}
		int length = word.codePointCount(0, word.length());
		long[] tokens = new long[1 + this.prefixLengths.length];
		int n = 0;
		tokens[n++] = this.key.token('w', word);
		for (int prefix : this.prefixLengths) {
			if (length >= prefix) {
				tokens[n++] = this.key.token('p', prefix(word, prefix));
			}
		}
		cached = (n == tokens.length) ? tokens : Arrays.copyOf(tokens, n);
		if (cache.size() >= SearchKey.CACHED_TERMS) {
			cache.clear();
		}
		cache.put(word, cached);
		return cached;
	}

	/** Tokens as they are collected, duplicates included. */
	private static final class Collected {

		long[] values = new long[64];

		int size;

		void ensure(int more) {
			if (this.size + more > this.values.length) {
				this.values = Arrays.copyOf(this.values, Math.max(this.values.length * 2, this.size + more));
			}
		}

		void add(long token) {
			this.values[this.size++] = token;
		}

		void addAll(long[] tokens) {
			ensure(tokens.length);
			System.arraycopy(tokens, 0, this.values, this.size, tokens.length);
			this.size += tokens.length;
		}

	}

	private static long[] sortedDistinct(long[] tokens, int n) {
		Arrays.sort(tokens, 0, n);
		int distinct = 0;
		for (int i = 0; i < n; i++) {
			if (distinct == 0 || tokens[i] != tokens[distinct - 1]) {
				tokens[distinct++] = tokens[i];
			}
		}
		return Arrays.copyOf(tokens, distinct);
	}

	/**
	 * The tokens a record must have to match a query term: a superset test, never a false
	 * negative (the record is checked against the term after decryption).
	 * @param units the term's units
	 * @param prefix whether the last unit is a prefix
	 * @return the tokens, all of which a matching record has
	 * @throws IllegalArgumentException for a prefix shorter than the shortest prefix
	 * length
	 */
	public long[] required(List<SearchText.Unit> units, boolean prefix) {
		LongStream.Builder tokens = LongStream.builder();
		for (int i = 0; i < units.size(); i++) {
			SearchText.Unit unit = units.get(i);
			boolean last = i == units.size() - 1;
			if (unit.spaceless()) {
				boolean previousSpaceless = i > 0 && units.get(i - 1).spaceless();
				boolean nextSpaceless = !last && units.get(i + 1).spaceless();
				if (previousSpaceless) {
					tokens.add(this.key.token('c', units.get(i - 1).text() + unit.text()));
				}
				else if (!nextSpaceless) {
					tokens.add(this.key.token('c', unit.text()));
				}
			}
			else if (last && prefix) {
				int length = unit.text().codePointCount(0, unit.text().length());
				int usable = 0;
				for (int candidate : this.prefixLengths) {
					if (candidate <= length) {
						usable = candidate;
					}
				}
				if (usable == 0) {
					throw new IllegalArgumentException("a prefix needs at least " + this.prefixLengths[0]
							+ " characters: '" + unit.text() + "*' is too short");
				}
				tokens.add(this.key.token('p', prefix(unit.text(), usable)));
			}
			else {
				tokens.add(this.key.token('w', unit.text()));
			}
		}
		return tokens.build().sorted().distinct().toArray();
	}

	/**
	 * The token naming a query term in the audit log (its own domain, so it links to no
	 * stored token).
	 * @param folded the folded term
	 * @return the token as 16 hex digits
	 */
	public String auditName(String folded) {
		return String.format("%016x", this.key.token('q', folded));
	}

	private static String prefix(String text, int codePoints) {
		return text.substring(0, text.offsetByCodePoints(0, codePoints));
	}

}
