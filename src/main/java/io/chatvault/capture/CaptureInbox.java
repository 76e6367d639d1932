package io.chatvault.capture;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.chatvault.custodian.CustodianGroup;
import io.chatvault.custodian.CustodianGroups;
import io.chatvault.custodian.PlatformAccount;
import io.chatvault.sync.Inbox;
import io.chatvault.sync.InboxDelivery;
import io.chatvault.sync.InboxPlatform;
import io.chatvault.sync.SyncProperties;
import org.postgresql.PGStatement;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The capture inbox in PostgreSQL ({@code capture_inbox}, V50): {@code serve} stores each
 * accepted delivery sealed, once however often it is redelivered, and commits before it
 * answers; the sync job reads a group's waiting deliveries (unsealed) and marks them
 * drained in its chunk's transaction. A stored delivery is never updated: what is waiting
 * is listed in {@code capture_inbox_waiting} and what was drained, when and by which sync
 * execution, in {@code capture_inbox_drained} (V51).
 *
 * <p>
 * Routing: a delivery belongs to the groups one of whose accounts its routing keys name.
 * A delivery that names no account of any group (a body that is not JSON names none) goes
 * to the unrouted group ({@code chatvault.sync.unrouted-group}, or the only group).
 */
public class CaptureInbox implements Inbox, AutoCloseable {

	/**
	 * How long a request waits for its delivery's commit before it is answered 503 (the
	 * pool's connection timeout, 10 s, is in it).
	 */
	static final Duration COMMIT_PATIENCE = Duration.ofSeconds(30);

	private final JdbcTemplate jdbc;

	private final InboxBodies bodies;

	private final Clock clock;

	private final CustodianGroups groups;

	private final ObjectProvider<SyncProperties> syncProperties;

	private final InboxWriter writer;

	CaptureInbox(JdbcTemplate jdbc, InboxBodies bodies, Clock clock, CustodianGroups groups,
			ObjectProvider<SyncProperties> syncProperties) {
		this.jdbc = jdbc;
		this.bodies = bodies;
		this.clock = clock;
		this.groups = groups;
		this.syncProperties = syncProperties;
		this.writer = new InboxWriter(jdbc, clock, COMMIT_PATIENCE);
	}

	/**
	 * Seals a delivery and stores it: when this returns, the delivery is committed (group
	 * commit with the deliveries of other requests, {@link InboxWriter}).
	 * @param delivery the delivery
	 * @return whether it was new, or a redelivery of one stored before
	 */
	Stored store(Delivery delivery) {
		byte[] body = this.bodies.seal(delivery.platform(), delivery.app(), delivery.dedupeKey(), delivery.body());
		byte[] resources = (delivery.resources() != null) ? this.bodies.seal(delivery.platform(), delivery.app(),
				delivery.dedupeKey() + "#resources", delivery.resources()) : null;
		boolean inserted = this.writer.write(new InboxWriter.Row(delivery.platform().name(), delivery.app(),
				delivery.dedupeKey(), delivery.routing(), delivery.peer(), delivery.body().length, body, resources));
		return inserted ? Stored.NEW : Stored.REDELIVERY;
	}

	/** Writes the deliveries handed over and stops taking more (serve is stopping). */
	@Override
	public void close() {
		this.writer.close();
	}

	/** What became of a stored delivery. */
	enum Stored {

		/** Stored for the first time. */
		NEW,

		/** Already there: counted, not stored again. */
		REDELIVERY

	}

	@Override
	public List<InboxDelivery> waiting(CustodianGroup group, Instant capturedAfter, Instant capturedUntil,
			InboxDelivery after, int limit) {
		Routes routes = routes(group);
		Map<String, PlatformAccount> own = routes.own();
		// Keyset: after the last delivery read, or after every delivery captured at the
		// slice's start (ids are below Long.MAX_VALUE), so the order's index finds both.
		Instant fromTime = (after != null) ? after.capturedAt()
				: (capturedAfter != null) ? capturedAfter : Instant.EPOCH;
		long fromId = (after != null) ? after.id() : (capturedAfter != null) ? Long.MAX_VALUE : 0;
		List<Row> rows = this.jdbc.query((connection) -> {
			PreparedStatement statement = connection.prepareStatement("""
					SELECT i.id, i.platform, i.app, i.dedupe_key, w.routing, w.received_at, i.body, i.resources
					FROM capture_inbox_waiting w JOIN capture_inbox i ON i.id = w.id
					WHERE w.received_at <= ? AND (w.received_at, w.id) > (?, ?)
						AND (w.routing && ? OR (? AND NOT w.routing && ?))
					ORDER BY w.received_at, w.id LIMIT ?
					""");
			// Rows in binary from the first execution (the driver switches only after
			// five on one connection, which a chunk's query seldom reaches): the sealed
			// bodies as bytes, not as hex text that PostgreSQL writes and the driver
			// decodes (twice the bytes on the wire), and capture times as integers.
			statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
			statement.setTimestamp(1, Timestamp.from(capturedUntil));
			statement.setTimestamp(2, Timestamp.from(fromTime));
			statement.setLong(3, fromId);
			statement.setArray(4, connection.createArrayOf("text", own.keySet().toArray()));
			statement.setBoolean(5, routes.unrouted());
			statement.setArray(6, connection.createArrayOf("text", routes.everyone().toArray()));
			statement.setInt(7, limit);
			return statement;
		}, (rs, rowNumber) -> {
			Array routing = rs.getArray(5);
			return new Row(rs.getLong(1), InboxPlatform.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
					List.of((String[]) routing.getArray()), rs.getTimestamp(6).toInstant(), rs.getBytes(7),
					rs.getBytes(8));
		});
		List<InboxDelivery> deliveries = new ArrayList<>(rows.size());
		for (Row row : rows) {
			String name = "capture_inbox " + row.id;
			byte[] body = this.bodies.open(row.platform, row.app, row.dedupeKey, row.body, name);
			byte[] resources = (row.resources != null)
					? this.bodies.open(row.platform, row.app, row.dedupeKey + "#resources", row.resources, name) : null;
			PlatformAccount account = null;
			for (String key : row.routing) {
				account = own.get(key);
				if (account != null) {
					break;
				}
			}
			deliveries.add(new InboxDelivery(row.id, row.platform, account, row.receivedAt, body, resources));
		}
		return deliveries;
	}

	@Override
	public List<Instant> cuts(CustodianGroup group, Instant capturedUntil, int parts) {
		if (parts <= 1) {
			return List.of();
		}
		Routes routes = routes(group);
		Double[] fractions = new Double[parts - 1];
		for (int i = 1; i < parts; i++) {
			fractions[i - 1] = (double) i / parts;
		}
		// One pass over the waiting rows' narrow table, sorted by capture time.
		Timestamp[] found = this.jdbc.query((connection) -> {
			PreparedStatement statement = connection.prepareStatement("""
					SELECT percentile_disc(?::float8[]) WITHIN GROUP (ORDER BY w.received_at)
					FROM capture_inbox_waiting w
					WHERE w.received_at <= ? AND (w.routing && ? OR (? AND NOT w.routing && ?))
					""");
			statement.setArray(1, connection.createArrayOf("float8", fractions));
			statement.setTimestamp(2, Timestamp.from(capturedUntil));
			statement.setArray(3, connection.createArrayOf("text", routes.own().keySet().toArray()));
			statement.setBoolean(4, routes.unrouted());
			statement.setArray(5, connection.createArrayOf("text", routes.everyone().toArray()));
			return statement;
		}, (rs) -> {
			Array cuts = rs.next() ? rs.getArray(1) : null;
			return (cuts != null) ? (Timestamp[]) cuts.getArray() : null;
		});
		List<Instant> cuts = new ArrayList<>(parts - 1);
		for (int i = 0; i < parts - 1; i++) {
			// Nothing waiting: the first slice takes whatever commits meanwhile.
			cuts.add((found != null && found[i] != null) ? found[i].toInstant() : capturedUntil);
		}
		return cuts;
	}

	/** The accounts of a group, and whether it takes what no group's account routes. */
	private Routes routes(CustodianGroup group) {
		Map<String, PlatformAccount> own = new HashMap<>();
		group.accounts().forEach((account) -> own.put(account.key(), account));
		boolean unrouted = unroutedGroup().filter(group.name()::equals).isPresent();
		Set<String> everyone = new HashSet<>();
		if (unrouted) {
			this.groups.groups().forEach((each) -> each.accounts().forEach((account) -> everyone.add(account.key())));
		}
		return new Routes(own, unrouted, everyone);
	}

	private record Routes(Map<String, PlatformAccount> own, boolean unrouted, Set<String> everyone) {
	}

	private Optional<String> unroutedGroup() {
		SyncProperties properties = this.syncProperties.getIfAvailable();
		if (properties != null && properties.unroutedGroup() != null && !properties.unroutedGroup().isBlank()) {
			return Optional.of(properties.unroutedGroup());
		}
		List<CustodianGroup> all = this.groups.groups();
		return (all.size() == 1) ? Optional.of(all.get(0).name()) : Optional.empty();
	}

	@Override
	public void drained(Collection<Long> ids, long jobExecutionId) {
		Timestamp now = Timestamp.from(this.clock.instant());
		// The delivery rows are not touched: an update would rewrite each sealed body
		// (V51).
		this.jdbc.update((connection) -> {
			PreparedStatement statement = connection.prepareStatement("""
					WITH gone AS (DELETE FROM capture_inbox_waiting WHERE id = ANY (?) RETURNING id)
					INSERT INTO capture_inbox_drained (id, drained_at, drained_by) SELECT id, ?, ? FROM gone
					""");
			statement.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
			statement.setTimestamp(2, now);
			statement.setLong(3, jobExecutionId);
			return statement;
		});
	}

	/**
	 * What {@code chatvault status} shows: deliveries waiting, the oldest one's age, and
	 * refusals by reason.
	 * @return the figures
	 */
	Map<String, Object> figures() {
		Map<String, Object> figures = new LinkedHashMap<>();
		Instant now = this.clock.instant();
		this.jdbc.query("SELECT count(*), min(received_at) FROM capture_inbox_waiting", (rs) -> {
			figures.put("waiting", rs.getLong(1));
			Timestamp oldest = rs.getTimestamp(2);
			figures.put("oldestWaitingSeconds",
					(oldest != null) ? Math.max(0, now.getEpochSecond() - oldest.toInstant().getEpochSecond()) : 0);
		});
		figures.put("captured", this.jdbc.queryForObject("SELECT count(*) FROM capture_inbox", Long.class));
		Map<String, Object> refused = new LinkedHashMap<>();
		this.jdbc.query("SELECT reason, count(*) FROM capture_refusal GROUP BY reason ORDER BY reason", (rs) -> {
			refused.put(rs.getString(1), rs.getLong(2));
		});
		figures.put("refused", refused);
		return figures;
	}

	private record Row(long id, InboxPlatform platform, String app, String dedupeKey, List<String> routing,
			Instant receivedAt, byte[] body, byte[] resources) {
	}

}
