-- One-time tokens from the federated sign-in page, presented by the enrolling Windows device.
CREATE TABLE enrollment_tokens (
    token_sha256 TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, user_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL, used_at BIGINT);
