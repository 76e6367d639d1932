package io.chatvault.vault;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * The message index in PostgreSQL. Rows go in by {@code COPY} into a temporary staging
 * table and one {@code INSERT ... ON CONFLICT DO NOTHING}, on the connection of the
 * surrounding transaction, so a chunk's rows commit or roll back with the chunk and a
 * concurrent writer of the same record never fails the chunk.
 */
class MessageIndex {

	private static final String COLUMNS = "message_id, pack_id, pack_offset, stored_length, record_sha256, "
			+ "stored_sha256, data_key_id, source, conversation_id, custodian, kind, sent_at, platform_id_sha256, "
			+ "attachments, retain_until";

	/** Hex ids of a text array parameter, as the bytea values the tables hold. */
	private static final String IDS = "(SELECT decode(id, 'hex') FROM unnest(?::text[]) id)";

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	MessageIndex(DataSource dataSource, JdbcTemplate jdbc) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
	}

	/**
	 * The ids among {@code ids} that are archived, with the custodian they were first
	 * archived for.
	 */
	Map<String, String> archived(Collection<String> ids) {
		Map<String, String> found = new HashMap<>();
		this.jdbc.query("SELECT encode(message_id, 'hex'), custodian FROM vault_message WHERE message_id IN " + IDS,
				(rs) -> {
					found.put(rs.getString(1), rs.getString(2));
				}, (Object) ids.toArray(String[]::new));
		return found;
	}

	/**
	 * Inserts rows; rows whose id is already there are skipped.
	 * @return how many were inserted
	 */
	int insert(List<IndexRow> rows, long packId) {
		if (rows.isEmpty()) {
			return 0;
		}
		StringBuilder copy = new StringBuilder(rows.size() * 400);
		for (IndexRow row : rows) {
			bytea(copy, row.messageId()).append('\t');
			copy.append(packId).append('\t');
			copy.append(row.offset()).append('\t').append(row.length()).append('\t');
			bytea(copy, row.recordSha256()).append('\t');
			bytea(copy, row.storedSha256()).append('\t');
			copy.append(row.dataKeyId()).append('\t');
			field(copy, row.source()).append('\t');
			field(copy, row.conversationId()).append('\t');
			field(copy, row.custodian()).append('\t');
			field(copy, row.kind()).append('\t');
			copy.append(row.sentAt()).append('\t');
			bytea(copy, row.platformIdSha256()).append('\t');
			copy.append(row.attachments()).append('\t');
			copy.append(row.retainUntil()).append('\n');
		}
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try (Statement statement = connection.createStatement()) {
			statement.execute("CREATE TEMP TABLE IF NOT EXISTS vault_message_staging "
					+ "(LIKE vault_message INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
			connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("COPY vault_message_staging (" + COLUMNS + ") FROM STDIN", new StringReader(copy.toString()));
			int inserted = statement.executeUpdate("INSERT INTO vault_message (" + COLUMNS + ") SELECT " + COLUMNS
					+ " FROM vault_message_staging ON CONFLICT (message_id) DO NOTHING");
			// The staging table empties at commit. A second archive call in the same
			// transaction inserts its predecessor's rows again, which conflict and count
			// for nothing, so the count stays right without a TRUNCATE per chunk.
			return inserted;
		}
		catch (SQLException | IOException ex) {
			throw new DataAccessResourceFailureException("Cannot insert " + rows.size() + " index rows", ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	/**
	 * A hex SHA-256 as a bytea value in COPY's text format: {@code \\x} and the hex, the
	 * backslash doubled because COPY unescapes it.
	 */
	private static StringBuilder bytea(StringBuilder out, String hex) {
		if (hex == null) {
			return out.append("\\N");
		}
		return out.append("\\\\x").append(hex);
	}

	/** Escapes a value for COPY's text format. */
	private static StringBuilder field(StringBuilder out, String value) {
		if (value == null) {
			return out.append("\\N");
		}
		if (!needsEscape(value)) {
			return out.append(value);
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> out.append("\\\\");
				case '\t' -> out.append("\\t");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				default -> out.append(c);
			}
		}
		return out;
	}

	private static boolean needsEscape(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
				return true;
			}
		}
		return false;
	}

	/**
	 * Records that a message already archived for one custodian is also held by others.
	 */
	void addCustodians(List<Object[]> messageIdAndCustodian) {
		if (!messageIdAndCustodian.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO vault_message_custodian (message_id, custodian) "
					+ "VALUES (decode(?, 'hex'), ?) ON CONFLICT DO NOTHING", messageIdAndCustodian);
		}
	}

	void insertAttachments(List<Object[]> messageIdOrdinalSha) {
		if (!messageIdOrdinalSha.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO vault_message_attachment (message_id, ordinal, media_sha256) "
					+ "VALUES (decode(?, 'hex'), ?, ?) ON CONFLICT DO NOTHING", messageIdOrdinalSha);
		}
	}

	/**
	 * Records a pack (or finds the row a replay's first attempt committed).
	 * @return the pack's id
	 */
	long insertPack(String key, int entries, long size, String sha256, Instant retainUntil, String lockMode) {
		// DO UPDATE, not DO NOTHING, so that RETURNING yields the id of an existing row
		// too.
		return this.jdbc.queryForObject(
				"INSERT INTO vault_pack (object_key, entries, size, sha256, retain_until, "
						+ "lock_mode) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (object_key) DO UPDATE SET object_key = "
						+ "excluded.object_key RETURNING id",
				Long.class, key, entries, size, sha256, Timestamp.from(retainUntil), lockMode);
	}

	/** Sets the retain-until of a pack and its records to what the store holds. */
	void retainUntil(long packId, Instant retainUntil) {
		Timestamp until = Timestamp.from(retainUntil);
		this.jdbc.update("UPDATE vault_pack SET retain_until = ? WHERE id = ?", until, packId);
		this.jdbc.update("UPDATE vault_message SET retain_until = ? WHERE pack_id = ?", until, packId);
	}

	Optional<IndexRow> find(String messageId) {
		return this.jdbc
			.query("""
					SELECT encode(m.message_id, 'hex'), p.object_key, m.pack_offset, m.stored_length,
					       encode(m.record_sha256, 'hex'), encode(m.stored_sha256, 'hex'), m.data_key_id, m.source,
					       m.conversation_id, m.custodian, m.kind, m.sent_at, encode(m.platform_id_sha256, 'hex'),
					       m.attachments, m.retain_until
					FROM vault_message m JOIN vault_pack p ON p.id = m.pack_id
					WHERE m.message_id = decode(?, 'hex')
					""",
					(rs, i) -> new IndexRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
							rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9),
							rs.getString(10), rs.getString(11), rs.getTimestamp(12).toInstant(), rs.getString(13),
							rs.getInt(14), rs.getTimestamp(15).toInstant()),
					messageId)
			.stream()
			.findFirst();
	}

}
