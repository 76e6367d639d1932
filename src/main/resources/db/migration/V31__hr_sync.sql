-- hr-sync (docs/access.md, "Tables the compliance report reads"). Every HR file seen, by
-- content: applied whole, or rejected whole with its bad rows quarantined. Every change an
-- applied file made, and one summary per run.

CREATE TABLE access_hr_file (
    sha256           BYTEA PRIMARY KEY CHECK (octet_length(sha256) = 32),
    file_name        TEXT        NOT NULL,
    size             BIGINT      NOT NULL,
    rows_read        INTEGER     NOT NULL,
    rows_bad         INTEGER     NOT NULL,
    outcome          TEXT        NOT NULL CHECK (outcome IN ('applied', 'rejected')),
    job_execution_id BIGINT      NOT NULL,
    hour             TEXT        NOT NULL,
    processed_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE access_hr_quarantine (
    id               BIGSERIAL PRIMARY KEY,
    job_execution_id BIGINT      NOT NULL,
    hour             TEXT        NOT NULL,
    file_name        TEXT        NOT NULL,
    file_sha256      BYTEA       NOT NULL,
    line             BIGINT      NOT NULL,
    reason           TEXT        NOT NULL,
    raw              BYTEA       NOT NULL,
    quarantined_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_hr_quarantine_by_execution ON access_hr_quarantine (job_execution_id);

CREATE TABLE access_hr_change (
    id               BIGSERIAL PRIMARY KEY,
    job_execution_id BIGINT      NOT NULL,
    hour             TEXT        NOT NULL,
    -- NULL for a departure announced earlier whose day has come
    file_name        TEXT,
    line             BIGINT,
    employee_id      TEXT,
    custodian_id     TEXT,
    change           TEXT        NOT NULL CHECK (change IN ('joiner', 'mover', 'update', 'leaver', 'leaver-scheduled',
                                                            'leaver-unknown', 'rehire')),
    detail           TEXT        NOT NULL,
    grants_revoked   INTEGER     NOT NULL DEFAULT 0,
    tokens_revoked   INTEGER     NOT NULL DEFAULT 0,
    applied_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_hr_change_by_execution ON access_hr_change (job_execution_id);

CREATE TABLE access_hr_sync_run (
    job_execution_id BIGINT PRIMARY KEY,
    hour             TEXT        NOT NULL,
    files_applied    INTEGER     NOT NULL,
    files_rejected   INTEGER     NOT NULL,
    rows_quarantined INTEGER     NOT NULL,
    joiners          INTEGER     NOT NULL,
    movers           INTEGER     NOT NULL,
    leavers          INTEGER     NOT NULL,
    leavers_scheduled INTEGER    NOT NULL,
    rehires          INTEGER     NOT NULL,
    grants_revoked   INTEGER     NOT NULL,
    tokens_revoked   INTEGER     NOT NULL,
    completed_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_hr_sync_run_by_hour ON access_hr_sync_run (hour);
