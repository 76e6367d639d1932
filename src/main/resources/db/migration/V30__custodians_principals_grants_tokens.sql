-- Who may read what (docs/access.md). The custodian registry: the employees whose chats are
-- archived; the principals who may read, their grants (role and scope) and their personal
-- access tokens. Grants and tokens are never deleted: revoking stamps them, so that the
-- permission audit and an investigator see who could read what, when.

CREATE TABLE access_custodian (
    id                TEXT COLLATE "C" PRIMARY KEY,
    name              TEXT        NOT NULL,
    hr_employee_id    TEXT COLLATE "C" UNIQUE,
    group_name        TEXT COLLATE "C" NOT NULL,
    status            TEXT        NOT NULL CHECK (status IN ('active', 'departed')),
    -- departed: the day they left; active: a departure the HR feed announced for later, or NULL
    departure_date    DATE,
    consent_document  TEXT,
    consent_sha256    BYTEA CHECK (consent_sha256 IS NULL OR octet_length(consent_sha256) = 32),
    consent_version   TEXT,
    consent_signed_on DATE,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    CONSTRAINT access_custodian_departed_has_date CHECK (status = 'active' OR departure_date IS NOT NULL),
    CONSTRAINT access_custodian_consent_complete CHECK (
        (consent_document IS NULL) = (consent_sha256 IS NULL)
        AND (consent_sha256 IS NULL) = (consent_version IS NULL)
        AND (consent_version IS NULL) = (consent_signed_on IS NULL))
);
CREATE INDEX access_custodian_by_group ON access_custodian (group_name, id);

-- A custodian's accounts on each platform: WhatsApp numbers (E.164), Slack user ids, Teams
-- (Entra ID) user object ids. One account belongs to one custodian.
CREATE TABLE access_custodian_account (
    platform     TEXT COLLATE "C" NOT NULL,
    account_id   TEXT COLLATE "C" NOT NULL,
    custodian_id TEXT COLLATE "C" NOT NULL REFERENCES access_custodian (id),
    added_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform, account_id)
);
CREATE INDEX access_custodian_account_by_custodian ON access_custodian_account (custodian_id);

CREATE TABLE access_principal (
    id              TEXT COLLATE "C" PRIMARY KEY,
    name            TEXT        NOT NULL,
    -- the HR identity: a leaver in the HR feed disables every principal with this id
    hr_employee_id  TEXT COLLATE "C",
    -- the custodian this principal is: an employee reads this custodian, a supervisor its group
    custodian_id    TEXT COLLATE "C" REFERENCES access_custodian (id),
    created_at      TIMESTAMPTZ NOT NULL,
    created_by      TEXT        NOT NULL,
    disabled_at     TIMESTAMPTZ,
    disabled_by     TEXT,
    disabled_reason TEXT,
    last_used_at    TIMESTAMPTZ
);
CREATE INDEX access_principal_by_hr_employee ON access_principal (hr_employee_id);
CREATE INDEX access_principal_by_custodian ON access_principal (custodian_id);

CREATE TABLE access_grant (
    id            BIGSERIAL PRIMARY KEY,
    principal_id  TEXT COLLATE "C" NOT NULL REFERENCES access_principal (id),
    role          TEXT        NOT NULL
        CHECK (role IN ('employee', 'supervisor', 'compliance', 'auditor', 'operator', 'admin')),
    -- all | none | group:<group> | custodian:<custodian id>
    scope         TEXT COLLATE "C" NOT NULL CHECK (scope ~ '^(all|none|group:.+|custodian:.+)$'),
    reason        TEXT,
    -- set when an admin granted more than the role's least privilege, with why; the permission
    -- audit reports every such grant that is still live
    beyond_role   TEXT,
    granted_at    TIMESTAMPTZ NOT NULL,
    granted_by    TEXT        NOT NULL,
    expires_at    TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ,
    revoked_by    TEXT,
    revoke_reason TEXT
);
CREATE INDEX access_grant_live_by_principal ON access_grant (principal_id) WHERE revoked_at IS NULL;

-- Personal access tokens: cvt_<id>_<secret>. Only the SHA-256 of the 256-bit random secret is
-- kept; the whole token is shown once, when it is created.
CREATE TABLE access_token (
    id            TEXT COLLATE "C" PRIMARY KEY,
    principal_id  TEXT COLLATE "C" NOT NULL REFERENCES access_principal (id),
    label         TEXT        NOT NULL,
    secret_sha256 BYTEA       NOT NULL CHECK (octet_length(secret_sha256) = 32),
    created_at    TIMESTAMPTZ NOT NULL,
    created_by    TEXT        NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ,
    revoked_by    TEXT,
    revoke_reason TEXT
);
CREATE INDEX access_token_live_by_principal ON access_token (principal_id) WHERE revoked_at IS NULL;

-- A departed custodian's accounts get one last sync, so that nothing they sent before
-- leaving is missed. The sync job (issue 14) reads the open requests and stamps them done.
CREATE TABLE access_last_sync_request (
    id            BIGSERIAL PRIMARY KEY,
    custodian_id  TEXT COLLATE "C" NOT NULL REFERENCES access_custodian (id),
    platform      TEXT COLLATE "C" NOT NULL,
    account_id    TEXT COLLATE "C" NOT NULL,
    reason        TEXT        NOT NULL,
    requested_at  TIMESTAMPTZ NOT NULL,
    requested_by  TEXT        NOT NULL,
    fulfilled_at  TIMESTAMPTZ,
    fulfilled_by  TEXT,
    UNIQUE (custodian_id, platform, account_id, reason)
);
CREATE INDEX access_last_sync_request_open ON access_last_sync_request (requested_at) WHERE fulfilled_at IS NULL;
