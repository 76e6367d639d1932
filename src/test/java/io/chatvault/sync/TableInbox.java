package io.chatvault.sync;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.chatvault.custodian.CustodianGroup;
import io.chatvault.custodian.PlatformAccount;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A stand-in for the capture inbox (issue 13) until its table lands: deliveries in a
 * plain table, bodies unsealed, matched to accounts by an account column, drained by
 * marking - the contract {@link Inbox} states.
 */
class TableInbox implements Inbox {

	private final JdbcTemplate jdbc;

	private volatile boolean created;

	TableInbox(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	private void create() {
		if (!this.created) {
			this.jdbc.execute("""
					CREATE TABLE IF NOT EXISTS test_inbox (id BIGSERIAL PRIMARY KEY, platform VARCHAR(20) NOT NULL,
						account VARCHAR(200) NOT NULL, captured_at TIMESTAMPTZ NOT NULL, body BYTEA NOT NULL,
						drained_at TIMESTAMPTZ, drained_by BIGINT)
					""");
			this.jdbc
				.execute("CREATE INDEX IF NOT EXISTS test_inbox_waiting ON test_inbox (id) WHERE drained_at IS NULL");
			this.created = true;
		}
	}

	/** Captures a delivery, as the capture server would. */
	long deliver(InboxPlatform platform, PlatformAccount account, Instant capturedAt, byte[] body) {
		create();
		return this.jdbc.queryForObject(
				"INSERT INTO test_inbox (platform, account, captured_at, body) VALUES (?, ?, ?, ?) RETURNING id",
				Long.class, platform.name(), account.key(), Timestamp.from(capturedAt), body);
	}

	/** Captures many deliveries in one statement batch. */
	void deliverAll(List<Object[]> rows) {
		create();
		this.jdbc.batchUpdate("INSERT INTO test_inbox (platform, account, captured_at, body) VALUES (?, ?, ?, ?)",
				rows);
	}

	long waitingCount() {
		create();
		return this.jdbc.queryForObject("SELECT count(*) FROM test_inbox WHERE drained_at IS NULL", Long.class);
	}

	@Override
	public List<InboxDelivery> waiting(CustodianGroup group, Instant capturedAfter, Instant capturedUntil,
			InboxDelivery after, int limit) {
		create();
		String[] keys = group.accounts().stream().map(PlatformAccount::key).toArray(String[]::new);
		return this.jdbc.query((connection) -> {
			var statement = connection.prepareStatement("""
					SELECT id, platform, account, captured_at, body FROM test_inbox
					WHERE drained_at IS NULL AND id > ? AND captured_at > ? AND captured_at <= ? AND account = ANY (?)
					ORDER BY id LIMIT ?
					""");
			statement.setLong(1, (after != null) ? after.id() : 0);
			statement.setTimestamp(2, Timestamp.from((capturedAfter != null) ? capturedAfter : Instant.EPOCH));
			statement.setTimestamp(3, Timestamp.from(capturedUntil));
			statement.setArray(4, connection.createArrayOf("varchar", keys));
			statement.setInt(5, limit);
			return statement;
		}, (rs, row) -> new InboxDelivery(rs.getLong(1), InboxPlatform.valueOf(rs.getString(2)),
				PlatformAccount.parse(rs.getString(3)), rs.getTimestamp(4).toInstant(), rs.getBytes(5)));
	}

	@Override
	public List<Instant> cuts(CustodianGroup group, Instant capturedUntil, int parts) {
		create();
		String[] keys = group.accounts().stream().map(PlatformAccount::key).toArray(String[]::new);
		List<Instant> cuts = new ArrayList<>();
		for (int i = 1; i < parts; i++) {
			Timestamp cut = this.jdbc.queryForObject("""
					SELECT percentile_disc(?) WITHIN GROUP (ORDER BY captured_at) FROM test_inbox
					WHERE drained_at IS NULL AND captured_at <= ? AND account = ANY (?)
					""", Timestamp.class, (double) i / parts, Timestamp.from(capturedUntil), keys);
			cuts.add((cut != null) ? cut.toInstant() : capturedUntil);
		}
		return cuts;
	}

	@Override
	public void drained(Collection<Long> ids, long jobExecutionId) {
		this.jdbc.update((connection) -> {
			var statement = connection
				.prepareStatement("UPDATE test_inbox SET drained_at = now(), drained_by = ? WHERE id = ANY (?)");
			statement.setLong(1, jobExecutionId);
			statement.setArray(2, connection.createArrayOf("bigint", ids.toArray()));
			return statement;
		});
	}

}
