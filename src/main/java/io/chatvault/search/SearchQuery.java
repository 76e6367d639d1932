package io.chatvault.search;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A parsed search query: terms ({@code contract}), phrases
 * ({@code "sell before friday"}), prefixes ({@code contr*}), {@code AND} (also implied
 * between terms), {@code OR}, {@code NOT} (or a leading {@code -}) and parentheses.
 * Operators are upper case; {@code AND} binds tighter than {@code OR}. A term or phrase
 * matches a field of a record when its units follow each other in that field (a word
 * equal, a prefix's last word starting with it); in scripts without spaces a term matches
 * wherever its characters follow each other.
 */
public sealed interface SearchQuery {

	/**
	 * Whether a record's fields match, checked on its decrypted text.
	 * @param fields the record's fields as units
	 * @return whether it matches
	 */
	boolean matches(List<List<SearchText.Unit>> fields);

	/**
	 * The query with each term replaced by its audit name: what the audit log and the
	 * drill tables keep, so that no term is stored in clear.
	 * @param tokens the tokens
	 * @return the redacted query
	 */
	String redacted(SearchTokens tokens);

	/**
	 * A term or phrase.
	 *
	 * @param text as typed
	 * @param units its units
	 * @param prefix whether its last word is a prefix
	 */
	record Match(String text, List<SearchText.Unit> units, boolean prefix) implements SearchQuery {

		@Override
		public boolean matches(List<List<SearchText.Unit>> fields) {
			for (List<SearchText.Unit> field : fields) {
				for (int start = 0; start + this.units.size() <= field.size(); start++) {
					if (matchesAt(field, start)) {
						return true;
					}
				}
			}
			return false;
		}

		private boolean matchesAt(List<SearchText.Unit> field, int start) {
			for (int i = 0; i < this.units.size(); i++) {
				SearchText.Unit wanted = this.units.get(i);
				SearchText.Unit found = field.get(start + i);
				boolean last = i == this.units.size() - 1;
				boolean same = (last && this.prefix && !wanted.spaceless())
						? found.text().startsWith(wanted.text()) && !found.spaceless() : found.equals(wanted);
				if (!same) {
					return false;
				}
			}
			return true;
		}

		@Override
		public String redacted(SearchTokens tokens) {
			String folded = this.units.stream().map(SearchText.Unit::text).collect(Collectors.joining(" "));
			return "t:" + tokens.auditName(folded + (this.prefix ? "*" : "")) + (this.prefix ? "*" : "");
		}

	}

	/**
	 * Every part matches.
	 *
	 * @param parts the parts
	 */
	record And(List<SearchQuery> parts) implements SearchQuery {

		@Override
		public boolean matches(List<List<SearchText.Unit>> fields) {
			return this.parts.stream().allMatch((part) -> part.matches(fields));
		}

		@Override
		public String redacted(SearchTokens tokens) {
			return "(" + this.parts.stream().map((p) -> p.redacted(tokens)).collect(Collectors.joining(" AND ")) + ")";
		}

	}

	/**
	 * Any part matches.
	 *
	 * @param parts the parts
	 */
	record Or(List<SearchQuery> parts) implements SearchQuery {

		@Override
		public boolean matches(List<List<SearchText.Unit>> fields) {
			return this.parts.stream().anyMatch((part) -> part.matches(fields));
		}

		@Override
		public String redacted(SearchTokens tokens) {
			return "(" + this.parts.stream().map((p) -> p.redacted(tokens)).collect(Collectors.joining(" OR ")) + ")";
		}

	}

	/**
	 * The part does not match.
	 *
	 * @param part the part
	 */
	record Not(SearchQuery part) implements SearchQuery {

		@Override
		public boolean matches(List<List<SearchText.Unit>> fields) {
			return !this.part.matches(fields);
		}

		@Override
		public String redacted(SearchTokens tokens) {
			return "NOT " + this.part.redacted(tokens);
		}

	}

	/**
	 * Parses a query.
	 * @param text the query as typed
	 * @return the query
	 * @throws IllegalArgumentException naming what is wrong and where
	 */
	static SearchQuery parse(String text) {
		return new Parser(text).parse();
	}

	/** Recursive descent over the lexed query. */
	final class Parser {

		private final String text;

		private final List<String> lexemes = new ArrayList<>();

		private int next;

		Parser(String text) {
			this.text = text;
			lex();
		}

		private void lex() {
			int i = 0;
			while (i < this.text.length()) {
				char c = this.text.charAt(i);
				if (Character.isWhitespace(c)) {
					i++;
				}
				else if (c == '(' || c == ')') {
					this.lexemes.add(String.valueOf(c));
					i++;
				}
				else if (c == '"') {
					int end = this.text.indexOf('"', i + 1);
					if (end < 0) {
						throw new IllegalArgumentException("the phrase starting at character " + (i + 1)
								+ " of the query has no closing quote: " + this.text);
					}
					this.lexemes.add(this.text.substring(i, end + 1));
					i = end + 1;
				}
				else {
					int end = i;
					while (end < this.text.length() && !Character.isWhitespace(this.text.charAt(end))
							&& "()\"".indexOf(this.text.charAt(end)) < 0) {
						end++;
					}
					this.lexemes.add(this.text.substring(i, end));
					i = end;
				}
			}
		}

		SearchQuery parse() {
			if (this.lexemes.isEmpty()) {
				throw new IllegalArgumentException("the query is empty");
			}
			SearchQuery query = or();
			if (this.next < this.lexemes.size()) {
				throw new IllegalArgumentException(
						"unexpected '" + this.lexemes.get(this.next) + "' in the query: " + this.text);
			}
			if (!positive(query)) {
				throw new IllegalArgumentException("the query needs at least one term that is not negated "
						+ "(NOT alone would read the whole archive): " + this.text);
			}
			return query;
		}

		private static boolean positive(SearchQuery query) {
			if (query instanceof And and) {
				return and.parts().stream().anyMatch(Parser::positive);
			}
			if (query instanceof Or or) {
				return or.parts().stream().allMatch(Parser::positive);
			}
			return query instanceof Match;
		}

		private SearchQuery or() {
			List<SearchQuery> parts = new ArrayList<>();
			parts.add(and());
			while (peek("OR")) {
				this.next++;
				parts.add(and());
			}
			return (parts.size() == 1) ? parts.get(0) : new Or(parts);
		}

		private SearchQuery and() {
			List<SearchQuery> parts = new ArrayList<>();
			parts.add(not());
			while (this.next < this.lexemes.size() && !peek("OR") && !peek(")")) {
				if (peek("AND")) {
					this.next++;
				}
				parts.add(not());
			}
			return (parts.size() == 1) ? parts.get(0) : new And(parts);
		}

		private SearchQuery not() {
			if (peek("NOT")) {
				this.next++;
				return new Not(not());
			}
			String lexeme = current();
			if (lexeme.length() > 1 && lexeme.startsWith("-")) {
				this.lexemes.set(this.next, lexeme.substring(1));
				return new Not(atom());
			}
			return atom();
		}

		private SearchQuery atom() {
			String lexeme = current();
			this.next++;
			if (lexeme.equals("(")) {
				SearchQuery inner = or();
				if (!peek(")")) {
					throw new IllegalArgumentException("a '(' in the query is not closed: " + this.text);
				}
				this.next++;
				return inner;
			}
			if (lexeme.equals(")") || lexeme.equals("AND") || lexeme.equals("OR")) {
				throw new IllegalArgumentException("expected a term where '" + lexeme + "' is: " + this.text);
			}
			boolean phrase = lexeme.startsWith("\"");
			String body = phrase ? lexeme.substring(1, lexeme.length() - 1) : lexeme;
			boolean prefix = !phrase && body.endsWith("*");
			if (prefix) {
				body = body.substring(0, body.length() - 1);
			}
			List<SearchText.Unit> units = SearchText.units(body);
			if (units.isEmpty()) {
				throw new IllegalArgumentException(
						"'" + lexeme + "' has no letters or digits to search for: " + this.text);
			}
			return new Match(lexeme, units, prefix);
		}

		private String current() {
			if (this.next >= this.lexemes.size()) {
				throw new IllegalArgumentException("the query ends where a term was expected: " + this.text);
			}
			return this.lexemes.get(this.next);
		}

		private boolean peek(String lexeme) {
			return this.next < this.lexemes.size() && this.lexemes.get(this.next).equals(lexeme);
		}

	}

}
