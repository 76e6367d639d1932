-- Draining without rewriting the inbox (issue 14, benchmark): marking a delivery drained by
-- an UPDATE of capture_inbox rewrote the whole row (its sealed body included) and inserted
-- into both of its indexes - about 21 us of backend CPU a delivery, 15 times the cost of
-- deleting a narrow row. The deliveries stay as they were stored (never updated again);
-- what changes as they are drained lives in two narrow tables:
--   capture_inbox_waiting  one row per delivery not yet drained, inserted by serve in the
--                          statement that stores the delivery, deleted by the sync chunk
--                          that archives it;
--   capture_inbox_drained  when a delivery was drained and by which sync execution,
--                          inserted in that same chunk's transaction.
-- Both name capture_inbox ids without a foreign key: a key check locks the referenced row,
-- which writes to the inbox's pages again, the cost this avoids.
-- The partial index that found waiting deliveries gives its name to the table that holds them.
DROP INDEX capture_inbox_waiting;

CREATE TABLE capture_inbox_waiting (
	id           BIGINT       PRIMARY KEY,
	received_at  TIMESTAMPTZ  NOT NULL,
	routing      TEXT[]       NOT NULL
);

CREATE INDEX capture_inbox_waiting_order ON capture_inbox_waiting (received_at, id);

CREATE TABLE capture_inbox_drained (
	id          BIGINT       PRIMARY KEY,
	drained_at  TIMESTAMPTZ  NOT NULL,
	drained_by  BIGINT       NOT NULL
);

INSERT INTO capture_inbox_waiting (id, received_at, routing)
SELECT id, received_at, routing FROM capture_inbox WHERE drained_at IS NULL;

INSERT INTO capture_inbox_drained (id, drained_at, drained_by)
SELECT id, drained_at, coalesce(drained_by, 0) FROM capture_inbox WHERE drained_at IS NOT NULL;


ALTER TABLE capture_inbox DROP COLUMN drained_at, DROP COLUMN drained_by;
