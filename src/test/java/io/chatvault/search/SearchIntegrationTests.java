package io.chatvault.search;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.chatvault.access.AccessFixture;
import io.chatvault.audit.AuditEvent;
import io.chatvault.cli.ExitCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search over migrated exports in several scripts finds exactly what a full
 * decrypt-and-scan finds; the command is authorized and audited; the database holds no
 * message text and no searched term in clear.
 */
class SearchIntegrationTests {

	@TempDir
	static Path home;

	@TempDir
	static Path exports;

	static SearchFixture fixture;

	@BeforeAll
	static void archive() throws IOException {
		fixture = new SearchFixture(home, exports);
	}

	@AfterAll
	static void close() {
		fixture.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "signe", "SIGNÉ", "zurich", "strasse", "creme brulee", "contract", "contract*", "contr*",
			"договор", "елка", "ёлка", "合同", "签合同", "契約", "계약서를", "العقد", "توقيع", "สัญญา", "\"signé à zürich\"",
			"\"sell before friday\"", "contrat NOT zürich", "договор OR 合同", "(contract OR contrat) AND signé",
			"-paris contrat", "alice", "Морган OR ravi" })
	void searchFindsWhatAFullScanFinds(String query) {
		// when
		Set<String> searched = fixture.search(query, Search.Filters.NONE);
		Set<String> scanned = fixture.scan(query, Search.Filters.NONE);

		// then
		assertThat(searched).as(query).isEqualTo(scanned);
		if (!query.equals("Морган OR ravi")) {
			assertThat(searched).as(query).isNotEmpty();
		}
	}

	@Test
	void foldingSegmentationAndPhrasesFindTheExpectedLines() {
		assertThat(fixture.bodies(fixture.search("signe", Search.Filters.NONE)))
			.containsExactlyInAnyOrder("Le contrat est signé à Zürich demain", "Le contrat de Paris n'est pas signé");
		assertThat(fixture.bodies(fixture.search("contract", Search.Filters.NONE)))
			.containsExactlyInAnyOrder("CONTRACT renewal is due", "The contract with Northwind is signed");
		assertThat(fixture.bodies(fixture.search("contract*", Search.Filters.NONE))).hasSize(3);
		assertThat(fixture.bodies(fixture.search("合同", Search.Filters.NONE))).containsExactlyInAnyOrder("我们明天签合同",
				"合同已经签了");
		assertThat(fixture.bodies(fixture.search("елка", Search.Filters.NONE))).containsExactly("Ёлка стоит в офисе");
		assertThat(fixture.bodies(fixture.search("العقد", Search.Filters.NONE)))
			.containsExactlyInAnyOrder("تم توقيع الْعَقْد اليوم", "العقد جاهز للتوقيع");
		// the words of a phrase in another order are candidates, never hits
		assertThat(fixture.bodies(fixture.search("\"sell before friday\"", Search.Filters.NONE)))
			.containsExactly("sell before friday, the numbers are bad");
		assertThat(fixture.bodies(fixture.search("sell before friday", Search.Filters.NONE))).hasSize(2);
	}

	@Test
	void filtersByCustodianDateAndKind() {
		Search.Filters in2024 = Search.Filters.NONE.between(Instant.parse("2024-01-01T00:00:00Z"),
				Instant.parse("2025-01-01T00:00:00Z"));
		assertThat(fixture.bodies(fixture.search("contract OR 合同 OR договор", in2024)))
			.containsExactlyInAnyOrder("CONTRACT renewal is due", "我们明天签合同", "Договор подписан вчера вечером");
		assertThat(fixture.search("contract OR 合同 OR договор", Search.Filters.NONE.forCustodians(Set.of("bob"))))
			.isEqualTo(fixture.scan("contract OR 合同 OR договор", Search.Filters.NONE.forCustodians(Set.of("bob"))))
			.hasSize(3);
		Search.Filters edits = new Search.Filters(Set.of(), Set.of(), Set.of(),
				Set.of(io.chatvault.message.RecordKind.EDIT), Optional.empty(), Optional.empty());
		assertThat(fixture.search("contract", edits)).isEmpty();
	}

	@Test
	void theCommandIsAuthorizedLimitedToTheGrantAndAudited() {
		// given
		long before = fixture.access.lastSequence();

		// when
		AccessFixture.Cli all = fixture.access.cli(fixture.compliance, "search", "合同", "--json");
		AccessFixture.Cli bobs = fixture.access.cli(fixture.bobEmployee, "search", "合同");
		AccessFixture.Cli denied = fixture.access.cli(fixture.bobEmployee, "search", "合同", "--custodian", "alice");
		AccessFixture.Cli anonymous = fixture.access.cli(null, "search", "合同");

		// then
		assertThat(all.code()).as(all.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(all.out()).contains("我们明天签合同").contains("合同已经签了").contains("\"complete\" : true");
		assertThat(bobs.code()).isEqualTo(ExitCode.COMPLETED);
		assertThat(bobs.out()).contains("合同已经签了").doesNotContain("我们明天签合同").contains("1 hit(s)");
		assertThat(denied.code()).isEqualTo(ExitCode.ACCESS_DENIED);
		assertThat(anonymous.code()).isEqualTo(ExitCode.ACCESS_DENIED);
		List<AuditEvent> reads = fixture.access.entriesAfter(before, "content.read");
		assertThat(reads).anySatisfy((entry) -> {
			assertThat(entry.outcome()).isEqualTo("success");
			assertThat(String.valueOf(entry.details().get("records"))).isEqualTo("2");
			assertThat(String.valueOf(entry.details().get("query"))).startsWith("search t:").doesNotContain("合同");
		});
	}

	@Test
	void badQueriesAreUsageErrors() {
		assertThat(fixture.access.cli(fixture.compliance, "search", "\"unclosed").code()).isEqualTo(ExitCode.USAGE);
		assertThat(fixture.access.cli(fixture.compliance, "search", "NOT", "contract").code())
			.isEqualTo(ExitCode.USAGE);
		assertThat(fixture.access.cli(fixture.compliance, "search", "co*").code()).isEqualTo(ExitCode.USAGE);
	}

	@Test
	void pgDumpHoldsNoMessageTextAndNoTermInClear() throws Exception {
		// given: searches were run (they write the audit log)
		fixture.access.cli(fixture.compliance, "search", "Договор OR 合同 OR zürich");

		// when
		String dump = pgDump();

		// then
		assertThat(dump).contains("tokens bigint[]").contains("vault_message_tokens");
		String lower = dump.toLowerCase(Locale.ROOT);
		for (String line : concat(SearchFixture.ALICE_2024, SearchFixture.BOB_2025)) {
			assertThat(dump).doesNotContain(line);
			assertThat(lower).doesNotContain(HexFormat.of().formatHex(line.getBytes(StandardCharsets.UTF_8)));
		}
		for (String term : List.of("合同", "契約", "계약서", "สัญญา", "договор", "подписан", "ёлка", "елка", "zürich",
				"zurich", "brûlée", "brulee", "straße", "strasse", "northwind", "العقد", "توقيع")) {
			assertThat(lower).as(term).doesNotContain(term);
			assertThat(lower).as(term).doesNotContain(HexFormat.of().formatHex(term.getBytes(StandardCharsets.UTF_8)));
		}
	}

	private static List<String> concat(List<String> a, List<String> b) {
		return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
	}

	private String pgDump() throws IOException, InterruptedException {
		org.springframework.core.env.Environment environment = fixture.access.context.getEnvironment();
		URI uri = URI.create(environment.getProperty("chatvault.db.url").substring("jdbc:".length()));
		String user = environment.getProperty("chatvault.db.user");
		String password = environment.getProperty("chatvault.db.password", "");
		Path out = home.resolve("dump.sql");
		ProcessBuilder builder = new ProcessBuilder("pg_dump", "--host", uri.getHost(), "--port",
				Integer.toString((uri.getPort() > 0) ? uri.getPort() : 5432), "--username", user, "--no-password",
				"--file", out.toString(), uri.getPath().substring(1))
			.redirectErrorStream(true)
			.redirectOutput(home.resolve("pg_dump.log").toFile());
		builder.environment().put("PGPASSWORD", password);
		Process process = builder.start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(Files.readString(home.resolve("pg_dump.log"))).isZero();
		return Files.readString(out, StandardCharsets.UTF_8);
	}

}
