package io.chatvault.keyrotation;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.chatvault.ChatVaultApplication;
import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.KeyEncryptionKeys;
import io.chatvault.crypto.KeyScope;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Participant;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import io.chatvault.migration.ChatVaultProcesses;
import io.chatvault.testsupport.TestPkcs11;
import io.chatvault.vault.ArchiveRequest;
import io.chatvault.vault.Vault;
import io.chatvault.vault.VaultReader;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Key rotation killed with SIGKILL part-way and resumed by the next plain run: every data
 * key ends wrapped by the new version, each re-wrapped exactly once, the old version is
 * retired, and every record reads in a fresh process (no key cached). Once with the
 * PKCS#12 keystore, once with the key-encryption keys in a SoftHSM2 token. The number of
 * data keys is {@code -Dchatvault.rotation.keys} (default 3,000; the 100,000 run:
 * docs/keys.md).
 */
class KeyRotationCrashIntegrationTests {

	private static final int KEYS = Integer.getInteger("chatvault.rotation.keys", 3_000);

	private static final int RECORDS = 300;

	@Test
	void aKilledRotationResumesWithEveryRecordReadableInTheKeystore() throws Exception {
		rotateKillResume(List.of());
	}

	@Test
	void aKilledRotationResumesWithEveryRecordReadableInSoftHsm() throws Exception {
		TestPkcs11.Token token = TestPkcs11.token();
		rotateKillResume(List.of("chatvault.crypto.provider=pkcs11",
				"chatvault.crypto.pkcs11.library=" + token.library(), "chatvault.crypto.pkcs11.slot=" + token.slot(),
				"chatvault.crypto.pkcs11.pin=" + token.pin(),
				"chatvault.crypto.pkcs11.label-prefix=rot-" + UUID.randomUUID().toString().substring(0, 8) + "-"));
	}

	private void rotateKillResume(List<String> crypto) throws Exception {
		List<String> extra = new ArrayList<>(crypto);
		extra.add("chatvault.jobs.recover-grace=3s");
		extra.add("chatvault.crypto.rotation-chunk-pause=" + Math.max(20, 20_000 / KEYS) + "ms");
		extra.add("spring.datasource.hikari.maximum-pool-size=3");
		ChatVaultProcesses processes = new ChatVaultProcesses("key-rotation", extra);
		List<String> ids = new ArrayList<>();
		// given: records in their own conversations, and the rest of the data keys
		try (ConfigurableApplicationContext context = context(processes)) {
			Vault vault = context.getBean(Vault.class);
			List<ArchiveRequest> requests = new ArrayList<>();
			for (int i = 0; i < RECORDS; i++) {
				requests.add(vault.prepare(record("rot-" + i, i), "custodian-" + (i % 7)));
			}
			vault.archive(requests);
			requests.forEach((request) -> ids.add(request.messageId()));
			DataKeys dataKeys = context.getBean(DataKeys.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			int existing = jdbc.queryForObject("SELECT count(*) FROM vault_data_key", Integer.class);
			for (int from = existing; from < KEYS; from += 1000) {
				List<KeyScope> scopes = new ArrayList<>();
				for (int i = from; i < Math.min(KEYS, from + 1000); i++) {
					scopes.add(KeyScope.named("bulk:" + i));
				}
				dataKeys.forKeyScopes(scopes);
			}
			assertThat(jdbc.queryForObject("SELECT count(*) FROM vault_data_key WHERE kek_version = 1", Integer.class))
				.isEqualTo(KEYS);
		}

		// when: a run killed part-way, then the next plain run
		Process killed = processes.start("run", "key-rotation", "quarter=2026-Q4");
		try (ConfigurableApplicationContext context = context(processes)) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			await().atMost(10, TimeUnit.MINUTES)
				.pollInterval(java.time.Duration.ofMillis(50))
				.until(() -> rewrapped(jdbc) >= KEYS / 3);
			killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			long atKill = rewrapped(jdbc);
			assertThat(atKill).isLessThan(KEYS);
			Thread.sleep(3_500);
			int exit = ChatVaultProcesses.finish(processes.start("run", "key-rotation", "quarter=2026-Q4"));

			// then
			assertThat(exit).as(java.nio.file.Files.readString(processes.home().resolve("child.log"))).isEqualTo(0);
			assertThat(rewrapped(jdbc)).isEqualTo(KEYS);
			assertThat(jdbc.queryForList("SELECT DISTINCT kek_version FROM vault_data_key", Integer.class))
				.containsExactly(2);
			assertThat(jdbc.queryForList("SELECT status FROM batch_job_execution e JOIN batch_job_instance i "
					+ "ON i.job_instance_id = e.job_instance_id WHERE i.job_name = 'key-rotation' "
					+ "ORDER BY e.job_execution_id", String.class))
				.containsExactly("FAILED", "COMPLETED");
		}
		// and: a fresh process (no key cached) reads every record; version 1 is gone
		try (ConfigurableApplicationContext context = context(processes)) {
			VaultReader reader = context.getBean(VaultReader.class);
			for (int i = 0; i < ids.size(); i++) {
				assertThat(reader.record(ids.get(i)).orElseThrow().record().body()).isEqualTo("body " + i);
			}
			assertThat(context.getBean(KeyEncryptionKeys.class).versions()).containsExactly(2);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT retired_at IS NOT NULL FROM key_kek_version WHERE version = 1",
					Boolean.class))
				.isTrue();
		}
		processes.deleteHome();
	}

	private static long rewrapped(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT coalesce(sum(keys_rewrapped), 0) FROM key_rotation_run", Long.class);
	}

	private static ConfigurableApplicationContext context(ChatVaultProcesses processes) {
		return new SpringApplicationBuilder(ChatVaultApplication.class).web(WebApplicationType.NONE)
			.run(processes.properties().stream().map((p) -> "--" + p).toArray(String[]::new));
	}

	private static ChatRecord record(String conversation, int i) {
		return ChatRecord
			.builder(SourcePlatform.SLACK_EXPORT, new Conversation(conversation, ConversationType.CHANNEL, "c", null),
					RecordKind.MESSAGE, java.time.Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i),
					new SourceLocation("export.zip", conversation + ".json", 1))
			.platformMessageId("m" + i)
			.author(new Participant("U1", "Alice"))
			.body("body " + i)
			.build();
	}

}
