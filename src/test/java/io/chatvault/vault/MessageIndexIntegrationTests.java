package io.chatvault.vault;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.chatvault.message.RecordKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link MessageIndex#insert}: rows go straight into {@code vault_message} when none is
 * there yet and through the staging table otherwise; either way each record is indexed
 * once, with the tokens and counts of the writer that indexed it, and a writer never
 * fails because another wrote the same record.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageIndexIntegrationTests {

	VaultFixture fixture;

	MessageIndex index;

	TransactionTemplate transaction;

	@BeforeAll
	void start(@TempDir Path directory) {
		this.fixture = new VaultFixture(directory);
		this.index = new MessageIndex(this.fixture.dataSource, this.fixture.jdbc);
		this.transaction = new TransactionTemplate(this.fixture.transactionManager);
	}

	@AfterAll
	void stop() {
		this.fixture.close();
	}

	@Test
	void newRowsGoInWithTheirTokensAndAreCounted() {
		int conversation = conversation();
		MessageIndex.Row a = row(conversation, RecordKind.MESSAGE, 1, 2, 3);
		MessageIndex.Row b = row(conversation, RecordKind.EDIT, 4);
		Set<String> inserted = this.transaction.execute((status) -> this.index.insert(List.of(a, b)));
		assertThat(inserted).containsExactlyInAnyOrder(a.messageId(), b.messageId());
		assertThat(tokens(a)).containsExactly(1L, 2L, 3L);
		assertThat(tokens(b)).containsExactly(4L);
		assertThat(counted(conversation, RecordKind.MESSAGE)).isEqualTo(1);
		assertThat(counted(conversation, RecordKind.EDIT)).isEqualTo(1);
	}

	@Test
	void aRowThereAlreadyIsSkippedAndTheRestOfTheTransactionStays() {
		int conversation = conversation();
		MessageIndex.Row there = row(conversation, RecordKind.MESSAGE, 7);
		this.transaction.executeWithoutResult((status) -> this.index.insert(List.of(there)));
		MessageIndex.Row before = row(conversation, RecordKind.MESSAGE, 8);
		MessageIndex.Row fresh = row(conversation, RecordKind.MESSAGE, 9);
		MessageIndex.Row again = new MessageIndex.Row(there.messageId(), 99, 5, conversation, RecordKind.MESSAGE,
				there.sentAt(), new long[] { 10 });
		Set<String> inserted = this.transaction.execute((status) -> {
			assertThat(this.index.insert(List.of(before))).containsExactly(before.messageId());
			Set<String> second = this.index.insert(List.of(fresh, again));
			// the transaction is still usable after the conflict
			this.fixture.jdbc.update("INSERT INTO vault_message_count (conversation, kind, records) VALUES (?, 0, 0)",
					conversation);
			return second;
		});
		assertThat(inserted).containsExactly(fresh.messageId());
		assertThat(rows(before, fresh, there)).isEqualTo(3);
		assertThat(tokens(there)).containsExactly(7L);
		assertThat(this.fixture.jdbc.queryForObject(
				"SELECT block_id FROM vault_message WHERE message_id = decode(?, 'hex')", Long.class,
				there.messageId()))
			.isEqualTo(there.blockId());
		assertThat(counted(conversation, RecordKind.MESSAGE)).isEqualTo(3);
	}

	@Test
	void outsideATransactionNothingIsInsertedAndTheCallerIsTold() {
		// the staging table empties at every commit: outside a transaction its rows
		// were gone before the INSERT read them, and the rows were silently not indexed
		MessageIndex.Row row = row(conversation(), RecordKind.MESSAGE, 1);
		assertThatIllegalStateException().isThrownBy(() -> this.index.insert(List.of(row)));
		assertThat(rows(row)).isZero();
	}

	@Test
	void aConcurrentWriterOfTheSameRecordWaitsAndThenSkipsItWhenTheFirstCommits() throws Exception {
		int conversation = conversation();
		MessageIndex.Row shared = row(conversation, RecordKind.MESSAGE, 1);
		MessageIndex.Row own = row(conversation, RecordKind.MESSAGE, 2);
		assertThat(concurrently(shared, own, true)).containsExactly(own.messageId());
		assertThat(rows(shared, own)).isEqualTo(2);
		assertThat(counted(conversation, RecordKind.MESSAGE)).isEqualTo(2);
	}

	@Test
	void aConcurrentWriterOfTheSameRecordIndexesItWhenTheFirstRollsBack() throws Exception {
		int conversation = conversation();
		MessageIndex.Row shared = row(conversation, RecordKind.MESSAGE, 1);
		MessageIndex.Row own = row(conversation, RecordKind.MESSAGE, 2);
		assertThat(concurrently(shared, own, false)).containsExactlyInAnyOrder(own.messageId(), shared.messageId());
		assertThat(rows(shared, own)).isEqualTo(2);
		assertThat(counted(conversation, RecordKind.MESSAGE)).isEqualTo(2);
	}

	@Test
	void archivedFindsWhatTheTextArrayQueryFound() {
		int custodian = this.fixture.jdbc.queryForObject("INSERT INTO vault_custodian (name) VALUES (?) RETURNING id",
				Integer.class, "c-" + conversation());
		int conversation = this.fixture.jdbc.queryForObject(
				"INSERT INTO vault_conversation (source, conversation_id, custodian_id) VALUES ('SLACK', ?, ?) RETURNING id",
				Integer.class, "C" + conversation(), custodian);
		List<MessageIndex.Row> there = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			there.add(row(conversation, RecordKind.MESSAGE, i));
		}
		this.transaction.executeWithoutResult((status) -> this.index.insert(there));
		List<String> asked = new ArrayList<>();
		for (int i = 0; i < there.size(); i += 3) {
			asked.add(there.get(i).messageId());
			asked.add(row(conversation, RecordKind.MESSAGE).messageId());
		}
		Collections.shuffle(asked);
		Map<String, String> before = new HashMap<>();
		this.fixture.jdbc.query("SELECT encode(m.message_id, 'hex'), k.name FROM vault_message m "
				+ "JOIN vault_conversation c ON c.id = m.conversation JOIN vault_custodian k ON k.id = c.custodian_id "
				+ "WHERE m.message_id IN (SELECT decode(id, 'hex') FROM unnest(?::text[]) id)", (rs) -> {
					before.put(rs.getString(1), rs.getString(2));
				}, (Object) asked.toArray(String[]::new));
		assertThat(before).hasSize(100);
		assertThat(this.index.archived(asked)).isEqualTo(before);
		assertThat(this.index.archived(List.of())).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> this.index.archived(List.of("abcd")));
	}

	/**
	 * A first writer indexes {@code shared} and holds its transaction open; a second
	 * indexes {@code own} and {@code shared}, which must wait for the first; then the
	 * first commits or rolls back.
	 * @return what the second writer inserted
	 */
	private Set<String> concurrently(MessageIndex.Row shared, MessageIndex.Row own, boolean firstCommits)
			throws Exception {
		CountDownLatch firstInserted = new CountDownLatch(1);
		CountDownLatch finishFirst = new CountDownLatch(1);
		CompletableFuture<Void> first = CompletableFuture.runAsync(() -> this.transaction.executeWithoutResult((s) -> {
			this.index.insert(List.of(shared));
			firstInserted.countDown();
			try {
				finishFirst.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (!firstCommits) {
				s.setRollbackOnly();
			}
		}));
		assertThat(firstInserted.await(30, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Set<String>> second = CompletableFuture
			.supplyAsync(() -> this.transaction.execute((s) -> this.index.insert(List.of(own, shared))));
		assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> second.get(1, TimeUnit.SECONDS));
		finishFirst.countDown();
		first.get(30, TimeUnit.SECONDS);
		return second.get(30, TimeUnit.SECONDS);
	}

	private static int conversation() {
		return ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
	}

	private static MessageIndex.Row row(int conversation, RecordKind kind, long... tokens) {
		byte[] id = new byte[32];
		ThreadLocalRandom.current().nextBytes(id);
		return new MessageIndex.Row(HexFormat.of().formatHex(id), ThreadLocalRandom.current().nextLong(1, 1 << 40), 3,
				conversation, kind, Instant.parse("2024-03-01T10:15:30.123456Z"), tokens);
	}

	private List<Long> tokens(MessageIndex.Row row) {
		Long[] tokens = this.fixture.jdbc.queryForObject(
				"SELECT tokens FROM vault_message WHERE message_id = decode(?, 'hex')",
				(rs, i) -> (Long[]) rs.getArray(1).getArray(), row.messageId());
		return List.of(tokens);
	}

	private long rows(MessageIndex.Row... rows) {
		String[] ids = java.util.Arrays.stream(rows).map(MessageIndex.Row::messageId).toArray(String[]::new);
		return this.fixture.jdbc.queryForObject(
				"SELECT count(*) FROM vault_message WHERE message_id IN (SELECT decode(id, 'hex') FROM unnest(?::text[]) id)",
				Long.class, (Object) ids);
	}

	private long counted(int conversation, RecordKind kind) {
		return this.fixture.jdbc.queryForObject(
				"SELECT coalesce(sum(records), 0) FROM vault_message_count WHERE conversation = ? AND kind = ?",
				Long.class, conversation, MessageIndex.kindCode(kind));
	}

}
