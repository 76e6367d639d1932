package io.chatvault.migration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.StatusContributor;
import io.chatvault.cli.UsageException;
import io.chatvault.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The migration job end to end, on real PostgreSQL, the real vault over the filesystem
 * store, and the real source formats.
 */
@SpringBootTest
@Import({ FaultInjection.class, ArchiveContents.class })
class MigrationJobIntegrationTests {

	static final TestDatabase.Coordinates DATABASE = TestDatabase.freshDatabase();

	@TempDir
	static Path home;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DATABASE.register(registry);
		registry.add("chatvault.home", () -> home.toString());
		registry.add("chatvault.migration.chunk-size", () -> "7");
	}

	@TempDir
	Path exports;

	@Autowired
	ObjectProvider<MigrateCommand> migrate;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ArchiveContents archive;

	@Autowired
	FaultInjection faults;

	@Autowired
	List<StatusContributor> status;

	@Autowired
	CommandDispatcher dispatcher;

	@Test
	void migratesTheSampleExportsThenReportsAlreadyComplete() {
		// given
		Path samples = Path.of("samples/exports");

		// when
		Run first = migrate(samples.toString());
		Run second = migrate(samples.toString());
		Run viaRun = command("run", "migration", "source=" + samples);

		// then
		System.out.println(first.output() + second.output() + figures());
		assertThat(first.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(first.output()).contains("(balanced)")
			.contains("WhatsApp Chat with Ravi Patel.txt")
			.contains("WhatsApp Chat - Site Team.zip")
			.contains("WhatsApp Chat with Harbour Street Deal.zip")
			.contains("Northwind Slack export");
		assertThat(second.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(second.output()).contains("already complete");
		// run migration with a relative source names the same job instance as migrate
		assertThat(viaRun.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(viaRun.output()).contains("already complete");
		String show = show(lastExecution());
		assertThat(show).contains("summary:    reconciliation: read ")
			.contains("alice/WhatsApp Chat with Ravi Patel.txt: read 26 = archived 26 + duplicates 0 + quarantined 0");
		Map<String, Object> figures = figures();
		assertThat(figures).containsKeys("messages", "conversations", "custodians", "attachments", "bytesStored",
				"quarantined");
	}

	private String show(long execution) {
		return command("show", Long.toString(execution)).output();
	}

	private long lastExecution() {
		return this.jdbc.sql("SELECT max(job_execution_id) FROM batch_job_execution").query(Long.class).single();
	}

	private Map<String, Object> figures() {
		Map<String, Object> figures = new java.util.LinkedHashMap<>();
		this.status.forEach((contributor) -> figures.putAll(contributor.figures()));
		return figures;
	}

	@Test
	void quarantinedRecordsAreKeptCountedAndEndTheRunWithTheirOwnExitCode() throws IOException {
		// given
		Path export = this.exports.resolve("WhatsApp Chat with Quarantine.txt");
		Files.writeString(export, """
				garbage before the first header
				more garbage
				12/03/2024, 08:55 - Ravi Patel: Morning
				12/03/2024, 08:57 - Alice Morgan: Hello
				12/03/2024, 08:58 - Ravi Patel: Bye
				""");
		long quarantinedBefore = this.archive.quarantineCount();

		// when
		Run run = migrate(export.toString(), "custodian=quarantine-test");

		// then
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
		assertThat(run.output()).contains("read 5 = archived 3 + duplicates 0 + quarantined 2");
		assertThat(this.archive.quarantineCount()).isEqualTo(quarantinedBefore + 2);
		assertThat(exitCodeOfLastExecution()).isEqualTo(MigrationJobListener.COMPLETED_WITH_QUARANTINE);
	}

	@Test
	void aSecondRunWithTheSameParametersIsAlreadyCompleteAndChangesNothing() throws IOException {
		// given
		Path export = this.exports.resolve("WhatsApp Chat with Twice.txt");
		GeneratedWhatsAppExport.writeText(export, 50, 7);
		Run first = migrate(this.exports.toString());
		long messages = this.archive.messageCount();
		long executions = executions();

		// when
		Run second = migrate(this.exports.toString());

		// then
		assertThat(first.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(first.output()).contains("read 50 = archived 50 + duplicates 0 + quarantined 0");
		assertThat(second.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(second.output()).contains("already complete")
			.contains("read 50 = archived 50 + duplicates 0 + quarantined 0");
		assertThat(this.archive.messageCount()).isEqualTo(messages);
		assertThat(executions()).isEqualTo(executions);
	}

	@Test
	void aRunFailingPartWayResumesWithNothingLostOrDoubled() throws IOException {
		// given
		Path export = this.exports.resolve("WhatsApp Chat with Long Thread.txt");
		GeneratedWhatsAppExport.writeText(export, 120, 11);
		Map<String, String> expected = this.archive.expected(export, "restart-test", ZoneId.of("UTC"));
		this.faults.failAfter(40);

		// when
		Run failed = migrate(export.toString(), "custodian=restart-test");
		long archivedBeforeResume = archivedFor("restart-test");
		Run resumed = migrate(export.toString(), "custodian=restart-test");

		// then
		assertThat(failed.exitCode()).isEqualTo(ExitCode.JOB_FAILED);
		assertThat(archivedBeforeResume).isBetween(1L, 119L);
		assertThat(resumed.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(resumed.output()).contains("read 120 = archived 120 + duplicates 0 + quarantined 0");
		assertThat(archivedFor("restart-test")).isEqualTo(120);
		assertThat(this.archive.mismatches(expected)).isEmpty();
	}

	@Test
	void aLaterOverlappingExportOfTheSameChatAddsOnlyTheNewMessages() throws IOException {
		// given
		Path march = Files.createDirectories(this.exports.resolve("march"));
		Path april = Files.createDirectories(this.exports.resolve("april"));
		String chat = "WhatsApp Chat with Dana Kim.txt";
		Files.write(march.resolve(chat), lines(1, 10));
		Files.write(april.resolve(chat), lines(6, 15));

		// when
		Run first = migrate(march.resolve(chat).toString(), "custodian=overlap-test");
		Run second = migrate(april.resolve(chat).toString(), "custodian=overlap-test");

		// then
		assertThat(first.output()).contains("read 10 = archived 10 + duplicates 0 + quarantined 0");
		assertThat(second.output()).contains("read 10 = archived 5 + duplicates 5 + quarantined 0");
		assertThat(archivedFor("overlap-test")).isEqualTo(15);
	}

	@Test
	void operatorMistakesAreUsageErrors() {
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> migrate("/no/such/export.txt"))
			.withMessageContaining("does not exist");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> migrate(this.exports.toString(), "zone=Mars/Olympus"))
			.withMessageContaining("zone must be an IANA zone");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> migrate(this.exports.toString(), "format=icq"))
			.withMessageContaining("unknown format");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> migrate(this.exports.toString(), "colour=blue"))
			.withMessageContaining("unknown parameter 'colour' (its parameters: source, format, custodian, zone)");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> migrate(this.exports.toString()))
			.withMessageContaining("no chat export");
	}

	private static List<String> lines(int from, int to) {
		return IntStream.rangeClosed(from, to)
			.mapToObj((i) -> String.format("%02d/04/2024, 09:%02d - Dana Kim: update number %d", i, i, i))
			.toList();
	}

	private long archivedFor(String custodian) {
		return this.jdbc
			.sql("SELECT count(*) FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation "
					+ "JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = ?")
			.param(custodian)
			.query(Long.class)
			.single();
	}

	private long executions() {
		return this.jdbc.sql("SELECT count(*) FROM batch_job_execution").query(Long.class).single();
	}

	private String exitCodeOfLastExecution() {
		return this.jdbc.sql("SELECT exit_code FROM batch_job_execution ORDER BY job_execution_id DESC LIMIT 1")
			.query(String.class)
			.single();
	}

	private Run migrate(String... args) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ExitCode code = CommandDispatcher.execute(this.migrate.getObject(),
				new PrintStream(bytes, true, StandardCharsets.UTF_8), args);
		return new Run(code, bytes.toString(StandardCharsets.UTF_8));
	}

	private Run command(String name, String... args) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		List<String> line = new java.util.ArrayList<>(List.of(name));
		line.addAll(List.of(args));
		ExitCode code = this.dispatcher.dispatch(line, new PrintStream(bytes, true, StandardCharsets.UTF_8),
				System.err);
		return new Run(code, bytes.toString(StandardCharsets.UTF_8));
	}

	record Run(ExitCode exitCode, String output) {
	}

}
