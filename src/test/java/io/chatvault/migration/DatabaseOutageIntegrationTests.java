package io.chatvault.migration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.testsupport.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database stops while a migration runs (a child JVM, connected through a proxy that
 * the test cuts): the run ends with exit code 6 and one line on stderr, no stack trace;
 * {@code status} shows the run as crashed, not running; the next start resumes it and the
 * archive holds every message once.
 */
@SpringBootTest
@Import(ArchiveContents.class)
class DatabaseOutageIntegrationTests {

	static final ChatVaultProcesses CHATVAULT = new ChatVaultProcesses("chatvault-outage",
			List.of("chatvault.migration.chunk-size=100", "chatvault.jobs.recover-grace=1s"));

	static final int MESSAGES = 10_000;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		CHATVAULT.register(registry);
	}

	@AfterAll
	static void deleteHome() throws IOException {
		CHATVAULT.deleteHome();
	}

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ArchiveContents archive;

	@Autowired
	CommandDispatcher dispatcher;

	@Test
	void aDatabaseStoppingMidRunIsOneLineExitSixAndTheNextStartResumes() throws Exception {
		// given: a run under way in a child whose database connections pass a proxy
		Path export = CHATVAULT.home().resolve("WhatsApp Chat with Outage.txt");
		GeneratedWhatsAppExport.writeText(export, MESSAGES, 7);
		Map<String, String> expected = this.archive.expected(export, "outage", ZoneId.of("UTC"));
		String url = CHATVAULT.property("chatvault.db.url");
		Path stdout = CHATVAULT.home().resolve("outage.out");
		Path stderr = CHATVAULT.home().resolve("outage.err");
		long started;
		long ended;
		Process child;
		try (TcpProxy proxy = TcpProxy.to(url)) {
			String proxied = proxy.proxied(url);
			child = CHATVAULT.start(Map.of("chatvault.db.url", proxied, "spring.datasource.url", proxied), stdout,
					stderr, "migrate", export.toString(), "custodian=outage");
			awaitCommittedChunks(child);

			// when: the database stops
			started = System.nanoTime();
			proxy.cut();
			assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("the child ends").isTrue();
			ended = System.nanoTime();
		}

		// then: exit 6 and one line
		String err = Files.readString(stderr);
		List<String> problems = new ArrayList<>();
		for (String line : err.lines().toList()) {
			if (!line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+ +INFO .*")) {
				problems.add(line);
			}
		}
		System.out.println("The stop was reported after " + Duration.ofNanos(ended - started).toMillis()
				+ " ms (child exit included); stderr:\n" + err);
		assertThat(child.exitValue()).isEqualTo(ExitCode.INFRASTRUCTURE_UNAVAILABLE.code());
		assertThat(problems).singleElement()
			.asString()
			.startsWith("chatvault: database unavailable: the database stopped answering: ")
			.contains("refused");
		assertThat(Files.readString(stdout)).isEmpty();

		// and status tells the crashed run from a running one
		Cli status = cli("status");
		assertThat(status.out()).contains("jobs running: 0")
			.contains("jobs crashed: 1")
			.containsPattern("crashed executions: \\[migration execution \\d+ \\(marked STARTED, no process runs it");

		// when the database is back: the next start resumes the run
		Cli resumed = cli("migrate", export.toString(), "custodian=outage");

		// then
		assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(resumed.out()).contains("reconciliation: read " + MESSAGES + " = archived " + MESSAGES
				+ " + duplicates 0 + quarantined 0 (balanced)");
		assertThat(this.archive.messageCount()).isEqualTo(MESSAGES);
		assertThat(this.archive.mismatches(expected)).isEmpty();
		assertThat(cli("status").out()).contains("jobs running: 0").contains("jobs crashed: 0");
	}

	/** Waits until the child has committed a few chunks, or ended. */
	private void awaitCommittedChunks(Process child) throws InterruptedException {
		while (child.isAlive() && ChatVaultProcesses.committed(this.jdbc) < 200) {
			Thread.sleep(50);
		}
		assertThat(child.isAlive()).as("the child still runs when the database stops").isTrue();
	}

	private Cli cli(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		ExitCode code = this.dispatcher.dispatch(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	record Cli(ExitCode exitCode, String out, String err) {
	}

}
