package io.chatvault.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * After every migration, when {@code chatvault.db.application-role} names a role (the
 * application connects as it, while Flyway migrates as the owner of the schema:
 * {@code spring.flyway.url}, {@code .user}, {@code .password}), grants that role what the
 * application needs and takes UPDATE, DELETE and TRUNCATE on the audit tables away from
 * it. The database then refuses to change the audit log to the application even with the
 * tables' triggers disabled, and the role cannot disable them (only the owner can). With
 * no role configured (the default: the application connects as the owner) it does
 * nothing.
 */
@Component
class ApplicationRoleGrants implements Callback {

	private static final Log logger = LogFactory.getLog(ApplicationRoleGrants.class);

	private final String role;

	ApplicationRoleGrants(@Value("${chatvault.db.application-role:}") String role) {
		this.role = role.strip();
	}

	@Override
	public boolean supports(Event event, Context context) {
		return event == Event.AFTER_MIGRATE && !this.role.isEmpty();
	}

	@Override
	public boolean canHandleInTransaction(Event event, Context context) {
		return true;
	}

	@Override
	public void handle(Event event, Context context) {
		Connection connection = context.getConnection();
		try (Statement statement = connection.createStatement()) {
			String schema = quoted(connection.getSchema());
			String role = quoted(this.role);
			statement.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
			statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role);
			statement.execute("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role);
			statement.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry, audit_anchor FROM " + role);
			String history = quoted(context.getConfiguration().getTable());
			statement.execute("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON " + history + " FROM " + role);
			logger.debug("Granted " + this.role + " the application's privileges, none to change the audit log");
		}
		catch (SQLException ex) {
			throw new FlywayException("Cannot grant chatvault.db.application-role " + this.role
					+ " its privileges (does the role exist, and does Flyway connect as the schema's owner?): "
					+ ex.getMessage(), ex);
		}
	}

	@Override
	public String getCallbackName() {
		return "chatvault application role grants";
	}

	private static String quoted(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

}
