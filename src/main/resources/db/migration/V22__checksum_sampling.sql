-- The checksum-sampling job (io.chatvault.integrity): what each run drew and checked, and
-- every damaged object it found with what became of it. Read by the compliance report
-- (docs/integrity.md, "Tables the compliance report reads").

-- One row per run (job instance: one day, sample or full pass), written when it ends.
CREATE TABLE integrity_run (
	job_instance_id    BIGINT        PRIMARY KEY,
	job_execution_id   BIGINT        NOT NULL,
	day                DATE          NOT NULL,
	full_pass          BOOLEAN       NOT NULL,
	items_in_archive   BIGINT        NOT NULL,
	records_in_archive BIGINT        NOT NULL,
	sampled            BIGINT        NOT NULL,
	records_sampled    BIGINT        NOT NULL,
	verified           BIGINT        NOT NULL,
	failed             BIGINT        NOT NULL,
	repaired           BIGINT        NOT NULL,
	unrepairable       BIGINT        NOT NULL,
	bytes_read         BIGINT        NOT NULL,
	seconds            NUMERIC(14,3) NOT NULL,
	mb_per_second      NUMERIC(14,3) NOT NULL,
	records_per_second NUMERIC(14,1) NOT NULL,
	outcome            VARCHAR(16)   NOT NULL CHECK (outcome IN ('intact', 'repaired', 'unrepairable')),
	started_at         TIMESTAMPTZ   NOT NULL,
	completed_at       TIMESTAMPTZ   NOT NULL
);

CREATE INDEX integrity_run_day ON integrity_run (day);

-- The draw of each kind of item (written by the first step) and its counts (by the last).
CREATE TABLE integrity_run_kind (
	job_instance_id  BIGINT       NOT NULL,
	kind             VARCHAR(32)  NOT NULL,
	population       BIGINT       NOT NULL,
	population_records BIGINT     NOT NULL,
	min_id           BIGINT       NOT NULL,
	max_id           BIGINT       NOT NULL,
	target           BIGINT       NOT NULL,
	threshold        VARCHAR(16)  NOT NULL,
	drawn            BIGINT       NOT NULL,
	drawn_records    BIGINT       NOT NULL,
	sampled          BIGINT,
	verified         BIGINT,
	failed           BIGINT,
	bytes_read       BIGINT,
	PRIMARY KEY (job_instance_id, kind)
);

-- The counts of each partition, added to in the chunk's transaction (so a restarted run
-- counts every item once); summed into integrity_run_kind and integrity_run at the end.
CREATE TABLE integrity_run_part (
	job_instance_id BIGINT       NOT NULL,
	part            VARCHAR(64)  NOT NULL,
	kind            VARCHAR(32)  NOT NULL,
	sampled         BIGINT       NOT NULL DEFAULT 0,
	records         BIGINT       NOT NULL DEFAULT 0,
	verified        BIGINT       NOT NULL DEFAULT 0,
	failed          BIGINT       NOT NULL DEFAULT 0,
	bytes_read      BIGINT       NOT NULL DEFAULT 0,
	PRIMARY KEY (job_instance_id, part)
);

-- One row per damaged or missing object found (per run: the same object found again by a
-- restart of the run is the same incident).
CREATE TABLE integrity_incident (
	id               BIGSERIAL     PRIMARY KEY,
	job_instance_id  BIGINT        NOT NULL,
	job_execution_id BIGINT        NOT NULL,
	day              DATE          NOT NULL,
	kind             VARCHAR(32)   NOT NULL,
	item_id          BIGINT        NOT NULL,
	object_key       VARCHAR(1024) NOT NULL,
	problem          TEXT          NOT NULL,
	replica_problem  TEXT,
	detected_at      TIMESTAMPTZ   NOT NULL,
	repaired_at      TIMESTAMPTZ,
	outcome          VARCHAR(16)   NOT NULL CHECK (outcome IN ('repaired', 'unrepairable')),
	new_object_key   VARCHAR(1024),
	CHECK ((outcome = 'repaired') = (repaired_at IS NOT NULL AND new_object_key IS NOT NULL)),
	UNIQUE (job_instance_id, object_key)
);

CREATE INDEX integrity_incident_detected_at ON integrity_incident (detected_at);
