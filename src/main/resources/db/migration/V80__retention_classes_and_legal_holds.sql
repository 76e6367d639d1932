-- Retention policies per regulation (docs/retention.md): a policy may name custodians as well as
-- custodian groups and sources, and says whether the law imposes it (an erasure inside a statutory
-- retention is refused). Every pack records the policy that fixed its retain-until at ingest.
ALTER TABLE vault_retention_policy
    ADD COLUMN custodians TEXT[],
    ADD COLUMN statutory  BOOLEAN NOT NULL DEFAULT true;
COMMENT ON COLUMN vault_retention_policy.custodians IS 'custodians covered by name; NULL: not limited by name';
COMMENT ON COLUMN vault_retention_policy.statutory IS 'imposed by law (erasure refused inside it); false for GDPR-minimal policies';

-- The retention class a pack was written under: the winning policy (NULL: the configured default)
-- and whether it is statutory. A pack holds records of one class and one retain-until.
ALTER TABLE vault_pack
    ADD COLUMN retention_policy    TEXT,
    ADD COLUMN retention_statutory BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX vault_pack_by_retain_until ON vault_pack (retain_until);

-- Legal holds: a case protects every record of its custodians (sent within [from, to) when given)
-- and every object holding them, until released. Never deleted: releasing stamps the row.
CREATE TABLE retention_hold (
    case_name   TEXT COLLATE "C" PRIMARY KEY,
    custodians  TEXT[]      NOT NULL,
    from_at     TIMESTAMPTZ,
    to_at       TIMESTAMPTZ,
    reason      TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT        NOT NULL,
    released_at TIMESTAMPTZ,
    released_by TEXT
);

-- The objects on which a hold set the store's legal hold flag (S3 legal hold, the filesystem
-- store's sidecar). Releasing a case clears the flag of those no other live case lists.
CREATE TABLE retention_hold_object (
    case_name  TEXT COLLATE "C" NOT NULL REFERENCES retention_hold,
    object_key TEXT COLLATE "C" NOT NULL,
    held_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_name, object_key)
);
CREATE INDEX retention_hold_object_by_key ON retention_hold_object (object_key);
