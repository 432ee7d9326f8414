-- Bulk actions: the job with its per-device outcomes (doc); cancellation in its own column so
-- the worker saving progress never overwrites an admin's cancel.
CREATE TABLE bulk_jobs (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, created_at BIGINT NOT NULL, cancelled_at BIGINT, doc TEXT NOT NULL);
CREATE INDEX bulk_jobs_by_tenant ON bulk_jobs (tenant_id, created_at);
