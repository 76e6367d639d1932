package io.chatvault.report;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.chatvault.access.AccessFixture;
import io.chatvault.cli.ExitCode;
import io.chatvault.message.Sha256;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report mailed over TLS with authentication, against GreenMail: credentials the
 * server refuses fail the run with exit code 6 and nothing is delivered; with the right
 * ones the restart delivers exactly one mail, the stored workbook attached.
 *
 * <p>
 * GreenMail 2.1 has no STARTTLS (its SMTP server knows no such command and its EHLO
 * offers AUTH only), so the encrypted channel is tested with implicit TLS (SMTPS, what
 * {@code spring.mail.protocol=smtps} selects); STARTTLS is the same JavaMail transport
 * switched by {@code mail.smtp.starttls.enable} and {@code mail.smtp.starttls.required}
 * (docs/reports.md).
 */
class ReportMailTlsIntegrationTests {

	private static final String MONTHLY = "compliance@bank.example";

	@TempDir
	static Path home;

	static GreenMail smtps;

	static AccessFixture fixture;

	@BeforeAll
	static void start() throws IOException {
		int port;
		try (ServerSocket free = new ServerSocket(0)) {
			port = free.getLocalPort();
		}
		ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS);
		// The TLS server socket can take longer than GreenMail's 2 s to come up on a busy
		// machine.
		setup.setServerStartupTimeout(60_000);
		smtps = new GreenMail(setup)
			.withConfiguration(GreenMailConfiguration.aConfig().withUser("chatvault", "s3cret"));
		smtps.start();
		// GreenMail's certificate is self-signed: trusted here by host, as an operator
		// trusts their relay's CA.
		fixture = AccessFixture.start(home, "spring.mail.protocol=smtps", "spring.mail.host=127.0.0.1",
				"spring.mail.port=" + port, "spring.mail.username=chatvault", "spring.mail.password=s3cret",
				"spring.mail.properties.mail.smtps.auth=true", "spring.mail.properties.mail.smtps.ssl.trust=127.0.0.1",
				"spring.mail.properties.mail.smtps.ssl.checkserveridentity=false",
				"spring.mail.properties.mail.smtps.connectiontimeout=5000",
				"chatvault.report.from=chatvault@bank.example", "chatvault.report.monthly=" + MONTHLY);
		ReportSeed.march(fixture);
	}

	@AfterAll
	static void stop() {
		fixture.close();
		smtps.stop();
	}

	@Test
	void refusedCredentialsFailTheRunThenTheRestartDeliversExactlyOneMailOverTls() throws Exception {
		// given: the relay no longer accepts the configured password
		smtps.getUserManager().getUser("chatvault").setPassword("rotated");

		// when
		AccessFixture.Cli refused = fixture.cli(null, "run", "compliance-report", "month=2025-03");

		// then
		assertThat(refused.code()).as(refused.err() + refused.out()).isEqualTo(ExitCode.INFRASTRUCTURE_UNAVAILABLE);
		assertThat(smtps.getReceivedMessages()).isEmpty();
		assertThat(delivery()).containsEntry("state", "STORED");

		// when: the password is right again and the scheduler runs the report again
		smtps.getUserManager().getUser("chatvault").setPassword("s3cret");
		AccessFixture.Cli resumed = fixture.cli(null, "run", "compliance-report", "month=2025-03");
		AccessFixture.Cli again = fixture.cli(null, "run", "compliance-report", "month=2025-03");

		// then: one mail, over TLS, with the stored workbook
		assertThat(resumed.code()).as(resumed.err() + resumed.out()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		assertThat(again.out()).contains("already complete");
		MimeMessage[] received = smtps.getReceivedMessages();
		assertThat(received).hasSize(1);
		Map<String, Object> delivery = delivery();
		assertThat(delivery).containsEntry("state", "SENT");
		assertThat(received[0].getMessageID()).isEqualTo(delivery.get("message_id"));
		assertThat(received[0].getAllRecipients()).extracting(Object::toString).containsExactly(MONTHLY);
		try (InputStream in = ((Multipart) received[0].getContent()).getBodyPart(1).getInputStream()) {
			assertThat(HexFormat.of().formatHex(Sha256.digest().digest(in.readAllBytes())))
				.isEqualTo(delivery.get("sha256"));
		}
	}

	private static Map<String, Object> delivery() {
		return fixture.jdbc.queryForMap("SELECT * FROM report_delivery WHERE kind = 'monthly' AND period = '2025-03'");
	}

}
