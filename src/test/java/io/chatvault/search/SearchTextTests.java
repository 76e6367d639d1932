package io.chatvault.search;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Normalization and segmentation: the same units at archive time and at query time, in
 * every script.
 */
class SearchTextTests {

	@Test
	void latinIsCaseAndDiacriticFolded() {
		assertThat(words("Le Contrat est SIGNÉ à Zürich; Straße, ﬁnal café")).containsExactly("le", "contrat", "est",
				"signe", "a", "zurich", "strasse", "final", "cafe");
	}

	@Test
	void cyrillicKeepsItsLettersAndFoldsYo() {
		assertThat(words("Договор подписан; Ёлка, йогурт")).containsExactly("договор", "подписан", "елка", "йогурт");
	}

	@Test
	void arabicLosesVowelMarksAndTatweelAndUnifiesAlef() {
		assertThat(words("الْعَقْد العـقد أحمد إسلام")).containsExactly("العقد", "العقد", "احمد", "اسلام");
	}

	@Test
	void scriptsWithoutSpacesBecomeCharacters() {
		List<SearchText.Unit> units = SearchText.units("我们签合同 ok");
		assertThat(units).extracting(SearchText.Unit::text).containsExactly("我", "们", "签", "合", "同", "ok");
		assertThat(units).extracting(SearchText.Unit::spaceless).containsExactly(true, true, true, true, true, false);
		assertThat(SearchText.units("เราเซ็นสัญญา")).allMatch(SearchText.Unit::spaceless);
		assertThat(words("계약서를 보냈습니다")).containsExactly("계약서를", "보냈습니다");
	}

	@Test
	void asciiIsFoldedAsByTheNormalizationPasses() {
		// given every ASCII character, alone and in random strings
		StringBuilder all = new StringBuilder();
		for (char c = 0; c < 0x80; c++) {
			all.append(c);
			assertThat(SearchText.fold(String.valueOf(c))).isEqualTo(SearchText.foldUnicode(String.valueOf(c)));
		}
		java.util.SplittableRandom random = new java.util.SplittableRandom(3);
		for (int i = 0; i < 2000; i++) {
			char[] text = new char[random.nextInt(40)];
			for (int j = 0; j < text.length; j++) {
				text[j] = all.charAt(random.nextInt(all.length()));
			}
			String ascii = new String(text);

			// when the short path folds it, then it agrees with the full one
			assertThat(SearchText.fold(ascii)).isEqualTo(SearchText.foldUnicode(ascii));
		}
		assertThat(SearchText.fold("Contract SIGNED, O'Neill")).isEqualTo("contract signed, o'neill");
	}

	@Test
	void asciiWithEmojiIsFoldedAsByTheNormalizationPasses() {
		// given every code point of the pictograph blocks, alone, after and before ASCII
		// letters and marks' neighbours, and in random strings with ASCII
		String ascii = "aZ9 ,.'_e";
		for (int cp = SearchText.FIRST_PICTOGRAPH; cp <= SearchText.LAST_PICTOGRAPH; cp++) {
			String pictograph = new String(Character.toChars(cp));
			for (String text : List.of(pictograph, "E" + pictograph, pictograph + "A", pictograph + pictograph,
					"x" + pictograph + "y")) {
				// when the short path folds it, then it agrees with the full one
				assertThat(SearchText.fold(text)).as("U+%X in '%s'", cp, text).isEqualTo(SearchText.foldUnicode(text));
			}
		}
		java.util.SplittableRandom random = new java.util.SplittableRandom(5);
		for (int i = 0; i < 5000; i++) {
			StringBuilder text = new StringBuilder();
			for (int j = random.nextInt(30); j > 0; j--) {
				if (random.nextInt(4) == 0) {
					text.appendCodePoint(random.nextInt(SearchText.FIRST_PICTOGRAPH, SearchText.LAST_PICTOGRAPH + 1));
				}
				else {
					text.append(ascii.charAt(random.nextInt(ascii.length())));
				}
			}
			assertThat(SearchText.fold(text.toString())).isEqualTo(SearchText.foldUnicode(text.toString()));
		}
		// and what is not ASCII or a pictograph still takes the full path
		assertThat(SearchText.fold("Thanks 👍\uFE0F Tomás")).isEqualTo("thanks 👍 tomas");
		assertThat(SearchText.fold("ok \uD83D")).isEqualTo(SearchText.foldUnicode("ok \uD83D"));
	}

	@Test
	void wordsAreCutAsCharacterByCharacterBuilding() {
		// given random text of ASCII, inner punctuation, marks, scripts with and without
		// spaces, emoji and lone surrogates
		String[] alphabet = { "a", "Z", "9", "0", " ", "'", "’", ".", "_", ",", ":", "-", "\n", "é", "e\u0301", "ß",
				"я", "ё", "ل", "\u064E", "ـ", "我", "合", "ก", "\u0E31", "한", "👍", "\uFE0F", "\uD83D", "\uDC4D", "ﬁ",
				"Ⅻ", "١" };
		java.util.SplittableRandom random = new java.util.SplittableRandom(11);
		for (int i = 0; i < 20000; i++) {
			StringBuilder text = new StringBuilder();
			for (int j = random.nextInt(25); j > 0; j--) {
				text.append(alphabet[random.nextInt(alphabet.length)]);
			}

			// when
			List<SearchText.Unit> units = SearchText.units(text.toString());

			// then
			assertThat(units).as("'%s'", text).isEqualTo(referenceUnits(text.toString()));
		}
	}

	@Test
	void asciiTextIsCutAsByTheWordRules() {
		// given random ASCII text (and emoji), dense in the inner punctuation whose
		// segments decide the units: units() leaves out the word rules for such text when
		// no word can go on across a segment boundary
		String[] alphabet = { "a", "b", "Z", "1", "9", "0", " ", " ", "'", ".", ".", "_", ",", ":", ";", "-", "!", "?",
				"/", "@", "#", "%", "\n", "\t", "👍", "🎉" };
		java.util.SplittableRandom random = new java.util.SplittableRandom(29);
		int fast = 0;
		for (int i = 0; i < 100000; i++) {
			StringBuilder text = new StringBuilder();
			for (int j = random.nextInt(40); j > 0; j--) {
				text.append(alphabet[random.nextInt(alphabet.length)]);
			}
			if (!SearchText.joinsAcrossPunctuation(text.toString().toLowerCase(java.util.Locale.ROOT))) {
				fast++;
			}

			// when
			List<SearchText.Unit> units = SearchText.units(text.toString());

			// then
			assertThat(units).as("'%s'", text).isEqualTo(referenceUnits(text.toString()));
		}
		// both ways were taken often
		assertThat(fast).isGreaterThan(20000);
		assertThat(100000 - fast).isGreaterThan(5000);
		// and the words of chat: contractions, abbreviations, decimals, addresses
		for (String text : new String[] { "don't it's o'neill", "e.g. i.e. a.m.", "3.14 1.2.3 10:30 12% 1,000",
				"www.example.com a.b.c", "a.1 1.a a'1 a_b a..b a'.b _a a_ 1_2", "ok. ok.. 'quoted' 'a'b'" }) {
			assertThat(SearchText.units(text)).as("'%s'", text).isEqualTo(referenceUnits(text));
		}
	}

	/**
	 * The units as segments cut into words by building each word character by character.
	 */
	private static List<SearchText.Unit> referenceUnits(String text) {
		List<SearchText.Unit> units = new java.util.ArrayList<>();
		if (text.isEmpty()) {
			return units;
		}
		String folded = SearchText.fold(text);
		java.text.BreakIterator words = java.text.BreakIterator.getWordInstance(java.util.Locale.ROOT);
		words.setText(folded);
		int start = words.first();
		for (int end = words.next(); end != java.text.BreakIterator.DONE; start = end, end = words.next()) {
			String segment = folded.substring(start, end);
			StringBuilder word = new StringBuilder();
			boolean letters = false;
			for (int i = 0; i < segment.length();) {
				int cp = segment.codePointAt(i);
				i += Character.charCount(cp);
				if (SearchText.spaceless(cp)) {
					referenceFlush(word, letters, units);
					word.setLength(0);
					letters = false;
					units.add(new SearchText.Unit(new String(Character.toChars(cp)), true));
				}
				else if (Character.isLetterOrDigit(cp) || referenceMark(cp)) {
					word.appendCodePoint(cp);
					letters = true;
				}
				else if (letters && (cp == '\'' || cp == '’' || cp == '.' || cp == '_')) {
					word.appendCodePoint(cp);
				}
				else {
					referenceFlush(word, letters, units);
					word.setLength(0);
					letters = false;
				}
			}
			referenceFlush(word, letters, units);
		}
		return units;
	}

	private static void referenceFlush(StringBuilder word, boolean letters, List<SearchText.Unit> units) {
		if (!letters) {
			return;
		}
		int end = word.length();
		while (end > 0 && !Character.isLetterOrDigit(word.codePointBefore(end))
				&& !referenceMark(word.codePointBefore(end))) {
			end -= Character.charCount(word.codePointBefore(end));
		}
		if (end > 0) {
			units.add(new SearchText.Unit(word.substring(0, end), false));
		}
	}

	private static boolean referenceMark(int cp) {
		int type = Character.getType(cp);
		return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
				|| type == Character.ENCLOSING_MARK;
	}

	@Test
	void wordsKeepInnerApostrophesAndNumbers() {
		assertThat(words("O'Neill paid 3.14 at 10:30.")).containsExactly("o'neill", "paid", "3.14", "at", "10", "30");
	}

	@Test
	void phrasesMatchOnlyInOrderAndPrefixesOnlyAtTheStart() {
		List<List<SearchText.Unit>> fields = List.of(SearchText.units("sell before Friday"), SearchText.units("我们签合同"));
		assertThat(SearchQuery.parse("\"sell before friday\"").matches(fields)).isTrue();
		assertThat(SearchQuery.parse("\"friday before\"").matches(fields)).isFalse();
		assertThat(SearchQuery.parse("befo*").matches(fields)).isTrue();
		assertThat(SearchQuery.parse("efor*").matches(fields)).isFalse();
		assertThat(SearchQuery.parse("合同 AND NOT 合约").matches(fields)).isTrue();
		assertThat(SearchQuery.parse("同合").matches(fields)).isFalse();
		assertThat(SearchQuery.parse("(friday OR monday) -tuesday").matches(fields)).isTrue();
	}

	@Test
	void malformedQueriesSayWhatIsWrong() {
		assertThatIllegalArgumentException().isThrownBy(() -> SearchQuery.parse("\"open"))
			.withMessageContaining("quote");
		assertThatIllegalArgumentException().isThrownBy(() -> SearchQuery.parse("(a OR b")).withMessageContaining("(");
		assertThatIllegalArgumentException().isThrownBy(() -> SearchQuery.parse("NOT a"))
			.withMessageContaining("not negated");
		assertThatIllegalArgumentException().isThrownBy(() -> SearchQuery.parse("a OR")).withMessageContaining("ends");
		assertThatIllegalArgumentException().isThrownBy(() -> SearchQuery.parse("!!!"))
			.withMessageContaining("no letters");
	}

	private static List<String> words(String text) {
		return SearchText.units(text).stream().map(SearchText.Unit::text).toList();
	}

}
