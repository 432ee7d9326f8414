-- Indexes for what the admin center filters and workers scan, each under the query it serves.
-- list_devices by platform / owner (ordered by name, id within the tenant).
CREATE INDEX devices_by_platform ON devices (tenant_id, platform, name, id);
CREATE INDEX devices_by_owner ON devices (tenant_id, primary_user_id);
-- list_devices by group: members are looked up from the device side too (device clean-up).
CREATE INDEX device_group_members_by_device ON device_group_members (device_id);
-- list_audit by actor, by action, by time range (newest first by seq).
CREATE INDEX audit_by_actor ON audit (tenant_id, actor, seq);
CREATE INDEX audit_by_action ON audit (action_id, seq);
CREATE INDEX audit_by_time ON audit (tenant_id, at);
-- outbox_pending: only undelivered wake-ups are scanned.
CREATE INDEX outbox_pending ON outbox (id) WHERE done_at IS NULL;
