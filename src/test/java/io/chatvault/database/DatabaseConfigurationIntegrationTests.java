package io.chatvault.database;

import java.nio.file.Path;

import javax.sql.DataSource;

import io.chatvault.ChatVaultApplication;
import io.chatvault.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's database: the embedded default in {@code CHATVAULT_HOME/postgres}
 * when nothing is configured, an external server with {@code chatvault.db.url}; Flyway
 * creates the Batch tables on either.
 */
class DatabaseConfigurationIntegrationTests {

	@TempDir
	Path home;

	@Test
	void embeddedDefaultWhenNothingIsConfigured() {
		// given / when
		try (ConfigurableApplicationContext context = start("--chatvault.home=" + this.home)) {
			// then
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_instance", Integer.class)).isZero();
			assertThat(jdbc.queryForObject("SELECT inet_server_addr()::text", String.class)).isEqualTo("127.0.0.1/32");
			assertThat(this.home.resolve("postgres/data/PG_VERSION")).exists();
		}
		// and the server stopped with the last user
		assertThat(this.home.resolve("postgres/data/postmaster.pid")).doesNotExist();
	}

	@Test
	void externalServerWhenConfigured() {
		// given
		TestDatabase.Coordinates database = TestDatabase.freshDatabase();

		// when
		try (ConfigurableApplicationContext context = start("--chatvault.home=" + this.home,
				"--chatvault.db.url=" + database.jdbcUrl(), "--chatvault.db.user=" + database.user(),
				"--chatvault.db.password=" + database.password())) {
			// then
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT current_database()", String.class))
				.isEqualTo(database.jdbcUrl().replaceAll(".*/([^/?]+).*", "$1"));
			assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Integer.class)).isZero();
			assertThat(this.home.resolve("postgres")).doesNotExist();
		}
	}

	private static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(ChatVaultApplication.class).web(WebApplicationType.NONE).run(args);
	}

}
