-- Anchors of the audit chain in the write-once object store (io.chatvault.audit.AuditAnchors).
-- Anchor n is the object audit/anchors/<n, 12 digits>.json: the hashes of entries
-- first_sequence..last_sequence, numbered without gaps so that verification finds the newest
-- anchor in the store by probing n+1, n+2, ... even when rows of this table are gone. This
-- table is an index of the store, not the evidence: verification reads the objects.
CREATE TABLE audit_anchor (
	anchor_number  BIGINT        PRIMARY KEY CHECK (anchor_number > 0),
	first_sequence BIGINT        NOT NULL,
	last_sequence  BIGINT        NOT NULL CHECK (last_sequence >= first_sequence),
	last_hash      BYTEA         NOT NULL CHECK (octet_length(last_hash) = 32),
	object_key     VARCHAR(512)  NOT NULL,
	object_sha256  BYTEA         NOT NULL CHECK (octet_length(object_sha256) = 32),
	reason         VARCHAR(512)  NOT NULL,
	anchored_at    TIMESTAMPTZ   NOT NULL
);

CREATE UNIQUE INDEX audit_anchor_last_sequence ON audit_anchor (last_sequence);

-- Append-only like the log itself.
CREATE FUNCTION audit_anchor_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit anchors are append-only: % on audit_anchor refused', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_anchor_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_anchor
	FOR EACH ROW EXECUTE FUNCTION audit_anchor_append_only();

CREATE TRIGGER audit_anchor_no_truncate BEFORE TRUNCATE ON audit_anchor
	FOR EACH STATEMENT EXECUTE FUNCTION audit_anchor_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_anchor FROM PUBLIC;

-- "Has execution 42 a job.end entry?" and "audit log --target": by target, in chain order.
CREATE INDEX audit_entry_target ON audit_entry (target COLLATE "C", sequence);
