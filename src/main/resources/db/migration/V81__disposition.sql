-- Disposition (docs/retention.md): records past retention and not held leave the index; objects
-- none of whose content is indexed any more are deleted once the store's lock allows; each run
-- leaves a certificate. Disposition, holds and erasure reach a pack's records by block: one more
-- B-tree on an 8-byte column of vault_message.
CREATE INDEX vault_message_by_block ON vault_message (block_id);

-- One row per disposition run (job instance): the day, whether it was a dry run, the cutoff
-- (retain-until at or before it has passed), the figures and the certificate.
CREATE TABLE retention_disposition_run (
    job_instance_id       BIGINT PRIMARY KEY,
    day                   DATE        NOT NULL,
    dry_run               BOOLEAN     NOT NULL,
    cutoff                TIMESTAMPTZ NOT NULL,
    records_disposed      BIGINT      NOT NULL DEFAULT 0,
    records_held          BIGINT      NOT NULL DEFAULT 0,
    files_disposed        BIGINT      NOT NULL DEFAULT 0,
    objects_deleted       BIGINT      NOT NULL DEFAULT 0,
    objects_awaiting_lock BIGINT      NOT NULL DEFAULT 0,
    certificate_key       TEXT,
    certificate_sha256    TEXT,
    started_at            TIMESTAMPTZ NOT NULL,
    completed_at          TIMESTAMPTZ
);

-- Every record a run removed from the index (or, in a dry run, would remove): its id, whose it
-- was, when it was sent, its retain-until and the pack and block that held it.
CREATE TABLE retention_disposed_record (
    job_instance_id BIGINT      NOT NULL REFERENCES retention_disposition_run,
    message_id      BYTEA       NOT NULL,
    custodian       TEXT COLLATE "C" NOT NULL,
    source          TEXT COLLATE "C" NOT NULL,
    conversation_id TEXT COLLATE "C" NOT NULL,
    kind            SMALLINT    NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL,
    retain_until    TIMESTAMPTZ NOT NULL,
    pack_key        TEXT COLLATE "C" NOT NULL,
    block_sha256    BYTEA       NOT NULL,
    PRIMARY KEY (job_instance_id, message_id)
);

-- Every stored file (media, original) a run removed from the index.
CREATE TABLE retention_disposed_file (
    job_instance_id BIGINT      NOT NULL REFERENCES retention_disposition_run,
    file_id         BIGINT      NOT NULL,
    kind            SMALLINT    NOT NULL,
    sha256          BYTEA       NOT NULL,
    size            BIGINT      NOT NULL,
    retain_until    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job_instance_id, file_id)
);

-- Every object a run deleted, found still locked, or (dry run) would delete.
CREATE TABLE retention_disposed_object (
    job_instance_id BIGINT      NOT NULL REFERENCES retention_disposition_run,
    object_key      TEXT COLLATE "C" NOT NULL,
    size            BIGINT      NOT NULL,
    sha256          BYTEA       NOT NULL,
    retain_until    TIMESTAMPTZ NOT NULL,
    outcome         TEXT        NOT NULL CHECK (outcome IN ('deleted', 'awaiting-lock', 'would-delete')),
    detail          TEXT,
    decided_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job_instance_id, object_key)
);
