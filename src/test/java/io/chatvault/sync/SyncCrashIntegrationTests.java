package io.chatvault.sync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.chatvault.custodian.AccountKind;
import io.chatvault.custodian.PlatformAccount;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.migration.ChatVaultProcesses;
import io.chatvault.source.ChatSources;
import io.chatvault.source.DateOrder;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;
import io.chatvault.source.whatsappcloud.WebhookBodies;
import io.chatvault.vault.Vault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.chatvault.migration.ChatVaultProcesses.finish;
import static io.chatvault.migration.ChatVaultProcesses.lastExecution;
import static io.chatvault.migration.ChatVaultProcesses.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Syncs an inbox of captured WhatsApp deliveries and an export in the drop folder in a
 * child JVM and kills it with SIGKILL at random moments; after each kill either the
 * crashed window is recovered and restarted (as an operator would) or the next window
 * runs (as the scheduler would, with the crashed one left behind). At the end every
 * message is in the archive exactly once, nothing waits in the inbox, and the windows'
 * reconciliations add up to the input with no duplicate.
 *
 * <p>
 * The default size keeps the suite fast; the run is
 * {@code -Dchatvault.synccrash.messages=100000 -Dchatvault.synccrash.kills=5}.
 */
// Closed after the class: its connection pool is not kept for the rest of the suite.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest
class SyncCrashIntegrationTests {

	static final int MESSAGES = Integer.getInteger("chatvault.synccrash.messages", 5_000);

	static final int KILLS = Integer.getInteger("chatvault.synccrash.kills", 2);

	static final int MAX_DELAY_MS = Integer.getInteger("chatvault.synccrash.max-delay-ms", 400);

	static final String NUMBER = "3100000000001";

	static final Instant FIRST_WINDOW = Instant.parse("2024-03-12T09:15:00Z");

	static final ChatVaultProcesses CHATVAULT = new ChatVaultProcesses("chatvault-synccrash",
			List.of("chatvault.test.table-inbox=true", "chatvault.groups.crash.cadence=15m",
					"chatvault.groups.crash.members[0].custodian=carol",
					"chatvault.groups.crash.members[0].whatsapp=" + NUMBER, "chatvault.sync.inbox-chunk=500",
					"chatvault.sync.drop-chunk=500"));

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
	TableInbox inbox;

	@Autowired
	Vault vault;

	@Autowired
	ChatSources sources;

	@Test
	void killedAtRandomMomentsThenRestartedOrOvertakenEveryMessageIsArchivedExactlyOnce() throws Exception {
		// given
		Random random = new Random(Long.getLong("chatvault.synccrash.seed", System.nanoTime()));
		int dropped = Math.max(100, MESSAGES / 10);
		Set<String> expected = new HashSet<>(deliver(MESSAGES - dropped));
		expected.addAll(drop(dropped));
		assertThat(expected).hasSize(MESSAGES);
		long started = System.nanoTime();
		System.out.printf("input ready%n");

		// when
		List<Instant> windows = new ArrayList<>(List.of(FIRST_WINDOW));
		long before = executions();
		Process child = run(FIRST_WINDOW);
		int kills = 0;
		while (kills < KILLS && killWhileRunning(child, before, random, KILLS - kills)) {
			kills++;
			long execution = lastExecution(this.jdbc);
			System.out.printf("kill %d: %d of %d waiting, execution %d%n", kills, this.inbox.waitingCount(),
					MESSAGES - dropped, execution);
			before = executions();
			if (random.nextBoolean()) {
				recover(execution);
				child = CHATVAULT.start("restart", Long.toString(execution));
			}
			else {
				Instant next = windows.get(windows.size() - 1).plus(Duration.ofMinutes(15));
				windows.add(next);
				child = run(next);
			}
		}
		finish(child);
		completeEveryWindow();
		System.out.printf("synced in %d s%n", (System.nanoTime() - started) / 1_000_000_000);

		// then
		assertThat(kills).as("kills while the job ran").isEqualTo(KILLS);
		assertThat(this.inbox.waitingCount()).isZero();
		List<String> missing = expected.stream().filter((id) -> !readable(id)).limit(10).toList();
		assertThat(missing).as("messages not in the archive").isEmpty();
		System.out.printf("checked in %d s%n", (System.nanoTime() - started) / 1_000_000_000);
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM vault_message m JOIN vault_conversation c ON c.id = m.conversation "
					+ "JOIN vault_custodian k ON k.id = c.custodian_id WHERE k.name = 'carol'")
			.query(Long.class)
			.single()).isEqualTo(MESSAGES);
		assertThat(this.jdbc.sql("SELECT coalesce(sum(archived), 0) FROM sync_window WHERE group_name = 'crash'")
			.query(Long.class)
			.single()).as("archived over all windows").isEqualTo(MESSAGES);
		assertThat(this.jdbc.sql("SELECT coalesce(sum(duplicates + quarantined), 0) FROM sync_window")
			.query(Long.class)
			.single()).isZero();
		assertThat(
				this.jdbc.sql("SELECT count(*) FROM sync_window WHERE group_name = 'crash'").query(Long.class).single())
			.isEqualTo(windows.size());
	}

	private Process run(Instant windowEnd) throws IOException {
		return CHATVAULT.start("run", "sync", "group=crash", "window-end=" + windowEnd);
	}

	private void recover(long execution) throws InterruptedException, IOException {
		String status = statusOf(this.jdbc, execution);
		// A kill right after the start leaves STARTING, later ones STARTED or STOPPING.
		if (List.of("STARTING", "STARTED", "STOPPING").contains(status)) {
			assertThat(finish(CHATVAULT.start("recover", "--force", Long.toString(execution)))).isZero();
		}
	}

	/** Recovers and restarts every window that has not completed, until all have. */
	private void completeEveryWindow() throws Exception {
		for (int round = 0; round < 5; round++) {
			List<Long> unfinished = this.jdbc
				.sql("SELECT max(e.job_execution_id) FROM batch_job_execution e JOIN batch_job_instance i "
						+ "ON i.job_instance_id = e.job_instance_id WHERE i.job_name = 'sync' "
						+ "GROUP BY i.job_instance_id HAVING bool_and(e.status <> 'COMPLETED')")
				.query(Long.class)
				.list();
			if (unfinished.isEmpty()) {
				return;
			}
			for (long execution : unfinished) {
				recover(execution);
				int exit = finish(CHATVAULT.start("restart", Long.toString(execution)));
				System.out.printf("restart of execution %d: exit %d%n", execution, exit);
			}
		}
	}

	private boolean readable(String messageId) {
		try {
			return this.vault.readCanonical(messageId).length > 0;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** Captures deliveries in the first window; returns the ids their records get. */
	private List<String> deliver(int count) {
		WebhookBodies bodies = new WebhookBodies();
		PlatformAccount account = PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, NUMBER);
		List<String> ids = new ArrayList<>(count);
		List<Object[]> rows = new ArrayList<>();
		Instant start = FIRST_WINDOW.minus(Duration.ofMinutes(15));
		for (int i = 0; i < count; i++) {
			Instant sent = start.plusMillis(i * 800_000L / count);
			byte[] body = WebhookDeliveries.text("wamid.crash-" + i, "4477009" + (i % 1000), sent,
					"message " + i + " of the crash test");
			rows.add(new Object[] { InboxPlatform.WHATSAPP.name(), account.key(), Timestamp.from(sent.plusMillis(300)),
					body });
			for (SourceRecord record : bodies.read(body, new SourceLocation("inbox", "whatsapp", i))) {
				ids.add(this.vault.prepare((ChatRecord) record, "carol").messageId());
			}
			if (rows.size() == 5_000) {
				this.inbox.deliverAll(rows);
				rows.clear();
			}
		}
		this.inbox.deliverAll(rows);
		return ids;
	}

	/** Writes an export into carol's drop folder; returns the ids its records get. */
	private List<String> drop(int lines) throws IOException {
		Path file = CHATVAULT.home().resolve("drop/crash/carol/WhatsApp Chat with Desk.txt");
		Files.createDirectories(file.getParent());
		DateTimeFormatter header = DateTimeFormatter.ofPattern("dd/MM/yyyy, HH:mm").withZone(ZoneOffset.UTC);
		StringBuilder text = new StringBuilder();
		Instant at = Instant.parse("2024-03-01T08:00:00Z");
		for (int i = 0; i < lines; i++) {
			text.append(header.format(at.plusSeconds(60L * (i / 7))))
				.append(" - ")
				.append((i % 2 == 0) ? "Carol Jones" : "Desk")
				.append(": line ")
				.append(i)
				.append(" of the dropped export\n");
		}
		Files.writeString(file, text, StandardCharsets.UTF_8);
		Files.setLastModifiedTime(file, FileTime.from(FIRST_WINDOW.minusSeconds(60)));
		List<String> ids = new ArrayList<>(lines);
		try (SourceReader reader = this.sources.open(file, ChatSources.AUTO,
				new SourceOptions("carol", ZoneOffset.UTC, DateOrder.AUTO))) {
			reader.forEachRemaining((record) -> ids.add(this.vault.prepare((ChatRecord) record, "carol").messageId()));
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		return ids;
	}

	/** Progress: deliveries drained plus dropped records committed. */
	private long committed() {
		return this.jdbc
			.sql("SELECT (SELECT count(*) FROM test_inbox WHERE drained_at IS NOT NULL) + "
					+ "(SELECT coalesce(sum(records_done), 0) FROM sync_dropped_file)")
			.query(Long.class)
			.single();
	}

	private long executions() {
		return this.jdbc.sql("SELECT coalesce(max(job_execution_id), 0) FROM batch_job_execution")
			.query(Long.class)
			.single();
	}

	/** Kills the child once it has started an execution newer than {@code before}. */
	private boolean killWhileRunning(Process child, long before, Random random, int killsLeft)
			throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (System.nanoTime() < deadline && child.isAlive() && executions() <= before) {
			Thread.sleep(20);
		}
		if (random.nextInt(5) > 0) {
			long committed = committed();
			long share = Math.max(1, (MESSAGES - committed) / (killsLeft + 1));
			long target = committed + 1 + (long) (random.nextDouble() * share);
			while (System.nanoTime() < deadline && child.isAlive() && committed() < target) {
				Thread.sleep(10);
			}
		}
		Thread.sleep(random.nextInt(MAX_DELAY_MS));
		if (!child.isAlive()) {
			return false;
		}
		child.destroyForcibly();
		child.waitFor(30, TimeUnit.SECONDS);
		return true;
	}

}
