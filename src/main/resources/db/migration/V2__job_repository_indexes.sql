-- The Batch schema has no indexes on its foreign keys. `chatvault jobs`, `show`, `status`
-- and the restart of an instance look executions up by instance, by status and by their
-- parameters and steps; a job that runs every 15 minutes adds 35,000 executions a year.
create index batch_job_execution_instance_idx on batch_job_execution (job_instance_id);
create index batch_job_execution_status_idx on batch_job_execution (status);
create index batch_job_execution_params_execution_idx on batch_job_execution_params (job_execution_id);
create index batch_step_execution_execution_idx on batch_step_execution (job_execution_id);
