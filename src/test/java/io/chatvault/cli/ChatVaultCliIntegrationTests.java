package io.chatvault.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.chatvault.ChatVaultApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code chatvault} entry point as the process runs it (a lazy context per command),
 * against a database nobody listens on: commands that need the database fail with one
 * line and exit code 6; help and commands that do not need it work.
 */
class ChatVaultCliIntegrationTests {

	@TempDir
	Path home;

	@Test
	void anUnreachableDatabaseGivesOneLineAndTheInfrastructureExitCode() throws IOException {
		// when
		Result result = chatvault(unreachableDatabase(), "jobs");

		// then
		assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.INFRASTRUCTURE_UNAVAILABLE.code());
		assertThat(result.err()).startsWith("chatvault: database unavailable: Connection")
			.contains("CHATVAULT_DB_URL")
			.doesNotContain("\tat ");
		assertThat(result.err().lines()).hasSize(1);
		assertThat(result.out()).isEmpty();
	}

	@Test
	void helpAndCommandsWithoutDatabaseNeverTouchTheDatabase() throws IOException {
		// given
		Map<String, Object> properties = unreachableDatabase();

		// when
		Result help = chatvault(properties, "--help");
		Result commandHelp = chatvault(properties, "jobs", "--help");
		Result offline = chatvault(properties, "test-offline");

		// then
		assertThat(help.code()).isZero();
		assertThat(help.out()).startsWith("Usage: chatvault <command>")
			.contains("run ")
			.contains("jobs ")
			.contains("recover ")
			.contains("doctor ");
		assertThat(commandHelp.code()).isZero();
		assertThat(commandHelp.out()).startsWith("Usage: chatvault jobs");
		assertThat(offline.code()).isZero();
		assertThat(offline.out()).isEqualTo("offline ok\n");
		assertThat(help.err() + commandHelp.err() + offline.err()).isEmpty();
	}

	@Test
	void theCatalogueHelpAndCompletionNeedNoDatabase() throws IOException {
		// given
		Map<String, Object> properties = unreachableDatabase();

		// when
		Result catalog = chatvault(properties, "jobs", "--catalog");
		Result catalogJson = chatvault(properties, "jobs", "--catalog", "--json");
		Result helpRun = chatvault(properties, "help", "run");
		Result completion = chatvault(properties, "generate-completion");

		// then
		assertThat(catalog.code()).as(catalog.err()).isZero();
		assertThat(catalog.out()).contains("migration\n").contains("parameter:   source (path, required)");
		assertThat(catalogJson.out()).contains("\"name\" : \"test-items\"").contains("\"cron\" : \"0 1 * * *\"");
		assertThat(helpRun.out()).startsWith("Usage: chatvault run [-h] [--json] <job> [key=value...]")
			.containsPattern("The job: one of [a-z,\\s-]*migration,[a-z,\\s-]*test-items");
		assertThat(completion.code()).isZero();
		assertThat(completion.out()).contains("complete -F").contains("inspect").contains("recover");
		assertThat(catalog.err() + catalogJson.err() + helpRun.err() + completion.err()).isEmpty();
	}

	@Test
	void argumentsPicocliRefusesGiveOneLineAndTheUsageExitCode() throws IOException {
		// when
		Result missing = chatvault(unreachableDatabase(), "show");
		Result badNumber = chatvault(unreachableDatabase(), "jobs", "--limit", "many");
		Result none = chatvault(unreachableDatabase());
		Result helpOfNothing = chatvault(unreachableDatabase(), "frob", "--help");

		// then
		assertThat(missing.code()).isEqualTo(ExitCode.USAGE.code());
		assertThat(missing.err())
			.isEqualTo("chatvault: missing required parameter: '<execution>' (chatvault show --help)\n");
		assertThat(badNumber.code()).isEqualTo(ExitCode.USAGE.code());
		assertThat(badNumber.err())
			.isEqualTo("chatvault: invalid value for option '--limit': 'many' is not an int (chatvault jobs --help)\n");
		assertThat(none.code()).isEqualTo(ExitCode.USAGE.code());
		assertThat(none.err()).startsWith("Usage: chatvault <command> [arguments]");
		assertThat(none.out()).isEmpty();
		assertThat(helpOfNothing.code()).isEqualTo(ExitCode.USAGE.code());
		assertThat(helpOfNothing.err())
			.isEqualTo("chatvault: unknown command 'frob' (chatvault --help lists the commands)\n");
	}

	@Test
	void withoutAConfiguredDatabaseHelpDoesNotStartTheEmbeddedPostgres() {
		// when
		Result help = chatvault(Map.of("chatvault.home", this.home.toString(), "spring.profiles.active", "test-jobs"),
				"--help");
		Result offline = chatvault(
				Map.of("chatvault.home", this.home.toString(), "spring.profiles.active", "test-jobs"), "test-offline");

		// then
		assertThat(help.code()).isZero();
		assertThat(offline.code()).isZero();
		assertThat(this.home.resolve("postgres")).doesNotExist();
	}

	@Test
	void anUnknownCommandGivesOneLineAndTheUsageExitCode() throws IOException {
		// when
		Result result = chatvault(unreachableDatabase(), "archive-everything");

		// then
		assertThat(result.code()).isEqualTo(ExitCode.USAGE.code());
		assertThat(result.err())
			.isEqualTo("chatvault: unknown command 'archive-everything' (chatvault --help lists the commands)\n");
	}

	private Map<String, Object> unreachableDatabase() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		String url = "jdbc:postgresql://127.0.0.1:" + port + "/chatvault";
		return Map.of("chatvault.db.url", url, "chatvault.db.user", "chatvault", "chatvault.home", this.home.toString(),
				"spring.profiles.active", "test-jobs");
	}

	private Result chatvault(Map<String, Object> properties, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code;
		try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
				PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
			code = new ChatVaultCli(ChatVaultApplication.class, outStream, errStream, properties).execute(args);
		}
		return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private record Result(int code, String out, String err) {
	}

}
