-- The device list sorts by owner, OS version and last check-in and filters by ownership: each
-- a column (filled from the device, and the owner's name from the user, when it is written;
-- the server fills them for the devices written before, see migrate.rs) with an index led by
-- (tenant_id, retired) like migration 0013's, so every order pages by an index seek at 100,000
-- devices and counting a filtered list reads index entries only.
ALTER TABLE devices ADD COLUMN ownership TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN os_key TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN last_seen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN owner_name TEXT NOT NULL DEFAULT '';
-- The home page's readiness figures: devices grouped by what decides whether they could be
-- reset (ports::reset_class) and counted by their last contact, one aggregate over this index.
ALTER TABLE devices ADD COLUMN reset_class TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN contact_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX devices_live_owner ON devices (tenant_id, retired, owner_name, id);
CREATE INDEX devices_live_os ON devices (tenant_id, retired, os_key, id);
CREATE INDEX devices_live_seen ON devices (tenant_id, retired, last_seen, id);
CREATE INDEX devices_live_platform_id ON devices (tenant_id, retired, platform, id);
CREATE INDEX devices_live_ownership ON devices (tenant_id, retired, ownership, name, id);
CREATE INDEX devices_live_readiness ON devices (tenant_id, retired, reset_class, contact_at, id);
