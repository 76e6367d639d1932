-- Quarantined input too large to hold in memory (a whole export that cannot be read, a damaged or
-- refused zip entry) is streamed into the store in parts of at most 4 MiB, each sealed under the
-- quarantine key as its own write-once object. Such a row of vault_quarantine has parts > 0: its
-- object_key is the parts' common prefix, raw_sha256 / raw_length describe the whole input,
-- stored_sha256 is the SHA-256 of the parts' stored SHA-256s (hex, in order, concatenated) and
-- stored_length their sum. Rows with parts = 0 are one object, as before.
ALTER TABLE vault_quarantine ADD COLUMN parts INTEGER NOT NULL DEFAULT 0;

CREATE TABLE vault_quarantine_part (
    fingerprint   TEXT COLLATE "C" NOT NULL REFERENCES vault_quarantine (fingerprint),
    part_index    INTEGER     NOT NULL,
    object_key    TEXT COLLATE "C" NOT NULL,
    plain_length  BIGINT      NOT NULL,
    stored_length BIGINT      NOT NULL,
    stored_sha256 TEXT        NOT NULL,
    PRIMARY KEY (fingerprint, part_index)
);
