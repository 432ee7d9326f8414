-- Bulk jobs survive the instance running them (issue 14): the plan (the devices still to
-- handle, in order, and who asked) is saved with the job, and a lease names the instance
-- running it (runner, runner_until in unix ms), renewed with every progress save. A job whose
-- lease lapsed before it finished is taken over by the maintenance worker of any instance.
-- Jobs saved before this migration have no plan and are never resumed.
ALTER TABLE bulk_jobs ADD COLUMN plan TEXT;
ALTER TABLE bulk_jobs ADD COLUMN runner TEXT;
ALTER TABLE bulk_jobs ADD COLUMN runner_until INTEGER;
ALTER TABLE bulk_jobs ADD COLUMN finished_at INTEGER;
CREATE INDEX bulk_jobs_unfinished ON bulk_jobs (runner_until) WHERE finished_at IS NULL AND plan IS NOT NULL;
-- OMA-DM multi-message sessions in the store, so a session's next message may reach any
-- instance: our next MsgID, the device's last one and the commands awaiting a Status (doc).
-- Written only for a session that sent commands (an idle session writes nothing); a session
-- that ends is deleted, one abandoned is dropped by the maintenance worker after expires_at.
CREATE TABLE dm_sessions (
    device_id TEXT NOT NULL, session_id TEXT NOT NULL, doc TEXT NOT NULL, expires_at INTEGER NOT NULL,
    PRIMARY KEY (device_id, session_id));
CREATE INDEX dm_sessions_expiry ON dm_sessions (expires_at);
