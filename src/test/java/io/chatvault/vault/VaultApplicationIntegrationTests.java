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

}
