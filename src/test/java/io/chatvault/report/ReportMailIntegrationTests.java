package io.chatvault.report;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.chatvault.access.AccessFixture;
import io.chatvault.cli.ExitCode;
import io.chatvault.message.Sha256;
import io.chatvault.storage.ObjectStore;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Done means 1, against GreenMail (a real SMTP server, with authentication): the mail
 * arrives once with the workbook attached; a mail server that refuses fails the run with
 * exit code 6 and the restart sends it, once; a process killed (SIGKILL) between building
 * and sending, then recovered and restarted, still delivers exactly one mail.
 */
class ReportMailIntegrationTests {

	private static final String MONTHLY = "compliance@bank.example";

	private static final String WEEKLY = "desk-heads@bank.example";

	@TempDir
	static Path home;

	static int port;

	static GreenMail smtp;

	static AccessFixture fixture;

	@BeforeAll
	static void start() throws IOException {
		try (ServerSocket free = new ServerSocket(0)) {
			port = free.getLocalPort();
		}
		smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
			.withConfiguration(GreenMailConfiguration.aConfig().withUser("chatvault", "s3cret"));
		smtp.start();
		fixture = AccessFixture.start(home, "spring.mail.host=127.0.0.1", "spring.mail.port=" + port,
				"spring.mail.username=chatvault", "spring.mail.password=s3cret",
				"spring.mail.properties.mail.smtp.auth=true", "spring.mail.properties.mail.smtp.connectiontimeout=5000",
				"chatvault.report.from=chatvault@bank.example", "chatvault.report.monthly=" + MONTHLY,
				"chatvault.report.weekly=" + WEEKLY);
		ReportSeed.march(fixture);
	}

	@AfterAll
	static void stop() {
		fixture.close();
		smtp.stop();
	}

	@BeforeEach
	void emptyMailbox() throws Exception {
		if (!smtp.isRunning()) {
			smtp.start();
		}
		smtp.purgeEmailFromAllMailboxes();
	}

	@Test
	void theMonthlyReportArrivesOnceWithTheStoredWorkbookAttached() throws Exception {
		// when
		AccessFixture.Cli run = fixture.cli(null, "run", "compliance-report", "month=2025-03");
		AccessFixture.Cli again = fixture.cli(null, "run", "compliance-report", "month=2025-03");

		// then
		assertThat(run.code()).as(run.err() + run.out()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		assertThat(again.out()).contains("already complete");
		MimeMessage[] received = smtp.getReceivedMessages();
		assertThat(received).hasSize(1);
		MimeMessage mail = received[0];
		Map<String, Object> delivery = delivery("monthly", "2025-03");
		assertThat(mail.getMessageID()).isEqualTo(delivery.get("message_id"));
		assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly(MONTHLY);
		assertThat(mail.getSubject()).startsWith("ChatVault compliance report, March 2025: ");
		Multipart parts = (Multipart) mail.getContent();
		assertThat((String) parts.getBodyPart(0).getContent()).contains("custodians with traffic")
			.contains((String) delivery.get("sha256"));
		BodyPart attachment = parts.getBodyPart(1);
		assertThat(attachment.getFileName()).isEqualTo("chatvault-compliance-report-2025-03.xlsx");
		byte[] workbook;
		try (InputStream in = attachment.getInputStream()) {
			workbook = in.readAllBytes();
		}
		assertThat(sha256(workbook)).isEqualTo(delivery.get("sha256"));
		try (InputStream stored = fixture.context.getBean(ObjectStore.class)
			.get((String) delivery.get("object_key"))
			.orElseThrow()) {
			assertThat(stored.readAllBytes()).isEqualTo(workbook);
		}
		try (XSSFWorkbook opened = new XSSFWorkbook(new java.io.ByteArrayInputStream(workbook))) {
			assertThat(opened.getSheet("Summary").getRow(2).getCell(1).getStringCellValue()).isEqualTo("March 2025");
		}
		assertThat(fixture.jdbc
			.queryForList("SELECT details::jsonb->>'messageId' FROM audit_entry WHERE action = 'report.send' "
					+ "AND target = 'report:' || ?", String.class, delivery.get("job_instance_id")))
			.containsExactly((String) delivery.get("message_id"));
	}

	@Test
	void aMailServerThatRefusesFailsTheRunWithExit6AndTheRestartSendsOnce() throws Exception {
		// given: the mail server is down
		smtp.stop();

		// when
		AccessFixture.Cli refused = fixture.cli(null, "run", "compliance-report", "week=2025-W11");

		// then
		assertThat(refused.code()).as(refused.err() + refused.out()).isEqualTo(ExitCode.INFRASTRUCTURE_UNAVAILABLE);
		assertThat(delivery("weekly", "2025-W11")).containsEntry("state", "STORED");

		// when: it is back, and the scheduler runs the same report again
		smtp.start();
		AccessFixture.Cli resumed = fixture.cli(null, "run", "compliance-report", "week=2025-W11");

		// then
		assertThat(resumed.code()).as(resumed.err() + resumed.out()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		assertThat(smtp.getReceivedMessages()).hasSize(1);
		assertThat(smtp.getReceivedMessages()[0].getAllRecipients()).extracting(Object::toString)
			.containsExactly(WEEKLY);
		assertThat(delivery("weekly", "2025-W11")).containsEntry("state", "SENT");
		assertThat(fixture.jdbc.queryForObject(
				"SELECT count(*) FROM audit_entry WHERE action = 'report.store' AND details::jsonb->>'period' = "
						+ "'2025-W11'",
				Long.class))
			.isEqualTo(1);
	}

	@Test
	void aProcessKilledBetweenBuildingAndSendingThenRestartedDeliversExactlyOneMail() throws Exception {
		// given: a child process whose mail server accepts the connection and never
		// answers
		try (BlackHole blackHole = new BlackHole()) {
			Process child = child(blackHole.port(), "run", "compliance-report", "week=2025-W12");
			try {
				await().atMost(Duration.ofMinutes(3))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> blackHole.connections() > 0 && "STORED".equals(fixture.jdbc
						.queryForList("SELECT state FROM report_delivery WHERE period = '2025-W12'", String.class)
						.stream()
						.findFirst()
						.orElse(null)));
			}
			finally {
				// when: killed (SIGKILL) while it waits for the mail server
				child.destroyForcibly();
				child.waitFor(1, TimeUnit.MINUTES);
			}
		}
		long crashed = fixture.jdbc.queryForObject(
				"SELECT max(e.job_execution_id) FROM batch_job_execution e "
						+ "JOIN report_delivery d ON d.job_instance_id = e.job_instance_id WHERE d.period = '2025-W12'",
				Long.class);
		assertThat(fixture.jdbc.queryForObject("SELECT status FROM batch_job_execution WHERE job_execution_id = ?",
				String.class, crashed))
			.isEqualTo("STARTED");
		assertThat(smtp.getReceivedMessages()).isEmpty();

		// and: recovered and restarted, as an operator would
		AccessFixture.Cli recover = fixture.cli(null, "recover", "--force", Long.toString(crashed));
		AccessFixture.Cli restart = fixture.cli(null, "restart", Long.toString(crashed));
		AccessFixture.Cli again = fixture.cli(null, "run", "compliance-report", "week=2025-W12");

		// then
		assertThat(recover.code()).as(recover.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(restart.code()).as(restart.err() + restart.out()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		assertThat(again.out()).contains("already complete");
		MimeMessage[] received = smtp.getReceivedMessages();
		assertThat(received).hasSize(1);
		Map<String, Object> delivery = delivery("weekly", "2025-W12");
		assertThat(received[0].getMessageID()).isEqualTo(delivery.get("message_id"));
		try (InputStream in = ((Multipart) received[0].getContent()).getBodyPart(1).getInputStream()) {
			assertThat(sha256(in.readAllBytes())).isEqualTo(delivery.get("sha256"));
		}
		// built and stored once, by the process that was killed
		assertThat(fixture.jdbc.queryForObject(
				"SELECT count(*) FROM audit_entry WHERE action = 'report.store' AND details::jsonb->>'period' = "
						+ "'2025-W12'",
				Long.class))
			.isEqualTo(1);
		assertThat(delivery.get("build_execution_id")).isEqualTo(crashed);
	}

	private static Map<String, Object> delivery(String kind, String period) {
		return fixture.jdbc.queryForMap("SELECT * FROM report_delivery WHERE kind = ? AND period = ?", kind, period);
	}

	private static String sha256(byte[] bytes) {
		return HexFormat.of().formatHex(Sha256.digest().digest(bytes));
	}

	/** {@code chatvault <args>} in a child JVM on the fixture's database and home. */
	private static Process child(int mailPort, String... args) throws IOException {
		Environment environment = fixture.context.getEnvironment();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		for (String property : List.of("chatvault.db.url", "chatvault.db.user", "chatvault.db.password",
				"chatvault.home", "chatvault.report.monthly", "chatvault.report.weekly", "chatvault.report.from",
				"spring.mail.host", "spring.mail.username", "spring.mail.password")) {
			command.add("-D" + property + "=" + environment.getProperty(property, ""));
		}
		command.add("-Dspring.mail.port=" + mailPort);
		command.add("-Dspring.datasource.hikari.maximum-pool-size=3");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add("io.chatvault.ChatVaultApplication");
		command.addAll(List.of(args));
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("child.log").toFile()))
			.start();
	}

	/** An SMTP port that accepts connections and never says a word. */
	private static final class BlackHole implements AutoCloseable {

		private final ServerSocket server;

		private final List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();

		BlackHole() throws IOException {
			this.server = new ServerSocket(0);
			Thread acceptor = new Thread(() -> {
				while (!this.server.isClosed()) {
					try {
						this.accepted.add(this.server.accept());
					}
					catch (IOException ex) {
						return;
					}
				}
			}, "smtp-black-hole");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		int connections() {
			return this.accepted.size();
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			for (Socket socket : this.accepted) {
				socket.close();
			}
		}

	}

}
