-- The vault's index and data keys. Metadata, hashes, wrapped keys only: never message text.
-- Keys, ids and hashes are compared byte-wise (COLLATE "C"): no locale order is wanted, and
-- locale comparisons make every B-tree insert and lookup slower.

-- One live AES-256 data key per erasure scope (a conversation, a media object, the quarantine),
-- wrapped by a key-encryption key of the given version. Destroying a key (wrapped_key set to NULL)
-- makes its scope unreadable: crypto-shredding, since write-once objects cannot be deleted early.
CREATE TABLE vault_data_key (
    id             BIGSERIAL PRIMARY KEY,
    scope          TEXT COLLATE "C" NOT NULL,
    kek_version    INTEGER     NOT NULL,
    wrapped_key    BYTEA,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    rewrapped_at   TIMESTAMPTZ,
    destroyed_at   TIMESTAMPTZ,
    destroy_reason TEXT,
    CONSTRAINT vault_data_key_destroyed CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
);
CREATE UNIQUE INDEX vault_data_key_live_scope ON vault_data_key (scope) WHERE destroyed_at IS NULL;
CREATE INDEX vault_data_key_kek_version ON vault_data_key (kek_version) WHERE destroyed_at IS NULL;

-- Pack objects: many small encrypted records in one write-once object, with a manifest at its end.
CREATE TABLE vault_pack (
    id           BIGSERIAL PRIMARY KEY,
    object_key   TEXT COLLATE "C" NOT NULL UNIQUE,
    entries      INTEGER     NOT NULL,
    size         BIGINT      NOT NULL,
    sha256       TEXT COLLATE "C" NOT NULL,
    retain_until TIMESTAMPTZ NOT NULL,
    lock_mode    TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per archived record: where its ciphertext is and what it hashes to. Ids and hashes
-- are SHA-256 values kept as 32 raw bytes (encode(message_id, 'hex') gives the hex form the
-- code uses): the table and its primary key are about half the size of hex text, which counts
-- at hundreds of millions of rows.
CREATE TABLE vault_message (
    message_id         BYTEA       PRIMARY KEY,
    pack_id            BIGINT      NOT NULL,
    pack_offset        BIGINT      NOT NULL,
    stored_length      INTEGER     NOT NULL,
    record_sha256      BYTEA       NOT NULL,
    stored_sha256      BYTEA       NOT NULL,
    data_key_id        BIGINT      NOT NULL,
    source             TEXT COLLATE "C" NOT NULL,
    conversation_id    TEXT COLLATE "C" NOT NULL,
    custodian          TEXT COLLATE "C" NOT NULL,
    kind               TEXT        NOT NULL,
    sent_at            TIMESTAMPTZ NOT NULL,
    platform_id_sha256 BYTEA,
    attachments        INTEGER     NOT NULL,
    retain_until       TIMESTAMPTZ NOT NULL,
    archived_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX vault_message_by_conversation ON vault_message (source, conversation_id, sent_at);
CREATE INDEX vault_message_by_custodian ON vault_message (custodian, sent_at);

-- Media, content-addressed by the SHA-256 of the original bytes and stored once.
CREATE TABLE vault_media (
    sha256       TEXT COLLATE "C" PRIMARY KEY,
    size         BIGINT      NOT NULL,
    media_type   TEXT        NOT NULL,
    chunk_size   INTEGER     NOT NULL,
    chunks       INTEGER     NOT NULL,
    data_key_id  BIGINT      NOT NULL,
    stored_bytes BIGINT      NOT NULL,
    retain_until TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE vault_media_chunk (
    media_sha256  TEXT COLLATE "C" NOT NULL,
    chunk_index   INTEGER NOT NULL,
    object_key    TEXT COLLATE "C" NOT NULL,
    plain_length  INTEGER NOT NULL,
    stored_length INTEGER NOT NULL,
    stored_sha256 TEXT    NOT NULL,
    compressed    BOOLEAN NOT NULL,
    PRIMARY KEY (media_sha256, chunk_index)
);

-- Which media each message carries (in attachment order, PRESENT attachments only).
CREATE TABLE vault_message_attachment (
    message_id   BYTEA   NOT NULL,
    ordinal      INTEGER NOT NULL,
    media_sha256 TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (message_id, ordinal)
);
CREATE INDEX vault_message_attachment_media ON vault_message_attachment (media_sha256);

-- Records that could not be parsed: the raw bytes are encrypted in the store under the
-- quarantine key; here only where they came from, why, and their hashes.
CREATE TABLE vault_quarantine (
    fingerprint    TEXT COLLATE "C" PRIMARY KEY,
    custodian      TEXT COLLATE "C" NOT NULL,
    origin_file    TEXT        NOT NULL,
    origin_entry   TEXT        NOT NULL,
    origin_line    BIGINT      NOT NULL,
    reason         TEXT        NOT NULL,
    raw_sha256     TEXT        NOT NULL,
    raw_length     BIGINT      NOT NULL,
    object_key     TEXT COLLATE "C" NOT NULL,
    data_key_id    BIGINT      NOT NULL,
    stored_sha256  TEXT        NOT NULL,
    stored_length  BIGINT      NOT NULL,
    quarantined_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The same record archived again for another custodian (both ends of a chat export it) is
-- stored once; this table records every further custodian that holds it.
CREATE TABLE vault_message_custodian (
    message_id BYTEA NOT NULL,
    custodian  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (message_id, custodian)
);
CREATE INDEX vault_message_custodian_by_custodian ON vault_message_custodian (custodian);
