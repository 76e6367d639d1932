-- Records in a drill request's scope that the full scan could not read because an erasure
-- destroyed their data key (crypto-shredding): counted, neither scanned nor expected.
ALTER TABLE search_drill_request ADD COLUMN erased BIGINT NOT NULL DEFAULT 0;
