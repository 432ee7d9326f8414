-- Device trust. A retired device keeps no identity bindings: its old certificate must not revive
-- it, and its DeviceID / UDID may be enrolled afresh (as a new device record).
DELETE FROM device_identities WHERE device_id IN (SELECT id FROM devices WHERE retired = 1);
-- An Apple enrollment identity is claimed by the first UDID that authenticates with it and spent
-- once that enrollment completes.
ALTER TABLE enrollment_grants ADD COLUMN claimed_udid TEXT;
ALTER TABLE enrollment_grants ADD COLUMN spent_at BIGINT;
-- Enrollments that named an enrolled device without proving they are it, for an admin to decide.
CREATE TABLE reenrollment_requests (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, device_id TEXT NOT NULL, requested_by TEXT NOT NULL,
    state TEXT NOT NULL, requested_at BIGINT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX reenrollment_requests_by_tenant ON reenrollment_requests (tenant_id, requested_at);
CREATE INDEX reenrollment_requests_by_device ON reenrollment_requests (device_id, requested_by);
-- Signed device messages seen within their validity window (Mdm-Signature replay defence).
CREATE TABLE seen_messages (digest TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
CREATE INDEX seen_messages_expiry ON seen_messages (expires_at);
-- The OMA-DM MD5 nonce of each Windows device. Not a secret (challenges send it to anyone), but
-- rotated after every use, with compare-and-set so one Cred is accepted once across instances.
CREATE TABLE dm_nonces (device_id TEXT PRIMARY KEY, nonce TEXT NOT NULL);
