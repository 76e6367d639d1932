-- Checksum sampling counts erased content on its own (docs/integrity.md): items whose data key a
-- GDPR erasure destroyed are checked to their stored SHA-256 only, and are neither verified nor
-- failed (no incident: nothing can read them any more, by design).
ALTER TABLE integrity_run ADD COLUMN erased BIGINT NOT NULL DEFAULT 0;
ALTER TABLE integrity_run_kind ADD COLUMN erased BIGINT;
ALTER TABLE integrity_run_part ADD COLUMN erased BIGINT NOT NULL DEFAULT 0;
