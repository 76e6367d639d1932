-- Key rotation (docs/keys.md): the key-encryption key versions ChatVault has seen or made, and one
-- row per key-rotation run.
CREATE TABLE key_kek_version (
    version     INTEGER PRIMARY KEY,
    description TEXT        NOT NULL,
    -- when ChatVault made it, or first saw it (a version made before this table existed)
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT        NOT NULL,
    retired_at  TIMESTAMPTZ
);

CREATE TABLE key_rotation_run (
    job_instance_id  BIGINT PRIMARY KEY,
    quarter          TEXT        NOT NULL,
    previous_version INTEGER     NOT NULL,
    new_version      INTEGER,
    keys_rewrapped   BIGINT      NOT NULL DEFAULT 0,
    versions_retired INTEGER[]   NOT NULL DEFAULT '{}',
    started_at       TIMESTAMPTZ NOT NULL,
    completed_at     TIMESTAMPTZ
);
