-- Keyed search tokens move into the index row of their record (docs/search.md): vault_message.tokens,
-- written by the same COPY and INSERT as the row itself, with the GIN index on vault_message.
-- search_record repeated the row's id, conversation, kind and sent_at (kind as the enum's ordinal, not
-- vault_message's code) and had a primary key of its own: a second heap row, a second random-key
-- btree insert and a statement per record, about 40% of the migration's PostgreSQL CPU with tokens on.
-- NULL tokens: not indexed yet (archived with chatvault.search.index-at-archive=false, or erased
-- before search-backfill could read it); search-backfill fills them. An empty array: indexed, no
-- searchable text.
ALTER TABLE vault_message ADD COLUMN tokens BIGINT[];

UPDATE vault_message m SET tokens = s.tokens FROM search_record s WHERE s.message_id = m.message_id;

DROP TABLE search_record;

CREATE INDEX vault_message_tokens ON vault_message USING gin (tokens);
