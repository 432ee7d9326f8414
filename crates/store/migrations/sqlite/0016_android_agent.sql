-- One-time enrollment tokens of the Android agent: created by an admin (shown as a QR code),
-- kept only as their SHA-256, spent by the one enrollment that presents them.
CREATE TABLE android_enrollment_tokens (
    token_sha256 TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, user_id TEXT NOT NULL, ownership TEXT NOT NULL,
    created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER, device_id TEXT);
CREATE INDEX android_enrollment_tokens_by_user ON android_enrollment_tokens (user_id);
-- Devices stored with the earlier active flag get the reset-token state it meant.
UPDATE devices SET doc = json_set(doc, '$.reset_token', CASE WHEN json_extract(doc, '$.reset_token_active') = 1 THEN 'active' ELSE 'none' END)
    WHERE json_type(doc, '$.reset_token_active') IS NOT NULL;
UPDATE devices SET doc = json_remove(doc, '$.reset_token_active') WHERE json_type(doc, '$.reset_token_active') IS NOT NULL;
