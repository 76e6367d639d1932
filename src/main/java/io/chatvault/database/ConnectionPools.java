package io.chatvault.database;

import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * What a job that runs partitions on threads needs to know of the connection pool: how
 * many connections it holds at most, so that it runs no more partitions than the pool can
 * serve.
 */
public final class ConnectionPools {

	private ConnectionPools() {
	}

	/**
	 * The maximum size of a connection pool.
	 * @param dataSource the data source
	 * @return its maximum size, or 0 when it is not a Hikari pool
	 */
	public static int maximumSize(DataSource dataSource) {
		try {
			return dataSource.isWrapperFor(HikariDataSource.class)
					? dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize() : 0;
		}
		catch (SQLException ex) {
			return 0;
		}
	}

}
