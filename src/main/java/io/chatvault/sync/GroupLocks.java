package io.chatvault.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import io.chatvault.message.Sha256;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;

/**
 * One lock per custodian group, so that two windows of one group never run at once (a
 * late start of the previous window and the current one): a PostgreSQL session-level
 * advisory lock on a dedicated connection, gone with the process that held it.
 */
@Component
class GroupLocks {

	private final DataSource dataSource;

	GroupLocks(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** Takes a group's lock, or returns empty if another process holds it. */
	Optional<AutoCloseable> tryLock(String group) {
		long key = ByteBuffer.wrap(Sha256.digest().digest(("sync-group\n" + group).getBytes(StandardCharsets.UTF_8)))
			.getLong();
		Connection connection;
		try {
			connection = this.dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new CannotGetJdbcConnectionException("Cannot take the lock of group " + group, ex);
		}
		try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
			connection.setAutoCommit(true);
			statement.setLong(1, key);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				if (result.getBoolean(1)) {
					return Optional.of(() -> release(connection, key));
				}
			}
			connection.close();
			return Optional.empty();
		}
		catch (SQLException ex) {
			closeQuietly(connection);
			throw new CannotGetJdbcConnectionException("Cannot take the lock of group " + group, ex);
		}
	}

	private static void release(Connection connection, long key) {
		try (PreparedStatement statement = connection.prepareStatement("select pg_advisory_unlock(?)")) {
			statement.setLong(1, key);
			statement.execute();
		}
		catch (SQLException ex) {
			try {
				// Ending the session ends its locks.
				connection.abort(Runnable::run);
			}
			catch (SQLException abortFailed) {
				ex.addSuppressed(abortFailed);
			}
		}
		finally {
			closeQuietly(connection);
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// the lock dies with the session anyway
		}
	}

}
