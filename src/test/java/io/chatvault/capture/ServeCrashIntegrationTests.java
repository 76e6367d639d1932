package io.chatvault.capture;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.chatvault.migration.ChatVaultProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chatvault serve} as an operator runs it, in a child JVM: signed WhatsApp
 * deliveries from this JVM, then SIGKILL at a random moment under load. Every delivery
 * answered 2xx before the kill is in the inbox afterwards; restarted, the server takes
 * the platform's redelivery of everything sent (answered or not) and stores none twice.
 * Its health and Prometheus endpoints answer on the management port.
 */
class ServeCrashIntegrationTests {

	static final String SECRET = "crash-test-app-secret";

	static final int WEB_PORT = freePort();

	static final int MANAGEMENT_PORT = freePort();

	static final ChatVaultProcesses CHATVAULT = new ChatVaultProcesses("chatvault-servecrash",
			List.of("chatvault.capture.whatsapp.load.app-secret=" + SECRET, "server.port=" + WEB_PORT,
					"management.server.port=" + MANAGEMENT_PORT));

	@AfterAll
	static void deleteHome() throws IOException {
		CHATVAULT.deleteHome();
	}

	@Test
	void everyDeliveryAnswered2xxBeforeSigkillIsInTheInboxAndRedeliveriesAreStoredOnce() throws Exception {
		// given serve running, and a kill planned after a random number of
		// acknowledgements
		Random random = new Random(Long.getLong("chatvault.servecrash.seed", System.nanoTime()));
		int killAfter = 200 + random.nextInt(600);
		Process serve = CHATVAULT.start("serve");
		awaitReady(serve);
		String prometheus = get("/actuator/prometheus");
		WebhookLoad load = new WebhookLoad(URI.create("http://127.0.0.1:" + WEB_PORT + "/webhooks/whatsapp/load"),
				SECRET);

		// when the server is killed under load
		WebhookLoad.Result result = load.run(8, Duration.ofMinutes(3), (acknowledged) -> {
			if (acknowledged >= killAfter && serve.isAlive()) {
				serve.destroyForcibly();
			}
			return !serve.isAlive();
		}, "crash", Long.MAX_VALUE);
		serve.waitFor(30, TimeUnit.SECONDS);

		// then every acknowledged delivery is in the inbox
		assertThat(prometheus).contains("jvm_memory_used_bytes");
		assertThat(result.acknowledged()).hasSizeGreaterThanOrEqualTo(killAfter);
		assertThat(serve.isAlive()).isFalse();
		Set<String> stored = new HashSet<>(jdbc().queryForList("SELECT dedupe_key FROM capture_inbox", String.class));
		assertThat(stored).containsAll(result.acknowledged());

		// when restarted and everything is delivered again
		Process again = CHATVAULT.start("serve");
		try {
			awaitReady(again);
			WebhookLoad.Result redelivered = load.run(4, Duration.ofMinutes(3), (acknowledged) -> false, "crash",
					result.sent());
			// then nothing is stored twice
			assertThat(redelivered.acknowledged()).hasSize((int) result.sent()).containsAll(result.acknowledged());
			Long rows = jdbc().queryForObject("SELECT count(*) FROM capture_inbox", Long.class);
			Long distinct = jdbc().queryForObject("SELECT count(DISTINCT dedupe_key) FROM capture_inbox", Long.class);
			assertThat(rows).isEqualTo(distinct);
			assertThat(get("/actuator/prometheus")).contains("chatvault_capture_stored_seconds_count");
		}
		finally {
			again.destroy();
			again.waitFor(60, TimeUnit.SECONDS);
		}
	}

	private static JdbcTemplate jdbc() {
		var database = CHATVAULT.database();
		return new JdbcTemplate(
				new SingleConnectionDataSource(database.jdbcUrl(), database.user(), database.password(), true));
	}

	private static void awaitReady(Process serve) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(serve.isAlive()).as(() -> log()).isTrue();
			try {
				if (status("/actuator/health/readiness") == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		throw new AssertionError("serve did not become ready: " + log());
	}

	private static String log() {
		try {
			return Files.readString(CHATVAULT.home().resolve("child.log"));
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private static int status(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + MANAGEMENT_PORT + path)).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private static String get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + MANAGEMENT_PORT + path)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
