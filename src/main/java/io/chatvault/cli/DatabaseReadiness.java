package io.chatvault.cli;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;

/**
 * Opens the database for a command that needs it: starts the embedded server or connects
 * to the configured one, and applies pending Flyway migrations. The CLI context is lazy,
 * so commands that never call this (inspect, help) never start PostgreSQL.
 */
@Component
class DatabaseReadiness {

	private final ObjectProvider<DataSource> dataSource;

	private final ObjectProvider<FlywayMigrationInitializer> migrations;

	DatabaseReadiness(ObjectProvider<DataSource> dataSource, ObjectProvider<FlywayMigrationInitializer> migrations) {
		this.dataSource = dataSource;
		this.migrations = migrations;
	}

	void open() {
		DataSource source = this.dataSource.getObject();
		try (Connection connection = source.getConnection()) {
			connection.isValid(5);
		}
		catch (SQLException ex) {
			throw new CannotGetJdbcConnectionException("Cannot connect to the database", ex);
		}
		// Creating the initializer runs the migrations.
		this.migrations.ifAvailable((initializer) -> {
		});
	}

}
