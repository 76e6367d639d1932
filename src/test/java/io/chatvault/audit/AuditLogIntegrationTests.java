package io.chatvault.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.chatvault.ChatVaultApplication;
import io.chatvault.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit log on real PostgreSQL: appends from several threads form one gapless chain
 * whose hashes recompute, and the database refuses to change what was appended.
 */
class AuditLogIntegrationTests {

	@TempDir
	static Path home;

	static ConfigurableApplicationContext context;

	static AuditLog log;

	static JdbcTemplate jdbc;

	@BeforeAll
	static void start() {
		TestDatabase.Coordinates database = TestDatabase.freshDatabase();
		context = new SpringApplicationBuilder(ChatVaultApplication.class).web(WebApplicationType.NONE)
			.run("--chatvault.home=" + home, "--chatvault.db.url=" + database.jdbcUrl(),
					"--chatvault.db.user=" + database.user(), "--chatvault.db.password=" + database.password());
		log = context.getBean(AuditLog.class);
		jdbc = context.getBean(JdbcTemplate.class);
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@Test
	void concurrentAppendsFormOneGaplessChainWhoseHashesRecompute() throws Exception {
		// given
		long before = log.head().map(AuditEntry::sequence).orElse(0L);
		ExecutorService threads = Executors.newFixedThreadPool(4);
		List<Future<AuditEntry>> appended = new ArrayList<>();

		// when
		for (int i = 0; i < 40; i++) {
			int n = i;
			appended.add(threads.submit(() -> log.append(new AuditEvent("principal-" + (n % 3), "compliance",
					"content.read", "custodian:c" + n, "success", Map.of("records", n, "query", "contract")))));
		}
		for (Future<AuditEntry> entry : appended) {
			entry.get();
		}
		threads.shutdown();

		// then
		List<AuditEntry> chain = jdbc.query("SELECT * FROM audit_entry WHERE sequence > ? ORDER BY sequence",
				JdbcAuditLog::entry, before);
		assertThat(chain).hasSize(40);
		byte[] previous = (before == 0) ? AuditChain.GENESIS
				: jdbc.queryForObject("SELECT entry_hash FROM audit_entry WHERE sequence = ?", byte[].class, before);
		long expected = before + 1;
		for (AuditEntry entry : chain) {
			assertThat(entry.sequence()).isEqualTo(expected++);
			assertThat(entry.previousHash()).isEqualTo(previous);
			String details = jdbc.queryForObject("SELECT details FROM audit_entry WHERE sequence = ?", String.class,
					entry.sequence());
			assertThat(AuditChain.hash(previous, entry.sequence(), entry.recordedAt(), entry.event(), details))
				.isEqualTo(entry.hash());
			previous = entry.hash();
		}
		assertThat(log.head()).get().extracting(AuditEntry::sequence).isEqualTo(before + 40);
		assertThat(chain.get(0).event().details()).containsKeys("records", "query");
	}

	@Test
	void theDatabaseRefusesUpdateDeleteAndTruncate() {
		// given
		AuditEntry entry = log.append(AuditEvent.of("job:test", "job.start", "execution 1", Map.of()));

		// when / then
		assertThatThrownBy(
				() -> jdbc.update("UPDATE audit_entry SET actor = 'someone else' WHERE sequence = ?", entry.sequence()))
			.rootCause()
			.hasMessageContaining("append-only");
		assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_entry WHERE sequence = ?", entry.sequence()))
			.rootCause()
			.hasMessageContaining("append-only");
		assertThatThrownBy(() -> jdbc.execute("TRUNCATE audit_entry")).rootCause().hasMessageContaining("append-only");
		assertThat(
				jdbc.queryForObject("SELECT actor FROM audit_entry WHERE sequence = ?", String.class, entry.sequence()))
			.isEqualTo("job:test");
	}

}
