-- The restore drill (issue 15): docs/restore.md, "Tables the compliance report reads".

-- The custodians a drill drew, fixed at its first start so that a resumed drill restores the same
-- ones (and, for the lost-phone rehearsal, the same 30 days).
CREATE TABLE restore_drill_selection (
    job_instance_id BIGINT      NOT NULL,
    quarter         TEXT        NOT NULL,
    scope           TEXT        NOT NULL CHECK (scope IN ('full', 'last-30-days')),
    ordinal         INTEGER     NOT NULL,
    custodian       TEXT        NOT NULL,
    window_from     TIMESTAMPTZ,
    window_to       TIMESTAMPTZ,
    selected_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job_instance_id, custodian)
);

-- One row per custodian drilled: what the index holds, what came back, what was proven, how fast.
CREATE TABLE restore_drill_account (
    job_instance_id     BIGINT           NOT NULL,
    job_execution_id    BIGINT           NOT NULL,
    quarter             TEXT             NOT NULL,
    scope               TEXT             NOT NULL,
    custodian           TEXT             NOT NULL,
    outcome             TEXT             NOT NULL CHECK (outcome IN ('complete', 'short')),
    window_from         TIMESTAMPTZ,
    window_to           TIMESTAMPTZ,
    index_records       BIGINT           NOT NULL,
    restored_records    BIGINT           NOT NULL,
    verified_records    BIGINT           NOT NULL,
    owned_records       BIGINT,
    migration_archived  BIGINT,
    sync_messages       BIGINT,
    conversations       INTEGER          NOT NULL,
    media_files         BIGINT           NOT NULL,
    originals           BIGINT           NOT NULL,
    files               BIGINT           NOT NULL,
    bytes               BIGINT           NOT NULL,
    restore_ms          BIGINT           NOT NULL,
    verify_ms           BIGINT           NOT NULL,
    messages_per_second DOUBLE PRECISION NOT NULL,
    shortfall_count     BIGINT           NOT NULL,
    completed_at        TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (job_instance_id, custodian)
);

-- What a drill found missing or wrong, one line each (the first 100 per custodian; the account
-- row counts them all).
CREATE TABLE restore_drill_shortfall (
    job_instance_id BIGINT NOT NULL,
    custodian       TEXT   NOT NULL,
    ordinal         INTEGER NOT NULL,
    kind            TEXT   NOT NULL CHECK (kind IN ('record', 'media', 'original', 'file', 'count', 'restore')),
    item            TEXT,
    detail          TEXT   NOT NULL,
    PRIMARY KEY (job_instance_id, custodian, ordinal)
);

-- One row per drill execution that reached its report.
CREATE TABLE restore_drill_run (
    job_execution_id    BIGINT           PRIMARY KEY,
    job_instance_id     BIGINT           NOT NULL,
    quarter             TEXT             NOT NULL,
    scope               TEXT             NOT NULL,
    custodians_drawn    INTEGER          NOT NULL,
    custodians_complete INTEGER          NOT NULL,
    records_expected    BIGINT           NOT NULL,
    records_verified    BIGINT           NOT NULL,
    success_rate        DOUBLE PRECISION NOT NULL,
    outcome             TEXT             NOT NULL CHECK (outcome IN ('complete', 'short')),
    report_key          TEXT             NOT NULL,
    report_sha256       TEXT             NOT NULL,
    completed_at        TIMESTAMPTZ      NOT NULL
);
CREATE INDEX restore_drill_run_by_quarter ON restore_drill_run (quarter, scope);
