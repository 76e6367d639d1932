package io.chatvault.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.core.annotation.Order;

import io.chatvault.ChatVaultHome;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Doctor check of the configuration every command relies on: the data directory
 * ({@code chatvault.home}) must exist or be creatable, and be writable.
 */
@Component
@Order(0)
class ConfigurationCheck implements DoctorCheck {

	private final Environment environment;

	private final ChatVaultHome home;

	ConfigurationCheck(Environment environment, ChatVaultHome home) {
		this.environment = environment;
		this.home = home;
	}

	@Override
	public String name() {
		return "configuration";
	}

	@Override
	public Finding check() {
		Path home = this.home.home();
		try {
			Files.createDirectories(home);
		}
		catch (IOException | SecurityException ex) {
			return Finding.problem("the data directory " + home + " cannot be created: " + ex.getMessage(),
					"set CHATVAULT_HOME (or chatvault.home) to a directory this user can write");
		}
		if (!Files.isWritable(home)) {
			return Finding.problem("the data directory " + home + " is not writable by this user",
					"fix its permissions, or set CHATVAULT_HOME to a writable directory");
		}
		String url = this.environment.getProperty("chatvault.db.url",
				this.environment.getProperty("spring.datasource.url", ""));
		if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
			return Finding.problem("the database URL " + url + " is not a PostgreSQL JDBC URL",
					"set CHATVAULT_DB_URL to jdbc:postgresql://host:5432/database");
		}
		return Finding.ok("data directory " + home + (url.isEmpty() ? ", embedded PostgreSQL"
				: ", database " + url.replaceAll("password=[^&]*", "password=***")));
	}

}
