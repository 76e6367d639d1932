-- Every file under a migration source, accounted for (one row per run and file, or per export
-- directory): kind 'export' (read by a partition; its records are in migration_reconciliation),
-- 'quarantined' (looked like an export but no format could read it: quarantined whole, with the
-- reason), or 'not-an-export' (listed, not read: a photo beside a chat, a note, a hidden file).
-- files is 1, or the number of files of an export directory; sum(files) is every file found.
CREATE TABLE migration_file (
	job_instance_id BIGINT        NOT NULL REFERENCES batch_job_instance (job_instance_id),
	name            VARCHAR(4096) NOT NULL,
	kind            VARCHAR(20)   NOT NULL CHECK (kind IN ('export', 'quarantined', 'not-an-export')),
	format          VARCHAR(40),
	files           BIGINT        NOT NULL,
	bytes           BIGINT        NOT NULL,
	reason          TEXT,
	PRIMARY KEY (job_instance_id, name)
);

-- The first record each export quarantined ("file!entry:line: reason"), so that the run's report
-- says why without reading the vault; null when it quarantined nothing.
ALTER TABLE migration_reconciliation ADD COLUMN first_quarantined TEXT;
