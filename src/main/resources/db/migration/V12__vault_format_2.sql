-- Vault format 2 (docs/vault.md): records in compressed, sealed blocks of packs; the original export
-- files and media as content-defined chunks in the same packs; a sealed receipt per export. Format 1
-- never shipped, so its tables are replaced, not migrated. Metadata, hashes and ids only: never
-- message text, never names of chats or files (those are sealed in the store).
-- Sizes matter here: vault_message has a row per record (hundreds of millions), so it holds only
-- fixed-width columns and the id, and everything shared by many records is a small id.

DROP TABLE vault_message_custodian;
DROP TABLE vault_message_attachment;
DROP TABLE vault_media_chunk;
DROP TABLE vault_media;
DROP TABLE vault_message;
DROP TABLE vault_pack;

-- What a data key covers, as columns, so that an erasure finds every key of a custodian or of a
-- conversation (the scope name stays the unique handle of the live key).
ALTER TABLE vault_data_key
    ADD COLUMN custodian       TEXT COLLATE "C",
    ADD COLUMN source          TEXT COLLATE "C",
    ADD COLUMN conversation_id TEXT COLLATE "C";
CREATE INDEX vault_data_key_by_custodian ON vault_data_key (custodian) WHERE custodian IS NOT NULL;
CREATE INDEX vault_data_key_by_conversation ON vault_data_key (source, conversation_id)
    WHERE conversation_id IS NOT NULL;

CREATE TABLE vault_custodian (
    id   SERIAL PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL UNIQUE
);

-- A conversation as one custodian holds it: the erasure scope of the records first archived for
-- that custodian (their data key is conversation:<source>:<conversation id>:<custodian>).
CREATE TABLE vault_conversation (
    id              SERIAL PRIMARY KEY,
    source          TEXT COLLATE "C" NOT NULL,
    conversation_id TEXT COLLATE "C" NOT NULL,
    custodian_id    INTEGER NOT NULL REFERENCES vault_custodian,
    UNIQUE (source, conversation_id, custodian_id)
);
CREATE INDEX vault_conversation_by_custodian ON vault_conversation (custodian_id);

-- Pack objects: sealed blocks of records, conversation states and chunks, with a manifest.
CREATE TABLE vault_pack (
    id           BIGSERIAL PRIMARY KEY,
    object_key   TEXT COLLATE "C" NOT NULL UNIQUE,
    size         BIGINT      NOT NULL,
    sha256       BYTEA       NOT NULL,
    blocks       INTEGER     NOT NULL,
    retain_until TIMESTAMPTZ NOT NULL,
    lock_mode    TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per block: where it is, what its sealed bytes hash to (checkable without keys), which
-- key sealed it. kind: 1 records, 2 conversation state, 3 chunk of an original, 4 chunk of media, 5 a file's manifest. chunk_id is a chunk's keyed
-- content id (HMAC under its data key, so the index cannot confirm a guessed text): chunks are
-- stored once per data key.
CREATE TABLE vault_block (
    id            BIGSERIAL PRIMARY KEY,
    pack_id       BIGINT   NOT NULL REFERENCES vault_pack,
    ordinal       INTEGER  NOT NULL,
    pack_offset   BIGINT   NOT NULL,
    stored_length INTEGER  NOT NULL,
    plain_length  INTEGER  NOT NULL,
    entries       INTEGER  NOT NULL,
    kind          SMALLINT NOT NULL,
    data_key_id   BIGINT   NOT NULL,
    stored_sha256 BYTEA    NOT NULL,
    chunk_id      BYTEA,
    UNIQUE (pack_id, ordinal)
);
CREATE UNIQUE INDEX vault_block_chunk ON vault_block (data_key_id, chunk_id) WHERE chunk_id IS NOT NULL;
-- Which blocks a key sealed: what a legal hold or an erasure of a scope has to reach.
CREATE INDEX vault_block_by_key ON vault_block (data_key_id);

-- One row per archived record: 88 bytes of heap. Fixed-width columns first (no padding), the
-- 32-byte id last. The record is the ordinal-th of its block.
CREATE TABLE vault_message (
    block_id     BIGINT      NOT NULL,
    sent_at      TIMESTAMPTZ NOT NULL,
    conversation INTEGER     NOT NULL,
    kind         SMALLINT    NOT NULL,
    ordinal      SMALLINT    NOT NULL,
    message_id   BYTEA       NOT NULL PRIMARY KEY
);
CREATE INDEX vault_message_by_conversation ON vault_message (conversation, sent_at);

-- Records archived per conversation and kind (0 message, 1 system event, 2 edit, 3 deletion,
-- 4 reaction, 5 status), one row per chunk: insert-only, so concurrent chunks never wait on
-- each other; status sums them.
CREATE TABLE vault_message_count (
    conversation INTEGER  NOT NULL,
    kind         SMALLINT NOT NULL,
    records      INTEGER  NOT NULL
);

-- A record archived again for another custodian (both ends of a chat exported it) is stored once;
-- this lists every further custodian that holds it.
CREATE TABLE vault_message_holder (
    message_id   BYTEA   NOT NULL,
    custodian_id INTEGER NOT NULL,
    PRIMARY KEY (message_id, custodian_id)
);
CREATE INDEX vault_message_holder_by_custodian ON vault_message_holder (custodian_id);

-- Conversation states (type, name, participants), stored once per conversation and state. state_id
-- is keyed like chunk ids.
CREATE TABLE vault_conversation_state (
    conversation INTEGER NOT NULL,
    state_id     BYTEA   NOT NULL,
    block_id     BIGINT  NOT NULL,
    PRIMARY KEY (conversation, state_id)
);

-- Byte sequences stored as content-defined chunks: original export files (kind 1) and media (2).
-- sha256 is of the whole original; the same bytes are stored once per data key.
CREATE TABLE vault_file (
    id           BIGSERIAL PRIMARY KEY,
    kind         SMALLINT    NOT NULL,
    sha256       BYTEA       NOT NULL,
    size         BIGINT      NOT NULL,
    data_key_id  BIGINT      NOT NULL,
    chunks       INTEGER     NOT NULL,
    stored_bytes BIGINT      NOT NULL,
    media_type   TEXT,
    retain_until TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (sha256, data_key_id)
);

CREATE TABLE vault_file_chunk (
    file_id      BIGINT  NOT NULL,
    ordinal      INTEGER NOT NULL,
    block_id     BIGINT  NOT NULL,
    plain_offset BIGINT  NOT NULL,
    PRIMARY KEY (file_id, ordinal)
);
CREATE INDEX vault_file_chunk_by_block ON vault_file_chunk (block_id);

-- Which media each record carries (in attachment order, PRESENT attachments only).
CREATE TABLE vault_message_attachment (
    message_id BYTEA    NOT NULL,
    ordinal    SMALLINT NOT NULL,
    file_id    BIGINT   NOT NULL,
    PRIMARY KEY (message_id, ordinal)
);
CREATE INDEX vault_message_attachment_by_file ON vault_message_attachment (file_id);

-- Receipts: one per export received (chain of custody). The receipt itself (export name, entry
-- names, sizes and SHA-256, custodian, received-at) is a sealed object; here only what finds it
-- and the hashes. intake_key makes receiving idempotent (a restarted import finds its receipt).
CREATE TABLE vault_receipt (
    id                  BIGSERIAL PRIMARY KEY,
    intake_key          TEXT COLLATE "C" NOT NULL UNIQUE,
    custodian_id        INTEGER     NOT NULL,
    archive_sha256      BYTEA,
    archive_size        BIGINT,
    entries             INTEGER     NOT NULL,
    received_at         TIMESTAMPTZ NOT NULL,
    object_key          TEXT COLLATE "C" NOT NULL,
    stored_length       INTEGER     NOT NULL,
    stored_sha256       BYTEA       NOT NULL,
    data_key_id         BIGINT      NOT NULL,
    retain_until        TIMESTAMPTZ NOT NULL,
    originals_stored_at TIMESTAMPTZ
);
CREATE INDEX vault_receipt_by_custodian ON vault_receipt (custodian_id, received_at);

-- The entries (files) of a receipt: their hash and size, and the stored file once stored.
CREATE TABLE vault_receipt_entry (
    receipt_id BIGINT  NOT NULL,
    ordinal    INTEGER NOT NULL,
    sha256     BYTEA,
    size       BIGINT  NOT NULL,
    file_id    BIGINT,
    PRIMARY KEY (receipt_id, ordinal)
);
CREATE INDEX vault_receipt_entry_by_sha256 ON vault_receipt_entry (sha256);

-- The conversations whose records were read from each entry: an entry of one conversation is
-- stored under that conversation's key (erasing the conversation erases its source lines too).
CREATE TABLE vault_receipt_conversation (
    receipt_id   BIGINT  NOT NULL,
    entry        INTEGER NOT NULL,
    conversation INTEGER NOT NULL,
    PRIMARY KEY (receipt_id, entry, conversation)
);

-- Quarantined input gets a numeric id, so that checksum sampling can page through it like the rest.
ALTER TABLE vault_quarantine ADD COLUMN id BIGSERIAL UNIQUE;

-- Repairs by checksum sampling: an object re-put from the replica under a new key, which the
-- index names from then on. Nothing is ever overwritten or deleted.
CREATE TABLE vault_repair (
    id          BIGSERIAL PRIMARY KEY,
    object_kind TEXT        NOT NULL,
    item_id     BIGINT      NOT NULL,
    old_key     TEXT        NOT NULL,
    new_key     TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    repaired_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
