-- The restore drill counts apart the custodian's records a GDPR erasure made unreadable (their
-- data key destroyed): they cannot come back by design, so they are neither expected nor a shortfall.
ALTER TABLE restore_drill_account ADD COLUMN erased_records BIGINT NOT NULL DEFAULT 0;
