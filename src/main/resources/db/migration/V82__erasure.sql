-- GDPR erasure by crypto-shredding (docs/retention.md): every erasure and the data keys it destroyed.
-- The write-once objects stay; without their keys nothing in them can be read.
CREATE TABLE retention_erasure (
    id              BIGSERIAL PRIMARY KEY,
    scope_kind      TEXT        NOT NULL CHECK (scope_kind IN ('custodian', 'conversation')),
    custodian       TEXT COLLATE "C",
    source          TEXT COLLATE "C",
    conversation_id TEXT COLLATE "C",
    reason          TEXT        NOT NULL,
    requested_by    TEXT        NOT NULL,
    erased_at       TIMESTAMPTZ NOT NULL,
    keys_destroyed  INTEGER     NOT NULL,
    records         BIGINT      NOT NULL
);

CREATE TABLE retention_erased_key (
    erasure_id  BIGINT NOT NULL REFERENCES retention_erasure,
    data_key_id BIGINT NOT NULL,
    scope       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (erasure_id, data_key_id)
);
