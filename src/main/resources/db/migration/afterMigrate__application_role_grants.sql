-- Flyway callback, after every migrate. When chatvault.db.application-role names a role (the
-- application connects as it, while Flyway migrates as the owner of the schema: spring.flyway.url,
-- .user, .password), grant that role what the application needs, and take UPDATE, DELETE and
-- TRUNCATE on the audit tables away from it: the database then refuses to change the audit log
-- to the application even if someone disabled its triggers, and the role cannot disable them
-- (only the owner can). Empty (the default): the application connects as the owner; nothing here.
DO $$
DECLARE
	app_role TEXT := '${application_role}';
BEGIN
	IF app_role = '' THEN
		RETURN;
	END IF;
	EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), app_role);
	EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), app_role);
	EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), app_role);
	EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry, audit_anchor FROM %I', app_role);
	EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON flyway_schema_history FROM %I', app_role);
END
$$;
