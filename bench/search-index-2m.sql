-- Search benchmark (docs/BENCHMARKS.md, "Search"): 2,000,000 search_record rows of the V90 shape generated in
-- SQL (10 words a record, log-uniform ranks over 100,000 words, word and 3/5-character prefix tokens), then
-- the GIN index. Run: psql -h 127.0.0.1 -U postgres -d test -f bench/search-index-2m.sql
-- Queries: python3 bench/search-queries.py search_bench_2m
\timing on
DROP DATABASE IF EXISTS search_bench_2m;
CREATE DATABASE search_bench_2m;
\c search_bench_2m
CREATE TABLE vault_custodian (id SERIAL PRIMARY KEY, name TEXT COLLATE "C" NOT NULL UNIQUE);
CREATE TABLE vault_conversation (id SERIAL PRIMARY KEY, source TEXT COLLATE "C" NOT NULL, conversation_id TEXT COLLATE "C" NOT NULL, custodian_id INTEGER NOT NULL);
CREATE TABLE vault_message_holder (message_id BYTEA NOT NULL, custodian_id INTEGER NOT NULL, PRIMARY KEY (message_id, custodian_id));
CREATE TABLE search_record (message_id BYTEA NOT NULL, conversation INTEGER NOT NULL, kind SMALLINT NOT NULL, sent_at TIMESTAMPTZ NOT NULL, tokens BIGINT[] NOT NULL);
INSERT INTO vault_custodian (name) SELECT 'custodian-' || i FROM generate_series(1, 100) i;
INSERT INTO vault_conversation (source, conversation_id, custodian_id) SELECT 'WHATSAPP_EXPORT', 'chat-' || i, 1 + i % 100 FROM generate_series(1, 10000) i;
INSERT INTO search_record
SELECT decode(md5(i::text) || md5((-i)::text), 'hex'), 1 + (i % 10000), 0,
       '2023-01-01'::timestamptz + random() * interval '730 days',
       ARRAY(SELECT DISTINCT t FROM (
               SELECT unnest(ARRAY[hashint8extended(r, 0), hashint8extended(r / 50, 1), hashint8extended(r / 5, 2)]) t
               FROM (SELECT floor(exp(random() * ln(100000)))::bigint r FROM generate_series(1, 10) g WHERE g > -i) w) x ORDER BY t)
FROM generate_series(1, 2000000) i;
SET maintenance_work_mem = '1GB';
CREATE INDEX search_record_tokens ON search_record USING gin (tokens);
ALTER TABLE search_record ADD PRIMARY KEY (message_id);
VACUUM ANALYZE search_record;
SELECT count(*), pg_size_pretty(pg_table_size('search_record')), pg_size_pretty(pg_relation_size('search_record_tokens')), avg(cardinality(tokens)) FROM search_record;
