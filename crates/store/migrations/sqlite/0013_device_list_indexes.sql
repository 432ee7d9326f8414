-- The device list at 100,000 devices: every query of it filters on (tenant, retired), so those
-- lead its indexes. Counting the list, paging it by (name, id) and filtering by platform read
-- index entries only, never the device documents; a search scans the small search index.
CREATE INDEX devices_live ON devices (tenant_id, retired, name, id);
CREATE INDEX devices_live_search ON devices (tenant_id, retired, search, id);
DROP INDEX devices_by_platform;
CREATE INDEX devices_live_platform ON devices (tenant_id, retired, platform, name, id);
