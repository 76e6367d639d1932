package io.chatvault.database;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which PostgreSQL ChatVault uses ({@code chatvault.db.*}, environment
 * {@code CHATVAULT_DB_URL}, {@code CHATVAULT_DB_USER}, {@code CHATVAULT_DB_PASSWORD}).
 * With no URL here and no {@code spring.datasource.url}, ChatVault starts its embedded
 * PostgreSQL.
 *
 * @param url JDBC URL of an external server, or empty for the embedded default
 * @param user the user
 * @param password the password
 * @param embedded settings of the embedded server
 */
@ConfigurationProperties("chatvault.db")
record DatabaseProperties(String url, @DefaultValue("postgres") String user, @DefaultValue("") String password,
		@DefaultValue Embedded embedded) {

	boolean external() {
		return this.url != null && !this.url.isBlank();
	}

	/**
	 * The embedded server.
	 *
	 * @param port the port to listen on (127.0.0.1 only); 0 picks a free port at first
	 * start and keeps it
	 * @param startupTimeout how long to wait for the server to accept connections
	 */
	record Embedded(@DefaultValue("0") int port, @DefaultValue("60s") Duration startupTimeout) {
	}

}
