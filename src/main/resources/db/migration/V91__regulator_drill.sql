-- Tables the compliance report reads (docs/search.md): one row per regulator-drill run, one per
-- request of a run. Queries are kept redacted (each term as its audit token), never in clear.
CREATE TABLE search_drill_run (
    job_execution_id BIGINT      NOT NULL PRIMARY KEY,
    half             TEXT        NOT NULL,
    requests         INTEGER     NOT NULL,
    failed           INTEGER     NOT NULL,
    min_recall       NUMERIC     NOT NULL,
    max_seconds      NUMERIC     NOT NULL,
    passed           BOOLEAN     NOT NULL,
    completed_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE search_drill_request (
    job_execution_id BIGINT      NOT NULL,
    half             TEXT        NOT NULL,
    name             TEXT        NOT NULL,
    redacted_query   TEXT        NOT NULL,
    scope_from       TIMESTAMPTZ,
    scope_to         TIMESTAMPTZ,
    custodians       TEXT        NOT NULL,
    hits             BIGINT      NOT NULL,
    expected         BIGINT      NOT NULL,
    found            BIGINT      NOT NULL,
    scanned          BIGINT      NOT NULL,
    recall           NUMERIC     NOT NULL,
    first_page_ms    BIGINT,
    complete_ms      BIGINT      NOT NULL,
    passed           BOOLEAN     NOT NULL,
    detail           TEXT        NOT NULL,
    PRIMARY KEY (job_execution_id, name)
);
