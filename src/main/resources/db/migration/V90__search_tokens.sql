-- Keyed search tokens (docs/search.md): one row per archived record with the distinct tokens of its
-- searchable text (HMAC-SHA256 under the search key, first 8 bytes as a BIGINT). No term, no text:
-- a token cannot be turned back into its term without the key. The GIN index answers "records with
-- all of these tokens" (tokens @> ARRAY[...]) and "any of these" (&&) from compressed posting lists.
-- conversation, kind and sent_at repeat vault_message's, so that filters need no join.
CREATE TABLE search_record (
    message_id   BYTEA       NOT NULL PRIMARY KEY,
    conversation INTEGER     NOT NULL,
    kind         SMALLINT    NOT NULL,
    sent_at      TIMESTAMPTZ NOT NULL,
    tokens       BIGINT[]    NOT NULL
);
CREATE INDEX search_record_tokens ON search_record USING gin (tokens);
