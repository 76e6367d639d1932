-- The sync job (issue 14): per custodian group and window, what was taken from the capture
-- inbox, the API polls and the drop folder, and what became of it. Everything a window's
-- chunks commit (tallies, watermarks, dropped files' progress, late arrivals) is written in
-- the chunk's own transaction; the report tables are written once by the window's last step.

-- How far each poll of each group has come: a Slack ts, an instant, a Graph delta link.
CREATE TABLE sync_watermark (
	group_name        VARCHAR(64)   NOT NULL,
	source            VARCHAR(600)  NOT NULL,
	position          TEXT          NOT NULL,
	window_end        TIMESTAMPTZ   NOT NULL,
	job_execution_id  BIGINT        NOT NULL,
	updated_at        TIMESTAMPTZ   NOT NULL,
	PRIMARY KEY (group_name, source)
);

-- Running counters of a window, added in each chunk's transaction (max.* keep a maximum).
CREATE TABLE sync_window_tally (
	group_name  VARCHAR(64)   NOT NULL,
	window_end  TIMESTAMPTZ   NOT NULL,
	name        VARCHAR(700)  COLLATE "C" NOT NULL,
	value       BIGINT        NOT NULL,
	PRIMARY KEY (group_name, window_end, name)
);

-- Files taken from drop folders, by SHA-256 of their bytes: imported once, resumable.
CREATE TABLE sync_dropped_file (
	sha256            CHAR(64)      PRIMARY KEY,
	group_name        VARCHAR(64)   NOT NULL,
	custodian         VARCHAR(200)  NOT NULL,
	file_name         VARCHAR(1024) NOT NULL,
	format            TEXT          NOT NULL,
	size_bytes        BIGINT        NOT NULL,
	records_done      BIGINT        NOT NULL,
	first_window_end  TIMESTAMPTZ   NOT NULL,
	job_execution_id  BIGINT        NOT NULL,
	done_at           TIMESTAMPTZ
);

-- One row per completed window: the reconciliation inbox + polled + dropped = archived +
-- duplicates + quarantined. NULL means the source is not there for the group (no inbox, no
-- polled account, no drop folder), not zero.
CREATE TABLE sync_window (
	group_name        VARCHAR(64)  NOT NULL,
	window_end        TIMESTAMPTZ  NOT NULL,
	window_start      TIMESTAMPTZ,
	cadence_seconds   BIGINT       NOT NULL,
	job_instance_id   BIGINT       NOT NULL REFERENCES batch_job_instance (job_instance_id),
	job_execution_id  BIGINT       NOT NULL REFERENCES batch_job_execution (job_execution_id),
	missed_windows    INT          NOT NULL,
	inbox_deliveries  BIGINT,
	inbox_records     BIGINT,
	polled_records    BIGINT,
	dropped_files     BIGINT,
	dropped_records   BIGINT,
	archived          BIGINT       NOT NULL,
	duplicates        BIGINT       NOT NULL,
	quarantined       BIGINT       NOT NULL,
	late_arrivals     BIGINT,
	late_max_lag_ms   BIGINT,
	alerts            INT          NOT NULL,
	completed_at      TIMESTAMPTZ  NOT NULL,
	PRIMARY KEY (group_name, window_end),
	CHECK (coalesce(inbox_records, 0) + coalesce(polled_records, 0) + coalesce(dropped_records, 0)
		= archived + duplicates + quarantined)
);

CREATE INDEX sync_window_execution ON sync_window (job_execution_id);

CREATE TABLE sync_window_source (
	group_name   VARCHAR(64)  NOT NULL,
	window_end   TIMESTAMPTZ  NOT NULL,
	source       VARCHAR(20)  NOT NULL,
	read_count   BIGINT       NOT NULL,
	archived     BIGINT       NOT NULL,
	duplicates   BIGINT       NOT NULL,
	quarantined  BIGINT       NOT NULL,
	PRIMARY KEY (group_name, window_end, source),
	CHECK (read_count = archived + duplicates + quarantined)
);

-- Latencies of a window's records in milliseconds; no row when nothing was measured.
CREATE TABLE sync_window_latency (
	group_name  VARCHAR(64)  NOT NULL,
	window_end  TIMESTAMPTZ  NOT NULL,
	measure     VARCHAR(40)  NOT NULL,
	samples     BIGINT       NOT NULL,
	p50_ms      BIGINT       NOT NULL,
	p95_ms      BIGINT       NOT NULL,
	max_ms      BIGINT       NOT NULL,
	PRIMARY KEY (group_name, window_end, measure)
);

-- Messages per account and window, zero included: the history the silence alert reads.
CREATE TABLE sync_account_window (
	group_name  VARCHAR(64)   NOT NULL,
	window_end  TIMESTAMPTZ   NOT NULL,
	account     VARCHAR(600)  NOT NULL,
	custodian   VARCHAR(200)  NOT NULL,
	messages    BIGINT        NOT NULL,
	PRIMARY KEY (group_name, window_end, account)
);

CREATE INDEX sync_account_window_history ON sync_account_window (group_name, account, window_end);

CREATE TABLE sync_alert (
	id          BIGSERIAL     PRIMARY KEY,
	group_name  VARCHAR(64)   NOT NULL,
	window_end  TIMESTAMPTZ   NOT NULL,
	kind        VARCHAR(40)   NOT NULL,
	account     VARCHAR(600),
	detail      TEXT          NOT NULL
);

CREATE INDEX sync_alert_window ON sync_alert (group_name, window_end);

-- Late arrivals, one by one (up to chatvault.sync.late-details per window; sync_window
-- counts them all): sent in a window that had closed when they were captured.
CREATE TABLE sync_late_arrival (
	group_name   VARCHAR(64)   NOT NULL,
	window_end   TIMESTAMPTZ   NOT NULL,
	inbox_id     BIGINT        NOT NULL,
	account      VARCHAR(600),
	message_id   CHAR(64)      NOT NULL,
	sent_at      TIMESTAMPTZ   NOT NULL,
	captured_at  TIMESTAMPTZ   NOT NULL,
	lag_ms       BIGINT        NOT NULL
);

CREATE INDEX sync_late_arrival_window ON sync_late_arrival (group_name, window_end);
