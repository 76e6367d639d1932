package io.chatvault.jobs;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.chatvault.cli.DoctorCheck;

/**
 * Doctor check of the database that holds the job repository and the index: it can be
 * reached with the configured credentials, and it is PostgreSQL.
 */
@Component
@Order(10)
class DatabaseCheck implements DoctorCheck {

	private final ObjectProvider<DataSource> dataSource;

	DatabaseCheck(ObjectProvider<DataSource> dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public String name() {
		return "database";
	}

	@Override
	public Finding check() {
		try (Connection connection = this.dataSource.getObject().getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			if (!"PostgreSQL".equals(metaData.getDatabaseProductName())) {
				return Finding.problem(metaData.getURL() + " is " + metaData.getDatabaseProductName(),
						"ChatVault needs PostgreSQL: point CHATVAULT_DB_URL at a PostgreSQL database");
			}
			return Finding.ok("PostgreSQL " + metaData.getDatabaseProductVersion() + " at " + metaData.getURL() + " as "
					+ metaData.getUserName());
		}
		catch (SQLException | RuntimeException ex) {
			return Finding.problem("cannot connect: " + rootMessage(ex),
					"start the server, or fix CHATVAULT_DB_URL / CHATVAULT_DB_USER / CHATVAULT_DB_PASSWORD "
							+ "(unset CHATVAULT_DB_URL to use the embedded PostgreSQL in CHATVAULT_HOME)");
		}
	}

	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		return message.strip().lines().findFirst().orElse(message);
	}

}
