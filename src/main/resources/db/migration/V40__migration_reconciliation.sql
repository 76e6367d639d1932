-- The reconciliation of every migration run (job instance) and every export in it:
-- read = archived + duplicates + quarantined. One row per export, updated by the
-- execution that last worked on it, so that a restarted run keeps one line per export.
CREATE TABLE migration_reconciliation (
	job_instance_id   BIGINT        NOT NULL REFERENCES batch_job_instance (job_instance_id),
	export            VARCHAR(4096) NOT NULL,
	export_name       VARCHAR(1024) NOT NULL,
	format            VARCHAR(40)   NOT NULL,
	job_execution_id  BIGINT        NOT NULL REFERENCES batch_job_execution (job_execution_id),
	step_name         VARCHAR(100)  NOT NULL,
	status            VARCHAR(10)   NOT NULL,
	read_count        BIGINT        NOT NULL,
	archived          BIGINT        NOT NULL,
	duplicates        BIGINT        NOT NULL,
	quarantined       BIGINT        NOT NULL,
	bytes_stored      BIGINT        NOT NULL,
	updated_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
	PRIMARY KEY (job_instance_id, export),
	CHECK (read_count = archived + duplicates + quarantined)
);

CREATE INDEX migration_reconciliation_execution ON migration_reconciliation (job_execution_id);
