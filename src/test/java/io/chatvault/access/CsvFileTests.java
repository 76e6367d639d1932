package io.chatvault.access;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading the registry and HR files: every bad row named by its line and kept as it
 * stands, a broken quote or a bad header refusing the rest, a byte-order mark ignored.
 */
class CsvFileTests {

	@TempDir
	Path directory;

	@Test
	void badRowsAreNamedByLineAndKeptAsTheyStand() throws Exception {
		// given
		Path file = write("""
				\uFEFFid,name,group,whatsapp
				a1,Ann,sales,+4917012345678

				a2,"Bo, Jr.",sales,bad
				a3,Cy,sales
				""");

		// when
		CsvFile.Parsed<Custodian> parsed = RegistryCsv.read(file);

		// then
		assertThat(parsed.rows()).extracting((row) -> row.value().name()).containsExactly("Ann");
		assertThat(parsed.bad()).extracting(CsvFile.BadRow::line, CsvFile.BadRow::raw)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(4L, "a2,\"Bo, Jr.\",sales,bad"),
					org.assertj.core.groups.Tuple.tuple(5L, "a3,Cy,sales"));
		assertThat(parsed.bad().get(1).reason()).isEqualTo("expected 4 fields, found 3");
	}

	@Test
	void aBrokenQuoteRefusesTheRestOfTheFile() throws Exception {
		// given
		Path file = write("id,name,group\na1,Ann,sales\na2,\"Bo,sales\na3,Cy,sales\n");

		// when
		CsvFile.Parsed<Custodian> parsed = RegistryCsv.read(file);

		// then
		assertThat(parsed.wellFormed()).isFalse();
		assertThat(parsed.bad()).hasSize(1);
		assertThat(parsed.bad().get(0).line()).isEqualTo(3);
		assertThat(parsed.bad().get(0).reason()).startsWith("not CSV from here on");
	}

	@Test
	void aMissingOrUnknownColumnRefusesTheFileAtItsHeader() throws Exception {
		// given
		Path file = write("id,name,departement\na1,Ann,sales\n");

		// when
		CsvFile.Parsed<Custodian> parsed = CsvFile.read(file, RegistryCsv.REQUIRED, RegistryCsv.COLUMNS,
				(cells) -> null);

		// then
		assertThat(parsed.rows()).isEmpty();
		assertThat(parsed.bad()).singleElement().satisfies((bad) -> {
			assertThat(bad.line()).isEqualTo(1);
			assertThat(bad.reason()).startsWith("missing column(s) group; unknown column(s) departement");
		});
	}

	@Test
	void aFileThatIsNotUtf8IsRefused() throws Exception {
		// given
		Path file = this.directory.resolve("latin1.csv");
		Files.write(file, "id,name,group\na1,J\u00fcrgen,sales\n".getBytes(StandardCharsets.ISO_8859_1));

		// when
		CsvFile.Parsed<Custodian> parsed = CsvFile.read(file, Set.of("id"), RegistryCsv.COLUMNS, (cells) -> null);

		// then
		assertThat(parsed.bad()).singleElement()
			.extracting(CsvFile.BadRow::reason)
			.isEqualTo("the file is not UTF-8 text");
	}

	private Path write(String text) throws Exception {
		Path file = this.directory.resolve("file.csv");
		Files.writeString(file, text);
		return file;
	}

}
