package io.chatvault.vault;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import io.chatvault.message.RecordKind;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * The per-record index in PostgreSQL ({@code vault_message}, with each record's search
 * tokens) and what hangs off it. Rows go in by binary {@code COPY}, on the connection of
 * the surrounding transaction, so a chunk's rows commit or roll back with the chunk:
 * straight into {@code vault_message} when none is there yet, otherwise into a temporary
 * staging table and one {@code INSERT ... ON CONFLICT DO NOTHING}, so that a concurrent
 * writer of the same record never fails the chunk.
 */
final class MessageIndex {

	private static final String COLUMNS = "block_id, sent_at, conversation, kind, ordinal, message_id, tokens";

	/** PostgreSQL's SQLSTATE of a unique violation. */
	private static final String UNIQUE_VIOLATION = "23505";

	/** The bytes of a message id (a SHA-256). */
	private static final int ID_BYTES = 32;

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	MessageIndex(DataSource dataSource, JdbcTemplate jdbc) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
	}

	/**
	 * The code of a record kind in {@code vault_message.kind}: fixed, whatever the order
	 * of the enum.
	 */
	static short kindCode(RecordKind kind) {
		return kind.code();
	}

	/**
	 * The ids among {@code ids} that are archived, with the custodian whose conversation
	 * holds them. The ids go as one binary {@code bytea} of 32 bytes each, cut apart in
	 * the query, rather than as a text array that PostgreSQL parses and decodes id by id:
	 * about 1.5 µs of the ~4 µs an id costs the backend (docs/BENCHMARKS.md "Migration").
	 * @param ids hex ids of 64 digits
	 */
	Map<String, String> archived(Collection<String> ids) {
		Map<String, String> found = new HashMap<>();
		if (ids.isEmpty()) {
			return found;
		}
		byte[] packed = new byte[ids.size() * ID_BYTES];
		int at = 0;
		for (String id : ids) {
			if (id.length() != 2 * ID_BYTES) {
				throw new IllegalArgumentException("Not a message id of " + ID_BYTES + " bytes: '" + id + "'");
			}
			System.arraycopy(HexFormat.of().parseHex(id), 0, packed, at, ID_BYTES);
			at += ID_BYTES;
		}
		this.jdbc.query("SELECT encode(m.message_id, 'hex'), k.name FROM vault_message m "
				+ "JOIN vault_conversation c ON c.id = m.conversation JOIN vault_custodian k ON k.id = c.custodian_id "
				+ "WHERE m.message_id = ANY (ARRAY(SELECT substring(?::bytea FROM i * 32 + 1 FOR 32) "
				+ "FROM generate_series(0, ? - 1) i))", (rs) -> {
					found.put(rs.getString(1), rs.getString(2));
				}, packed, ids.size());
		return found;
	}

	/**
	 * One row to insert.
	 *
	 * @param messageId hex id
	 * @param blockId its block
	 * @param ordinal its place in the block
	 * @param conversation its {@code vault_conversation} id
	 * @param kind its kind
	 * @param sentAt when it was sent
	 * @param tokens its keyed search tokens, or null when they are written later (search
	 * tokens off at archive time)
	 */
	record Row(String messageId, long blockId, int ordinal, int conversation, RecordKind kind, Instant sentAt,
			long[] tokens) {
	}

	/**
	 * Inserts rows, in the surrounding transaction; rows whose id is already there are
	 * skipped. Counts what was inserted per conversation and kind in
	 * {@code vault_message_count}.
	 * @return the hex ids inserted
	 * @throws IllegalStateException outside a transaction
	 */
	Set<String> insert(List<Row> rows) {
		if (rows.isEmpty()) {
			return Set.of();
		}
		int tokens = 0;
		for (Row row : rows) {
			tokens += (row.tokens() != null) ? row.tokens().length : 0;
		}
		BinaryCopy copy = new BinaryCopy(rows.size() * 130 + tokens * 12);
		for (Row row : rows) {
			copy.row(7)
				.int8(row.blockId())
				.timestamptz(row.sentAt())
				.int4(row.conversation())
				.int2(kindCode(row.kind()))
				.int2(row.ordinal())
				.byteaHex(row.messageId())
				.int8Array(row.tokens());
		}
		Set<String> inserted = new HashSet<>();
		Map<Long, Integer> counts = new HashMap<>();
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			if (connection.getAutoCommit()) {
				// The staging table empties at every commit: outside a transaction its
				// rows would be gone before the INSERT reads them.
				throw new IllegalStateException("Index rows are inserted in the transaction of their chunk");
			}
			CopyManager copyApi = connection.unwrap(PGConnection.class).getCopyAPI();
			if (copyDirectly(connection, copyApi, copy)) {
				for (Row row : rows) {
					inserted.add(row.messageId());
					counts.merge(((long) row.conversation() << 8) | kindCode(row.kind()), 1, Integer::sum);
				}
			}
			else {
				copyThroughStaging(connection, copyApi, copy, inserted, counts);
			}
		}
		catch (SQLException | IOException ex) {
			throw new DataAccessResourceFailureException("Cannot insert " + rows.size() + " index rows", ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
		List<Object[]> countRows = new ArrayList<>(counts.size());
		counts.forEach((key, n) -> countRows.add(new Object[] { (int) (key >>> 8), (short) (key & 0xFF), n }));
		this.jdbc.batchUpdate("INSERT INTO vault_message_count (conversation, kind, records) VALUES (?, ?, ?)",
				countRows);
		return inserted;
	}

	/**
	 * The rows straight into {@code vault_message}, when none of them is there yet: the
	 * common case, since the vault inserts only the ids it found missing at the start of
	 * the chunk. It spares PostgreSQL the staging table's round trip and the
	 * {@code ON CONFLICT} insertion, about 3 µs of a record's ~20 (docs/BENCHMARKS.md
	 * "Migration"). A row that is there after all (a concurrent writer of the same record
	 * committed it in between) fails the whole COPY with a unique violation, which is
	 * undone to a savepoint, so that the transaction goes on.
	 * @return whether the rows went in; false if one of them was there already and
	 * nothing went in
	 */
	private static boolean copyDirectly(Connection connection, CopyManager copyApi, BinaryCopy copy)
			throws SQLException, IOException {
		Savepoint savepoint = connection.setSavepoint();
		try {
			copyApi.copyIn("COPY vault_message (" + COLUMNS + ") FROM STDIN (FORMAT binary)", copy.finish());
		}
		catch (SQLException ex) {
			if (!UNIQUE_VIOLATION.equals(ex.getSQLState())) {
				throw ex;
			}
			connection.rollback(savepoint);
			return false;
		}
		connection.releaseSavepoint(savepoint);
		return true;
	}

	/**
	 * The rows through a temporary staging table and one
	 * {@code INSERT ... ON CONFLICT DO NOTHING}: rows already there are skipped, and a
	 * concurrent writer of the same record never fails the chunk.
	 */
	private static void copyThroughStaging(Connection connection, CopyManager copyApi, BinaryCopy copy,
			Set<String> inserted, Map<Long, Integer> counts) throws SQLException, IOException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("CREATE TEMP TABLE IF NOT EXISTS vault_message_staging "
					+ "(LIKE vault_message INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
			// Rows of an earlier call in the same transaction may still be there (the
			// table empties at commit); they conflict and count for nothing.
			copyApi.copyIn("COPY vault_message_staging (" + COLUMNS + ") FROM STDIN (FORMAT binary)", copy.finish());
			try (ResultSet rs = statement.executeQuery("INSERT INTO vault_message (" + COLUMNS + ") SELECT " + COLUMNS
					+ " FROM vault_message_staging ON CONFLICT (message_id) DO NOTHING "
					+ "RETURNING encode(message_id, 'hex'), conversation, kind")) {
				while (rs.next()) {
					inserted.add(rs.getString(1));
					counts.merge(((long) rs.getInt(2) << 8) | rs.getShort(3), 1, Integer::sum);
				}
			}
		}
	}

	/** Records that a message already archived is also held by further custodians. */
	void addHolders(List<Object[]> messageIdAndCustodianId) {
		if (!messageIdAndCustodianId.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO vault_message_holder (message_id, custodian_id) "
					+ "VALUES (decode(?, 'hex'), ?) ON CONFLICT DO NOTHING", messageIdAndCustodianId);
		}
	}

	void insertAttachments(List<Object[]> messageIdOrdinalFile) {
		if (!messageIdOrdinalFile.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO vault_message_attachment (message_id, ordinal, file_id) "
					+ "VALUES (decode(?, 'hex'), ?, ?) ON CONFLICT DO NOTHING", messageIdOrdinalFile);
		}
	}

	/**
	 * The conversation states among these that are stored already.
	 * @return the hex state ids found, per conversation
	 */
	Map<Integer, Set<String>> knownStates(Map<Integer, ? extends Collection<String>> stateIdsByConversation) {
		Map<Integer, Set<String>> found = new HashMap<>();
		List<Integer> conversations = new ArrayList<>();
		List<String> stateIds = new ArrayList<>();
		stateIdsByConversation.forEach((conversation, ids) -> {
			for (String id : ids) {
				conversations.add(conversation);
				stateIds.add(id);
			}
		});
		if (stateIds.isEmpty()) {
			return found;
		}
		this.jdbc.query("SELECT s.conversation, encode(s.state_id, 'hex') FROM vault_conversation_state s "
				+ "JOIN unnest(?::int[], ?::text[]) AS wanted (conversation, id) "
				+ "ON s.conversation = wanted.conversation AND s.state_id = decode(wanted.id, 'hex')", (rs) -> {
					found.computeIfAbsent(rs.getInt(1), (c) -> new HashSet<>()).add(rs.getString(2));
				}, conversations.toArray(Integer[]::new), stateIds.toArray(String[]::new));
		return found;
	}

	void insertStates(List<Object[]> conversationStateBlock) {
		if (!conversationStateBlock.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO vault_conversation_state (conversation, state_id, block_id) "
					+ "VALUES (?, decode(?, 'hex'), ?) ON CONFLICT DO NOTHING", conversationStateBlock);
		}
	}

	/**
	 * Where a record is.
	 * @param messageId the hex id
	 * @return its row, or empty when it is not archived
	 */
	Optional<Located> find(String messageId) {
		return this.jdbc
			.query("""
					SELECT m.block_id, m.ordinal, m.conversation, m.kind, m.sent_at
					FROM vault_message m WHERE m.message_id = decode(?, 'hex')
					""",
					(rs, i) -> new Located(messageId, rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getShort(4),
							rs.getTimestamp(5).toInstant()),
					messageId)
			.stream()
			.findFirst();
	}

	/**
	 * Where several records are, with one query.
	 * @param messageIds hex ids
	 * @return the rows of those that are archived, by id
	 */
	Map<String, Located> find(List<String> messageIds) {
		Map<String, Located> found = new HashMap<>();
		this.jdbc.query("""
				SELECT encode(m.message_id, 'hex'), m.block_id, m.ordinal, m.conversation, m.kind, m.sent_at
				FROM vault_message m WHERE m.message_id IN (SELECT decode(id, 'hex') FROM unnest(?::text[]) id)
				""", (rs) -> {
			String id = rs.getString(1);
			found.put(id, new Located(id, rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getShort(5),
					rs.getTimestamp(6).toInstant()));
		}, (Object) messageIds.toArray(String[]::new));
		return found;
	}

	/**
	 * An indexed record.
	 *
	 * @param messageId hex id
	 * @param blockId its block
	 * @param ordinal its place in the block
	 * @param conversation its {@code vault_conversation} id
	 * @param kind its kind code
	 * @param sentAt when it was sent
	 */
	record Located(String messageId, long blockId, int ordinal, int conversation, short kind, Instant sentAt) {
	}

}
