-- The capture inbox (issue 13): every webhook delivery `chatvault serve` accepted, its raw
-- body sealed (AES-256-GCM under a data key of vault_data_key), committed before the
-- platform is answered 2xx. The sync job drains it by marking (drained_at), never by an id
-- watermark: ids handed to several serve replicas commit out of order.
CREATE TABLE capture_inbox (
	id            BIGSERIAL    PRIMARY KEY,
	platform      VARCHAR(16)  NOT NULL CHECK (platform IN ('WHATSAPP', 'SLACK', 'TEAMS')),
	app           VARCHAR(100) NOT NULL,
	-- What makes a redelivery the same delivery: WhatsApp the SHA-256 of the body, Slack the
	-- event_id, Graph the notifications' ids and resources (hashed). Stored once.
	dedupe_key    VARCHAR(200) NOT NULL,
	-- Account keys the body names (whatsapp-number:<phone_number_id>, slack-channel:C.., ...),
	-- matched against the custodian groups' accounts by the sync job; empty when the body
	-- names none (not JSON).
	routing       TEXT[]       NOT NULL,
	received_at   TIMESTAMPTZ  NOT NULL,
	peer          VARCHAR(64),
	body_size     INTEGER      NOT NULL,
	-- The sealed raw body and, for Graph, the sealed decrypted resource data (a JSON array).
	body          BYTEA        NOT NULL,
	resources     BYTEA,
	redeliveries  INTEGER      NOT NULL DEFAULT 0,
	drained_at    TIMESTAMPTZ,
	drained_by    BIGINT,
	UNIQUE (platform, app, dedupe_key)
);

CREATE INDEX capture_inbox_waiting ON capture_inbox (received_at, id) WHERE drained_at IS NULL;

-- Deliveries refused at the door: who and why, never anything of the body.
CREATE TABLE capture_refusal (
	id          BIGSERIAL    PRIMARY KEY,
	platform    VARCHAR(16)  NOT NULL,
	app         VARCHAR(100),
	reason      VARCHAR(40)  NOT NULL,
	peer        VARCHAR(64),
	refused_at  TIMESTAMPTZ  NOT NULL
);

CREATE INDEX capture_refusal_time ON capture_refusal (refused_at);
