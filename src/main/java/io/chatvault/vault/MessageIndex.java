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

	private static final String COLUMNS = "message_id, pack_key, pack_offset, stored_length, record_sha256, "
			+ "stored_sha256, data_key_id, source, conversation_id, custodian, kind, sent_at, platform_id_sha256, "
			+ "attachments, retain_until";

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
		this.jdbc.query("SELECT message_id, custodian FROM vault_message WHERE message_id = ANY (?)", (rs) -> {
			found.put(rs.getString(1), rs.getString(2));
		}, (Object) ids.toArray(String[]::new));
		return found;
	}

	/**
	 * Inserts rows; rows whose id is already there are skipped.
	 * @return how many were inserted
	 */
	int insert(List<IndexRow> rows) {
		if (rows.isEmpty()) {
			return 0;
		}
		StringBuilder copy = new StringBuilder(rows.size() * 400);
		for (IndexRow row : rows) {
			field(copy, row.messageId()).append('\t');
			field(copy, row.packKey()).append('\t');
			copy.append(row.offset()).append('\t').append(row.length()).append('\t');
			field(copy, row.recordSha256()).append('\t');
			field(copy, row.storedSha256()).append('\t');
			copy.append(row.dataKeyId()).append('\t');
			field(copy, row.source()).append('\t');
			field(copy, row.conversationId()).append('\t');
			field(copy, row.custodian()).append('\t');
			field(copy, row.kind()).append('\t');
			copy.append(row.sentAt()).append('\t');
			field(copy, row.platformIdSha256()).append('\t');
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
			this.jdbc.batchUpdate("INSERT INTO vault_message_custodian (message_id, custodian) VALUES (?, ?) "
					+ "ON CONFLICT DO NOTHING", messageIdAndCustodian);
		}
	}

	void insertAttachments(List<Object[]> messageIdOrdinalSha) {
		if (!messageIdOrdinalSha.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO vault_message_attachment (message_id, ordinal, media_sha256) "
					+ "VALUES (?, ?, ?) ON CONFLICT DO NOTHING", messageIdOrdinalSha);
		}
	}

	void insertPack(String key, int entries, long size, String sha256, Instant retainUntil, String lockMode) {
		this.jdbc.update(
				"INSERT INTO vault_pack (object_key, entries, size, sha256, retain_until, lock_mode) "
						+ "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
				key, entries, size, sha256, Timestamp.from(retainUntil), lockMode);
	}

	/** Sets the retain-until of a pack and its records to what the store holds. */
	void retainUntil(String packKey, Instant retainUntil) {
		Timestamp until = Timestamp.from(retainUntil);
		this.jdbc.update("UPDATE vault_pack SET retain_until = ? WHERE object_key = ?", until, packKey);
		this.jdbc.update("UPDATE vault_message SET retain_until = ? WHERE pack_key = ?", until, packKey);
	}

	Optional<IndexRow> find(String messageId) {
		return this.jdbc
			.query("SELECT " + COLUMNS + " FROM vault_message WHERE message_id = ?",
					(rs, i) -> new IndexRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
							rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9),
							rs.getString(10), rs.getString(11), rs.getTimestamp(12).toInstant(), rs.getString(13),
							rs.getInt(14), rs.getTimestamp(15).toInstant()),
					messageId)
			.stream()
			.findFirst();
	}

}
