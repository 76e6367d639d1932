package io.chatvault.database;

import java.net.ConnectException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import com.zaxxer.hikari.pool.HikariPool;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The connection pool, made to report a database that stopped within seconds instead of
 * once per attempt after the pool's connection timeout. Once a connection is lost (SQL
 * state class 08, or the server shutting down) or cannot be made, every further request
 * first tries one direct connection with a short timeout: if the server answers, the pool
 * is used again; if not, the request fails at once. Without this, a run whose database
 * stopped spent 10 s on each of the seven writes Batch and ChatVault try while ending a
 * failed run (70 s), each logging a stack trace.
 */
public final class FailFastDataSource extends DelegatingDataSource implements AutoCloseable {

	/** How long a request waits before the pool is asked why it has no connection. */
	static final long FIRST_WAIT_MILLIS = 2_000;

	/** How long the direct connection waits for the server, in seconds. */
	static final int PROBE_TIMEOUT_SECONDS = 3;

	private final HikariDataSource pool;

	private volatile SQLException outage;

	FailFastDataSource(HikariDataSource pool) {
		super(pool);
		this.pool = pool;
		try {
			pool.setExceptionOverride(new OutageWatch());
		}
		catch (IllegalStateException ex) {
			// A pool started before this wrapper: failed requests still count.
		}
	}

	@Override
	public Connection getConnection() throws SQLException {
		if (this.outage != null) {
			probe();
		}
		try {
			// A pool that cannot make connections fails its first wait with the reason
			// (connection refused) as the cause: a short first wait finds an outage at
			// once, while a pool that is only busy gets its configured wait.
			if (this.pool.getHikariPoolMXBean() instanceof HikariPool started) {
				try {
					return started.getConnection(FIRST_WAIT_MILLIS);
				}
				catch (SQLTransientConnectionException ex) {
					if (connectionLost(ex)) {
						throw ex;
					}
				}
			}
			return super.getConnection();
		}
		catch (SQLException ex) {
			observe(ex);
			throw ex;
		}
	}

	/** Whether a connection was lost and the server has not answered since. */
	boolean outage() {
		return this.outage != null;
	}

	private void probe() throws SQLException {
		SQLException lost = this.outage;
		Properties properties = new Properties();
		properties.putAll(this.pool.getDataSourceProperties());
		if (this.pool.getUsername() != null) {
			properties.setProperty("user", this.pool.getUsername());
		}
		if (this.pool.getPassword() != null) {
			properties.setProperty("password", this.pool.getPassword());
		}
		properties.setProperty("connectTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
		properties.setProperty("loginTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
		properties.setProperty("socketTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
		try (Connection connection = DriverManager.getConnection(this.pool.getJdbcUrl(), properties)) {
			connection.isValid(PROBE_TIMEOUT_SECONDS);
			this.outage = null;
		}
		catch (SQLException ex) {
			SQLTransientConnectionException down = new SQLTransientConnectionException(
					"the database stopped answering: " + firstLine(ex.getMessage()) + " (after: "
							+ ((lost != null) ? firstLine(lost.getMessage()) : "a lost connection") + ")",
					"08001", ex);
			throw down;
		}
	}

	private void observe(SQLException ex) {
		if (connectionLost(ex)) {
			this.outage = ex;
		}
	}

	/**
	 * Whether an exception says the connection to the server is gone: SQL state class 08
	 * (connection exception), 57P01-57P03 (the server shuts down or is starting), or a
	 * refused connection.
	 */
	static boolean connectionLost(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
			if (cause instanceof ConnectException) {
				return true;
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				String state = sql.getSQLState();
				if (state.startsWith("08") || state.startsWith("57P0")) {
					return true;
				}
			}
		}
		return false;
	}

	private static String firstLine(String text) {
		if (text == null) {
			return "(no message)";
		}
		int newline = text.indexOf('\n');
		return (newline < 0) ? text.strip() : text.substring(0, newline).strip();
	}

	@Override
	public void close() {
		this.pool.close();
	}

	/**
	 * Hikari shows this every exception raised on a pooled connection: a lost one marks
	 * the outage at once, before the next request for a connection.
	 */
	private final class OutageWatch implements SQLExceptionOverride {

		@java.lang.Override
		public Override adjudicate(SQLException ex) {
			observe(ex);
			return Override.CONTINUE_EVICT;
		}

	}

}
