-- How device channels recognise a device: Windows DeviceID, Apple UDID, certificate serial.
CREATE TABLE device_identities (
    kind TEXT NOT NULL, external_id TEXT NOT NULL, tenant_id TEXT NOT NULL, device_id TEXT NOT NULL,
    PRIMARY KEY (kind, external_id));
CREATE INDEX device_identities_by_device ON device_identities (device_id);
