-- permission-audit (monthly) and access-review (weekly): docs/access.md, "Tables the compliance
-- report reads". One summary row per run; a run without a row did not complete (missing data),
-- a row with zero findings is a clean review.

CREATE TABLE access_review_run (
    job_execution_id      BIGINT PRIMARY KEY,
    job_name              TEXT        NOT NULL,
    period                TEXT        NOT NULL,
    period_start          TIMESTAMPTZ NOT NULL,
    period_end            TIMESTAMPTZ NOT NULL,
    -- the state reviewed (permission-audit only; NULL for access-review, which reviews access alone)
    principals_reviewed   INTEGER,
    grants_reviewed       INTEGER,
    tokens_reviewed       INTEGER,
    custodians_reviewed   INTEGER,
    privileged_principals INTEGER,
    -- the access-log entries reviewed for abnormal access
    access_entries        BIGINT      NOT NULL,
    findings_high         INTEGER     NOT NULL,
    findings_medium       INTEGER     NOT NULL,
    findings_low          INTEGER     NOT NULL,
    completed_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_review_run_by_period ON access_review_run (job_name, period);

CREATE TABLE access_finding (
    id               BIGSERIAL PRIMARY KEY,
    job_execution_id BIGINT      NOT NULL,
    job_name         TEXT        NOT NULL,
    period           TEXT        NOT NULL,
    kind             TEXT        NOT NULL CHECK (kind IN ('leaver-with-live-grant', 'leaver-with-live-token',
                                                         'grant-beyond-role', 'dormant-principal', 'token-past-max-age',
                                                         'custodian-without-consent', 'abnormal-access')),
    severity         TEXT        NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
    -- principal:<id>, grant:<id>, token:<id> or custodian:<id>
    subject          TEXT        NOT NULL,
    principal_id     TEXT,
    detail           TEXT        NOT NULL,
    -- abnormal access: the day and the records returned that day
    day              DATE,
    observed         BIGINT,
    found_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_finding_by_execution ON access_finding (job_execution_id);
CREATE INDEX access_finding_by_period ON access_finding (job_name, period);
