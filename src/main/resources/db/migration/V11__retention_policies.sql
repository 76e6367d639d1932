-- Retention policies: how long records of given sources or custodian groups must be kept.
-- A record is retained for the longest period of all policies that cover it, or for the
-- configured default (chatvault.vault.retention.default-period, 7 years) when none does.
CREATE TABLE vault_retention_policy (
    name             TEXT PRIMARY KEY,
    regulation       TEXT        NOT NULL,
    retention_period TEXT        NOT NULL CHECK (retention_period ~ '^P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?$'),
    sources          TEXT[],
    custodian_groups TEXT[],
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON COLUMN vault_retention_policy.retention_period IS 'ISO-8601 period, e.g. P7Y';
COMMENT ON COLUMN vault_retention_policy.sources IS 'source platforms covered (WHATSAPP_EXPORT, ...); NULL covers every source';
COMMENT ON COLUMN vault_retention_policy.custodian_groups IS 'custodian groups covered; NULL covers every custodian';

CREATE TABLE vault_custodian_group (
    group_name TEXT NOT NULL,
    custodian  TEXT NOT NULL,
    PRIMARY KEY (group_name, custodian)
);
