-- Android Management API: the long-running operation Google returned for each command pinreset
-- issued, until the action is settled (by Pub/Sub, or by the paced operations.get reconciler).
-- `next_check_at` is also the claim: a reconciler moves it to its lease end in the statement
-- that selects the row, so two instances never poll the same operation at once.
CREATE TABLE amapi_operations (
    action_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, device_id TEXT NOT NULL, name TEXT NOT NULL,
    issued_at BIGINT NOT NULL, give_up_at BIGINT NOT NULL, next_check_at BIGINT NOT NULL);
CREATE UNIQUE INDEX amapi_operations_by_name ON amapi_operations (name);
CREATE INDEX amapi_operations_due ON amapi_operations (tenant_id, next_check_at);
