-- One-time enrollment tokens of the Android agent: created by an admin (shown as a QR code),
-- kept only as their SHA-256, spent by the one enrollment that presents them.
CREATE TABLE android_enrollment_tokens (
    token_sha256 TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, user_id TEXT NOT NULL, ownership TEXT NOT NULL,
    created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT, device_id TEXT);
CREATE INDEX android_enrollment_tokens_by_user ON android_enrollment_tokens (user_id);
-- Devices stored with the earlier active flag get the reset-token state it meant.
UPDATE devices SET doc = ((doc::jsonb - 'reset_token_active')
        || jsonb_build_object('reset_token', CASE WHEN (doc::jsonb ->> 'reset_token_active') = 'true' THEN 'active' ELSE 'none' END))::text
    WHERE jsonb_exists(doc::jsonb, 'reset_token_active');
