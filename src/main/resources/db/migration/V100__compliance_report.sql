-- The compliance report (issue 19): per report (a job instance: a month or an ISO week, mailed or
-- written to a file), the KPIs it holds and the delivery of its workbook.

-- Every KPI of a report beside its target. value is NULL when the figure is missing (the job that
-- produces it did not run, or its tables are not installed): status is then 'finding', never a
-- zero. status: met | missed | finding | info (a figure without a target).
CREATE TABLE report_kpi (
	job_instance_id  BIGINT        NOT NULL REFERENCES batch_job_instance (job_instance_id),
	ordinal          INT           NOT NULL,
	area             VARCHAR(40)   NOT NULL,
	kpi              VARCHAR(200)  NOT NULL,
	value            NUMERIC,
	unit             VARCHAR(20)   NOT NULL,
	target           VARCHAR(200),
	status           VARCHAR(10)   NOT NULL CHECK (status IN ('met', 'missed', 'finding', 'info')),
	note             TEXT,
	PRIMARY KEY (job_instance_id, ordinal)
);

-- The one delivery of a report's workbook. Steps build -> store -> send move state forward:
-- BUILT (workbook written to staging, sha256 known), STORED (in the write-once store under
-- object_key, its SHA-256 in the audit log), SENT (accepted by the SMTP server under message_id,
-- or written to the operator's file). A restart resumes from the state, so a report is mailed once.
CREATE TABLE report_delivery (
	job_instance_id  BIGINT        PRIMARY KEY REFERENCES batch_job_instance (job_instance_id),
	job_name         VARCHAR(100)  NOT NULL,
	kind             VARCHAR(10)   NOT NULL CHECK (kind IN ('monthly', 'weekly')),
	period           VARCHAR(10)   NOT NULL,
	period_start     TIMESTAMPTZ   NOT NULL,
	period_end       TIMESTAMPTZ   NOT NULL,
	destination      VARCHAR(10)   NOT NULL CHECK (destination IN ('mail', 'file')),
	recipients       TEXT          NOT NULL,
	message_id       VARCHAR(300)  NOT NULL,
	staging_path     TEXT          NOT NULL,
	sha256           CHAR(64)      NOT NULL,
	size_bytes       BIGINT        NOT NULL,
	kpis             INT           NOT NULL,
	kpis_missed      INT           NOT NULL,
	findings         INT           NOT NULL,
	object_key       TEXT,
	state            VARCHAR(10)   NOT NULL CHECK (state IN ('BUILT', 'STORED', 'SENT')),
	built_at         TIMESTAMPTZ   NOT NULL,
	stored_at        TIMESTAMPTZ,
	sent_at          TIMESTAMPTZ,
	build_execution_id BIGINT      NOT NULL,
	send_execution_id  BIGINT,
	CHECK ((state = 'BUILT') = (object_key IS NULL))
);

CREATE INDEX report_delivery_period ON report_delivery (kind, period);
