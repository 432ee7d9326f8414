-- The actions monitor and the admin center's home page read a tenant's actions: counts by
-- state, counts by day since a date, and pages with failures first, then newest. The actions
-- table had no index on its tenant, so each of these read every action of every tenant,
-- document and all, and sorted them: ~0.4 s for the home page's counts at 200,000 actions,
-- growing with every bulk action of every tenant. These two narrow indexes let counts read
-- index entries alone (by state; by time, then state) and pages walk newest first from the
-- top (the failures through the second, which also counts them), stopping at the page's end.
CREATE INDEX actions_by_tenant ON actions (tenant_id, requested_at, state);
CREATE INDEX actions_by_tenant_state ON actions (tenant_id, state, requested_at);
-- A device's actions are always asked for within its tenant. With the device index on the
-- device alone, SQLite (which plans without statistics here) took the tenant index above for
-- "this device's actions" and walked the whole tenant; holding the tenant too, the device
-- index matches more of the question and is the one chosen.
DROP INDEX actions_by_device;
CREATE INDEX actions_by_device ON actions (tenant_id, device_id, requested_at);
