package io.chatvault.migration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import io.chatvault.cli.CommandLine;
import io.chatvault.cli.ExitCode;
import io.chatvault.testsupport.TestDatabase;
import io.chatvault.vault.Vault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@Import({ ScaffoldConfiguration.class, FaultInjection.class })
class MigrationJobIntegrationTests {

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", DATABASE::jdbcUrl);
		registry.add("spring.datasource.username", DATABASE::user);
		registry.add("spring.datasource.password", DATABASE::password);
		registry.add("chatvault.migration.chunk-size", () -> "3");
	}

	@TempDir
	Path exports;

	@Autowired
	MigrateCommand migrate;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	FaultInjection faults;

	@Autowired
	Vault vault;

	@Test
	void migratesEveryExportOfADirectoryAndReconcilesEach() throws IOException {
		// given
		Files.writeString(this.exports.resolve("a.lines"), "1|ann|hi\n2|bob|hello\n3|ann|bye\n4|bob|later\n");
		Files.writeString(this.exports.resolve("b.lines"), "1|cy|one\nnot a record\n2|cy|two\n");
		Files.writeString(this.exports.resolve("notes.md"), "not an export\n");

		// when
		Run run = migrate(this.exports.toString());

		// then
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(run.output()).contains("read 7 = archived 6 + duplicates 0 + quarantined 1");
		List<Map<String, Object>> rows = this.jdbc.sql(
				"SELECT export_name, read_count, archived, duplicates, quarantined FROM migration_reconciliation ORDER BY export_name")
			.query()
			.listOfRows();
		assertThat(rows).extracting((r) -> r.get("export_name")).containsExactly("a.lines", "b.lines");
		assertThat(rows.get(1).get("quarantined")).isEqualTo(1L);

		// when
		Run again = migrate(this.exports.toString());

		// then
		assertThat(again.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(again.output()).contains("already complete");
	}

	@Test
	void aRunFailingPartWayResumesWithNothingLostOrDoubled() throws IOException {
		// given
		Path export = this.exports.resolve("WhatsApp Chat with Long Thread.lines");
		List<String> lines = IntStream.rangeClosed(1, 20)
			.mapToObj((i) -> i + "|p" + (i % 3) + "|message " + i)
			.toList();
		Files.write(export, lines);
		this.faults.failAfter(7);

		// when
		Run failed = migrate(export.toString());
		Run resumed = migrate(export.toString());

		// then
		assertThat(failed.exitCode()).isEqualTo(ExitCode.JOB_FAILED);
		assertThat(resumed.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(resumed.output()).containsPattern("read 20 = archived \\d+ \\+ duplicates \\d+ \\+ quarantined 0");
		Reconciliation total = reconciliationOf(export);
		assertThat(total.read()).isEqualTo(20);
		assertThat(total.archived() + total.duplicates()).isEqualTo(20);
	}

	@Test
	void aLaterOverlappingExportAddsOnlyTheNewMessages() throws IOException {
		// given
		Path march = Files.createDirectories(this.exports.resolve("march"));
		Path april = Files.createDirectories(this.exports.resolve("april"));
		String chat = "WhatsApp Chat with Dana.lines";
		Files.write(march.resolve(chat), IntStream.rangeClosed(1, 10).mapToObj((i) -> i + "|dana|m" + i).toList());
		Files.write(april.resolve(chat), IntStream.rangeClosed(6, 15).mapToObj((i) -> i + "|dana|m" + i).toList());

		// when
		Run first = migrate(march.resolve(chat).toString());
		Run second = migrate(april.resolve(chat).toString());

		// then
		assertThat(first.output()).contains("read 10 = archived 10 + duplicates 0 + quarantined 0");
		assertThat(second.output()).contains("read 10 = archived 5 + duplicates 5 + quarantined 0");
	}

	private Reconciliation reconciliationOf(Path export) {
		return this.jdbc.sql(
				"SELECT read_count, archived, duplicates, quarantined, bytes_stored FROM migration_reconciliation WHERE export = ?")
			.param(export.toString())
			.query((rs, row) -> new Reconciliation(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
					rs.getLong(5)))
			.single();
	}

	private Run migrate(String... args) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ExitCode code = this.migrate.execute(CommandLine.parse(List.of(args), Set.of()),
				new PrintStream(bytes, true, StandardCharsets.UTF_8));
		String output = bytes.toString(StandardCharsets.UTF_8);
		System.out.println(output);
		return new Run(code, output);
	}

	record Run(ExitCode exitCode, String output) {
	}

}
