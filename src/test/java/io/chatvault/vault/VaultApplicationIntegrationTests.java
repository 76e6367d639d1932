package io.chatvault.vault;

import java.nio.file.Path;
import java.util.List;

import io.chatvault.ChatVaultApplication;
import io.chatvault.cli.DoctorCheck;
import io.chatvault.cli.StatusContributor;
import io.chatvault.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vault as the application wires it: the zero-configuration embedded default (a
 * keystore created with a generated password, the filesystem store under
 * {@code CHATVAULT_HOME}), with a test database.
 */
class VaultApplicationIntegrationTests {

	@TempDir
	Path home;

	@Test
	void theVaultBeanArchivesIntoTheConfiguredStoreAndReportsStatusAndKeystore() {
		// given
		TestDatabase.Coordinates database = TestDatabase.freshDatabase();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ChatVaultApplication.class)
			.web(WebApplicationType.NONE)
			.run("--chatvault.home=" + this.home, "--chatvault.db.url=" + database.jdbcUrl(),
					"--chatvault.db.user=" + database.user(), "--chatvault.db.password=" + database.password())) {
			Vault vault = context.getBean(Vault.class);

			// when
			ArchiveRequest request = vault.prepare(VaultFixture.message("app", "1.1", "wired"), "carol@example.com");
			ArchiveSummary summary = vault.archive(List.of(request));

			// then
			assertThat(summary.archived()).isEqualTo(1);
			assertThat(vault.readCanonical(request.messageId())).isEqualTo(request.canonical());
			assertThat(context.getBeansOfType(StatusContributor.class).values())
				.anySatisfy((status) -> assertThat(status.figures()).containsEntry("messages", 1L));
			DoctorCheck keystore = context.getBeansOfType(DoctorCheck.class)
				.values()
				.stream()
				.filter((check) -> check.name().equals("keystore"))
				.findFirst()
				.orElseThrow();
			assertThat(keystore.check().ok()).isTrue();
			assertThat(keystore.check().detail()).startsWith("warning:").contains("generated one");
			assertThat(this.home.resolve("keys/chatvault-kek.p12")).exists();
			assertThat(this.home.resolve("keys/chatvault-kek.p12.password")).exists();
		}
	}

	@Test
	void chatvaultSourcePrintsTheExactLinesOfAMessageAndAuditsTheRead() throws Exception {
		// given: a WhatsApp export with a multi-line message and CRLF line ends, imported
		TestDatabase.Coordinates database = TestDatabase.freshDatabase();
		Path export = this.home.resolve("WhatsApp Chat with Source.txt");
		java.nio.file.Files.createDirectories(this.home);
		byte[] lines = ("01/03/2024, 09:15 - Alice: first\r\n01/03/2024, 09:16 - Bob: two\r\nlines \u00e9\r\n"
				+ "01/03/2024, 09:17 - Alice: last\r\n")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		java.nio.file.Files.write(export, lines);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ChatVaultApplication.class)
			.web(WebApplicationType.NONE)
			.run("--chatvault.home=" + this.home, "--chatvault.db.url=" + database.jdbcUrl(),
					"--chatvault.db.user=" + database.user(), "--chatvault.db.password=" + database.password())) {
			Vault vault = context.getBean(Vault.class);
			ExportReceipt receipt = vault
				.receive(new ExportSubmission(export, "alice@example.com", "source-test", "whatsapp", null));
			List<io.chatvault.message.ChatRecord> records = new java.util.ArrayList<>();
			try (io.chatvault.source.SourceReader reader = new io.chatvault.source.whatsapp.WhatsAppExportSource()
				.open(export, new io.chatvault.source.SourceOptions("alice@example.com", java.time.ZoneOffset.UTC,
						io.chatvault.source.DateOrder.AUTO))) {
				reader.forEachRemaining((record) -> records.add((io.chatvault.message.ChatRecord) record));
			}
			vault.archive(
					records.stream().map((record) -> vault.prepare(record, "alice@example.com", receipt)).toList());
			vault.storeOriginals(receipt, io.chatvault.message.SourcePlatform.WHATSAPP_EXPORT);
			String id = io.chatvault.message.MessageIdentity.of(records.get(1));
			io.chatvault.cli.CommandDispatcher dispatcher = context.getBean(io.chatvault.cli.CommandDispatcher.class);

			// when
			java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
			java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
			io.chatvault.cli.ExitCode exit = dispatcher.dispatch(List.of("source", id), new java.io.PrintStream(out),
					new java.io.PrintStream(err));
			java.io.ByteArrayOutputStream missingErr = new java.io.ByteArrayOutputStream();
			io.chatvault.cli.ExitCode missing = dispatcher.dispatch(List.of("source", "0".repeat(64)),
					new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(missingErr));

			// then
			assertThat(exit).as(err.toString()).isEqualTo(io.chatvault.cli.ExitCode.COMPLETED);
			assertThat(out.toByteArray()).isEqualTo(
					"01/03/2024, 09:16 - Bob: two\r\nlines \u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8));
			assertThat(missing).isEqualTo(io.chatvault.cli.ExitCode.JOB_FAILED);
			assertThat(missingErr.toString()).isEqualTo("chatvault: no archived message " + "0".repeat(64) + "\n");
			assertThat(context.getBean(org.springframework.jdbc.core.JdbcTemplate.class)
				.queryForList("SELECT target FROM audit_entry WHERE action = 'content.read'", String.class))
				.containsExactly("message:" + id);
		}
	}

}
