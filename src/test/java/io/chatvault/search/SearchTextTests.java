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
