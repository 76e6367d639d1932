package io.chatvault.vault;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import io.chatvault.message.RecordKind;
import org.postgresql.PGConnection;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * The per-record index in PostgreSQL ({@code vault_message}, with each record's search
 * tokens) and what hangs off it. Rows go in by binary {@code COPY} into a temporary
 * staging table and one {@code INSERT ... ON CONFLICT DO NOTHING}, on the connection of
 * the surrounding transaction, so a chunk's rows commit or roll back with the chunk and a
 * concurrent writer of the same record never fails the chunk.
 */
final class MessageIndex {

	private static final String COLUMNS = "block_id, sent_at, conversation, kind, ordinal, message_id, tokens";

	/** Hex ids of a text array parameter, as the bytea values the tables hold. */
	private static final String IDS = "(SELECT decode(id, 'hex') FROM unnest(?::text[]) id)";

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
	 * holds them.
	 */
	Map<String, String> archived(Collection<String> ids) {
		Map<String, String> found = new HashMap<>();
		this.jdbc.query("SELECT encode(m.message_id, 'hex'), k.name FROM vault_message m "
				+ "JOIN vault_conversation c ON c.id = m.conversation JOIN vault_custodian k ON k.id = c.custodian_id "
				+ "WHERE m.message_id IN " + IDS, (rs) -> {
					found.put(rs.getString(1), rs.getString(2));
				}, (Object) ids.toArray(String[]::new));
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
	 * Inserts rows; rows whose id is already there are skipped. Counts what was inserted
	 * per conversation and kind in {@code vault_message_count}.
	 * @return the hex ids inserted
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
		try (Statement statement = connection.createStatement()) {
			statement.execute("CREATE TEMP TABLE IF NOT EXISTS vault_message_staging "
					+ "(LIKE vault_message INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
			connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("COPY vault_message_staging (" + COLUMNS + ") FROM STDIN (FORMAT binary)", copy.finish());
			// The staging table empties at commit. A second archive call in the same
			// transaction inserts its predecessor's rows again, which conflict and count
			// for nothing, so the result stays right without a TRUNCATE per chunk.
			try (ResultSet rs = statement.executeQuery("INSERT INTO vault_message (" + COLUMNS + ") SELECT " + COLUMNS
					+ " FROM vault_message_staging ON CONFLICT (message_id) DO NOTHING "
					+ "RETURNING encode(message_id, 'hex'), conversation, kind")) {
				while (rs.next()) {
					inserted.add(rs.getString(1));
					counts.merge(((long) rs.getInt(2) << 8) | rs.getShort(3), 1, Integer::sum);
				}
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
