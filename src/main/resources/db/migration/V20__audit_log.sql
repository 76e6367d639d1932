-- The audit log: append-only and hash-chained. Each entry's hash covers the previous
-- entry's hash and every field of its own (io.chatvault.audit.AuditChain), so that an
-- edited, deleted, inserted or reordered row breaks the chain where it happened.
CREATE TABLE audit_entry (
	sequence       BIGINT        PRIMARY KEY CHECK (sequence > 0),
	recorded_at    TIMESTAMPTZ   NOT NULL,
	actor          VARCHAR(256)  NOT NULL,
	role           VARCHAR(64)   NOT NULL,
	action         VARCHAR(128)  NOT NULL,
	target         VARCHAR(4096) NOT NULL,
	outcome        VARCHAR(64)   NOT NULL,
	-- canonical JSON (keys sorted), kept as text: the hash covers these exact characters
	details        TEXT          NOT NULL,
	previous_hash  BYTEA         NOT NULL CHECK (octet_length(previous_hash) = 32),
	entry_hash     BYTEA         NOT NULL CHECK (octet_length(entry_hash) = 32)
);

CREATE INDEX audit_entry_actor ON audit_entry (actor COLLATE "C", sequence);
CREATE INDEX audit_entry_action ON audit_entry (action COLLATE "C", sequence);
CREATE INDEX audit_entry_recorded_at ON audit_entry (recorded_at);

-- Append-only, enforced by the database for every role that does not own the triggers
-- away: an UPDATE, DELETE or TRUNCATE fails. (A superuser can still disable triggers;
-- the chain and its anchors in the write-once store are what catch that.)
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit log is append-only: % on audit_entry refused', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_entry_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_entry
	FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();

CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
	FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM PUBLIC;
