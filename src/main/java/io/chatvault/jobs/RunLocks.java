package io.chatvault.jobs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;

/**
 * One lock per job instance (job name and identifying parameters): a PostgreSQL
 * session-level advisory lock held on a dedicated connection for as long as the run
 * lasts. Two starts of the same instance cannot both hold it, and the lock vanishes with
 * the process that held it, even after {@code kill -9}, so it is also the sign of life
 * that {@code recover} checks before declaring an execution dead.
 */
@Component
class RunLocks {

	private final DataSource dataSource;

	RunLocks(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * Takes the lock of a job instance if no other process holds it.
	 * @param jobName the job
	 * @param parameters its parameters (only the identifying ones count)
	 * @return the held lock, to close when the run ends; empty if another process holds
	 * it
	 */
	Optional<RunLock> tryAcquire(String jobName, JobParameters parameters) {
		long key = key(jobName, parameters);
		Connection connection;
		try {
			connection = this.dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new CannotGetJdbcConnectionException("Cannot take the run lock", ex);
		}
		try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
			connection.setAutoCommit(true);
			statement.setLong(1, key);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				if (result.getBoolean(1)) {
					return Optional.of(new RunLock(connection, key));
				}
			}
			connection.close();
			return Optional.empty();
		}
		catch (SQLException ex) {
			closeQuietly(connection);
			throw new CannotGetJdbcConnectionException("Cannot take the run lock", ex);
		}
	}

	static long key(String jobName, JobParameters parameters) {
		StringBuilder identity = new StringBuilder(jobName);
		parameters.getIdentifyingParameters()
			.stream()
			.sorted(Comparator.comparing(JobParameter::name))
			.forEach((
					parameter) -> identity.append('\n').append(parameter.name()).append('=').append(parameter.value()));
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(identity.toString().getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.wrap(digest).getLong();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
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

	/** A held run lock; closing it releases the lock and returns the connection. */
	static final class RunLock implements AutoCloseable {

		private final Connection connection;

		private final long key;

		private RunLock(Connection connection, long key) {
			this.connection = connection;
			this.key = key;
		}

		@Override
		public void close() {
			try (PreparedStatement statement = this.connection.prepareStatement("select pg_advisory_unlock(?)")) {
				statement.setLong(1, this.key);
				statement.execute();
			}
			catch (SQLException ex) {
				// A pooled connection must not go back to the pool still holding the
				// lock:
				// aborting it ends the session, and the session's locks with it.
				try {
					this.connection.abort(Runnable::run);
				}
				catch (SQLException abortFailed) {
					ex.addSuppressed(abortFailed);
				}
			}
			finally {
				closeQuietly(this.connection);
			}
		}

	}

}
